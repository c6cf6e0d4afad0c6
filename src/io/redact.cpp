// Pseudonyms and derived ids as keyed BLAKE2b hashes, and new keys, with libsodium.
#include "io/redact.hpp"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>

namespace refnet::io {

namespace {

void ensure_sodium() {
  // sodium_init is safe to call repeatedly; -1 means no usable randomness source.
  static const int status = sodium_init();
  if (status < 0) throw std::runtime_error("libsodium could not be initialised");
}

std::string hex(const unsigned char* bytes, std::size_t digits) {
  static constexpr char alphabet[] = "0123456789abcdef";
  std::string out;
  out.reserve(digits);
  for (std::size_t i = 0; i < digits; ++i) {
    const unsigned char b = bytes[i / 2];
    out.push_back(alphabet[i % 2 == 0 ? b >> 4 : b & 0x0F]);
  }
  return out;
}

std::array<unsigned char, crypto_generichash_BYTES> keyed_hash(const Key& key,
                                                               std::string_view text) {
  ensure_sodium();
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(text.data()), text.size(), key.data(),
                     key.size());
  return digest;
}

}  // namespace

static_assert(key_size >= crypto_generichash_KEYBYTES_MIN &&
              key_size <= crypto_generichash_KEYBYTES_MAX);

Key new_key() {
  ensure_sodium();
  Key key{};
  randombytes_buf(key.data(), key.size());
  return key;
}

std::string pseudonym(const Key& key, std::string_view reference) {
  const auto digest = keyed_hash(key, reference);
  return "P-" + hex(digest.data(), 12);
}

bool looks_like_pseudonym(std::string_view text) {
  return text.size() == 14 && text.starts_with("P-") &&
         std::all_of(text.begin() + 2, text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string derived_id(const Key& key, std::string_view purpose, std::size_t hex_digits) {
  // A prefix keeps these hashes apart from pseudonyms of a patient reference spelled the same.
  const auto digest = keyed_hash(key, std::string("refnet-derived:") + std::string(purpose));
  return hex(digest.data(), std::min(hex_digits, digest.size() * 2));
}

}  // namespace refnet::io
