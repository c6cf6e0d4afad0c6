// The sealed backup stream of `refnet db backup --encrypt` (src/io/sealed.cpp): a round trip, the
// documented header, and every way a changed, cut or lengthened stream is refused.
#include <doctest/doctest.h>
#include <sodium.h>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "error.hpp"
#include "io/sealed.hpp"

using namespace refnet;

namespace {

constexpr std::string_view passphrase = "correct horse battery staple";
// Argon2id at its cheapest, so each case takes milliseconds; the reader takes any cost within
// libsodium's bounds, as a backup names its own.
constexpr io::KeyCost cheap{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};

std::string seal(const std::string& plain, std::size_t piece = 1000, io::KeyCost cost = cheap) {
  std::ostringstream out;
  io::Sealer sealer(out, passphrase, cost);
  for (std::size_t at = 0; at < plain.size(); at += piece) {
    const auto n = std::min(piece, plain.size() - at);
    sealer.write({reinterpret_cast<const unsigned char*>(plain.data()) + at, n});
  }
  sealer.finish();
  return out.str();
}

std::string unseal(const std::string& sealed, std::string_view pass = passphrase) {
  std::istringstream in(sealed);
  std::string plain;
  io::unseal(in, pass, [&](std::span<const unsigned char> piece) {
    plain.append(reinterpret_cast<const char*>(piece.data()), piece.size());
  });
  return plain;
}

// The message of the Error(data) unsealing throws.
std::string refusal(const std::string& sealed, std::string_view pass = passphrase) {
  try {
    unseal(sealed, pass);
  } catch (const Error& e) {
    CHECK(e.code() == Exit::data);
    return e.what();
  }
  FAIL("unsealed what it should have refused");
  return {};
}

std::string sample(std::size_t size) {
  std::string s(size, '\0');
  for (std::size_t i = 0; i < size; ++i) s[i] = static_cast<char>((i * 7919) >> 3);
  return s;
}

}  // namespace

TEST_CASE("sealed: what is sealed unseals to the same bytes, at every chunk boundary") {
  for (const std::size_t size : {0UL, 1UL, 65535UL, 65536UL, 65537UL, 3 * 65536UL + 11}) {
    CAPTURE(size);
    const auto plain = sample(size);
    const auto sealed = seal(plain, 4096);
    // 66 header bytes, then one sealed chunk per 64 KiB and a last, shorter one (maybe empty).
    CHECK(sealed.size() == 66 + size + 17 * (size / 65536 + 1));
    CHECK(unseal(sealed) == plain);
  }
}

TEST_CASE("sealed: the header is the documented one, with a fresh salt each time") {
  const auto a = seal("x", 1, io::moderate_cost());
  const auto b = seal("x");
  CHECK(a.substr(0, 10) == std::string("RFNTSEAL\x01\x02", 10));
  const auto u64 = [&](std::size_t at) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(a[at + i]);
    return v;
  };
  CHECK(u64(10) == crypto_pwhash_OPSLIMIT_MODERATE);
  CHECK(u64(18) == crypto_pwhash_MEMLIMIT_MODERATE);
  CHECK(a.substr(26, 16) != b.substr(26, 16));
  CHECK(io::is_sealed(a));
  CHECK_FALSE(io::is_sealed(std::string("SQLite format 3\0", 16)));
}

TEST_CASE("sealed: a wrong passphrase, a changed byte, a cut or a lengthened stream is refused") {
  const auto plain = sample(2 * 65536 + 100);
  const auto sealed = seal(plain);
  CHECK(refusal(sealed, "correct horse battery stapler").starts_with("wrong passphrase"));
  SUBCASE("a changed byte anywhere") {
    for (const std::size_t at :
         {0UL, 8UL, 9UL, 26UL, 41UL, 42UL, 65UL, 66UL, 66UL + 65553, sealed.size() - 1}) {
      CAPTURE(at);
      auto changed = sealed;
      changed[at] = static_cast<char>(changed[at] ^ 0x20);
      CHECK_FALSE(refusal(changed).empty());
    }
    auto chunk = sealed;
    chunk[66 + 65553 + 10] ^= 1;
    CHECK(refusal(chunk) == "the backup was changed or damaged (at byte 65619)");
  }
  SUBCASE("cut short, at a chunk boundary or inside one") {
    CHECK(refusal(sealed.substr(0, 30)).find("beginning is missing") != std::string::npos);
    CHECK(refusal(sealed.substr(0, 66)).find("cut short") != std::string::npos);
    CHECK(refusal(sealed.substr(0, 66 + 65553)).find("cut short") != std::string::npos);
    CHECK(refusal(sealed.substr(0, 66 + 2 * 65553)).find("cut short") != std::string::npos);
    CHECK_FALSE(refusal(sealed.substr(0, sealed.size() - 1)).empty());
  }
  SUBCASE("bytes after the end") {
    CHECK_FALSE(refusal(sealed + "x").empty());
    // A whole extra chunk's worth after the final one is found after the final tag.
    const auto small = seal(sample(65536));  // a full chunk, then an empty final one
    CHECK(refusal(small + std::string(40, 'x')).find("changed or damaged") != std::string::npos);
  }
  SUBCASE("limits no refnet writes") {
    auto greedy = sealed;
    greedy[18 + 5] = 1;  // memlimit of about a terabyte
    CHECK(refusal(greedy).find("not ones refnet writes") != std::string::npos);
    auto slow = sealed;
    slow[10 + 2] = 1;  // 65,539 passes
    CHECK(refusal(slow).find("not ones refnet writes") != std::string::npos);
    auto version = sealed;
    version[8] = 2;
    CHECK(refusal(version).find("format 2") != std::string::npos);
  }
}
