// The sealed backup stream (see sealed.hpp): libsodium's Argon2id and secretstream, framed.
#include "io/sealed.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <array>
#include <cstring>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "error.hpp"

namespace refnet::io {

namespace {

constexpr std::string_view magic = "RFNTSEAL";
constexpr unsigned char format_version = 1;
constexpr std::size_t chunk_size = 64 * 1024;  // plaintext bytes per chunk but the last
constexpr std::size_t sealed_chunk = chunk_size + crypto_secretstream_xchacha20poly1305_ABYTES;
constexpr std::size_t fixed_size = 8 + 1 + 1 + 8 + 8 + crypto_pwhash_SALTBYTES;  // bytes 0-41
constexpr std::size_t header_size = fixed_size + crypto_secretstream_xchacha20poly1305_HEADERBYTES;
static_assert(fixed_size == 42 && header_size == 66, "sealed.hpp documents these offsets");

// What a reader accepts of the limits in a header: at most libsodium's "sensitive" memory and
// four times its passes, so a changed header cannot make a restore ask for terabytes or run for
// hours before the passphrase is found wrong.
constexpr std::uint64_t max_memlimit = crypto_pwhash_MEMLIMIT_SENSITIVE;
constexpr std::uint64_t max_opslimit = 4 * crypto_pwhash_OPSLIMIT_SENSITIVE;

void ensure_sodium() {
  static const int status = sodium_init();
  if (status < 0) throw Error(Exit::io, "libsodium could not be initialised");
}

void put_u64(unsigned char* at, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) at[i] = static_cast<unsigned char>(value >> (8 * i));
}

std::uint64_t get_u64(const unsigned char* at) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = value << 8 | at[i];
  return value;
}

// A key that is wiped when it goes.
struct Key {
  std::array<unsigned char, crypto_secretstream_xchacha20poly1305_KEYBYTES> bytes{};
  ~Key() { sodium_memzero(bytes.data(), bytes.size()); }
};

void derive(Key& key, std::string_view passphrase, const unsigned char* salt,
            std::uint64_t opslimit, std::uint64_t memlimit) {
  if (crypto_pwhash(key.bytes.data(), key.bytes.size(), passphrase.data(), passphrase.size(), salt,
                    opslimit, static_cast<std::size_t>(memlimit),
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw Error(Exit::io,
                fmt::format("not enough memory to derive the key ({} MiB)", memlimit >> 20));
  }
}

[[noreturn]] void damaged(std::string_view what) {
  throw Error(Exit::data, std::string(what),
              "a backup refnet wrote is read whole or not at all: use another copy");
}

// Reads up to `size` bytes; fewer only at the end of the input.
std::size_t read_some(std::istream& in, unsigned char* to, std::size_t size) {
  in.read(reinterpret_cast<char*>(to), static_cast<std::streamsize>(size));
  if (in.bad()) throw Error(Exit::io, "cannot read the backup");
  return static_cast<std::size_t>(in.gcount());
}

}  // namespace

struct Sealer::State {
  crypto_secretstream_xchacha20poly1305_state stream{};
  std::array<unsigned char, fixed_size> fixed{};
  bool first = true;
  bool finished = false;
  std::vector<unsigned char> plain;
  std::vector<unsigned char> sealed;
  ~State() {
    sodium_memzero(&stream, sizeof stream);
    if (!plain.empty()) sodium_memzero(plain.data(), plain.size());
  }
};

bool is_sealed(std::string_view first_bytes) {
  return first_bytes.starts_with(magic);
}

KeyCost moderate_cost() {
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}

Sealer::Sealer(std::ostream& out, std::string_view passphrase, KeyCost cost)
    : out_(out), state_(std::make_unique<State>()) {
  ensure_sodium();
  auto& f = state_->fixed;
  std::memcpy(f.data(), magic.data(), magic.size());
  f[8] = format_version;
  f[9] = static_cast<unsigned char>(crypto_pwhash_ALG_ARGON2ID13);
  put_u64(f.data() + 10, cost.opslimit);
  put_u64(f.data() + 18, cost.memlimit);
  randombytes_buf(f.data() + 26, crypto_pwhash_SALTBYTES);
  Key key;
  derive(key, passphrase, f.data() + 26, cost.opslimit, cost.memlimit);
  std::array<unsigned char, crypto_secretstream_xchacha20poly1305_HEADERBYTES> header{};
  crypto_secretstream_xchacha20poly1305_init_push(&state_->stream, header.data(), key.bytes.data());
  out_.write(reinterpret_cast<const char*>(f.data()), f.size());
  out_.write(reinterpret_cast<const char*>(header.data()), header.size());
  if (!out_) throw Error(Exit::io, "cannot write the backup");
  state_->plain.reserve(chunk_size);
  state_->sealed.resize(sealed_chunk);
}

Sealer::~Sealer() = default;

void Sealer::push(bool final) {
  auto& s = *state_;
  unsigned long long length = 0;
  const unsigned char tag = final ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                                  : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
  crypto_secretstream_xchacha20poly1305_push(&s.stream, s.sealed.data(), &length, s.plain.data(),
                                             s.plain.size(), s.first ? s.fixed.data() : nullptr,
                                             s.first ? s.fixed.size() : 0, tag);
  s.first = false;
  sodium_memzero(s.plain.data(), s.plain.size());
  s.plain.clear();
  out_.write(reinterpret_cast<const char*>(s.sealed.data()), static_cast<std::streamsize>(length));
  if (!out_) throw Error(Exit::io, "cannot write the backup");
}

void Sealer::write(std::span<const unsigned char> data) {
  auto& plain = state_->plain;
  while (!data.empty()) {
    const auto take = std::min(data.size(), chunk_size - plain.size());
    plain.insert(plain.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(take));
    data = data.subspan(take);
    if (plain.size() == chunk_size) push(false);
  }
}

void Sealer::finish() {
  if (state_->finished) return;
  push(true);  // shorter than a full chunk, possibly empty: where the stream ends
  state_->finished = true;
  out_.flush();
  if (!out_) throw Error(Exit::io, "cannot write the backup");
}

void unseal(std::istream& in, std::string_view passphrase,
            const std::function<void(std::span<const unsigned char>)>& write) {
  ensure_sodium();
  std::array<unsigned char, header_size> head{};
  if (read_some(in, head.data(), head.size()) < head.size() ||
      !is_sealed(std::string_view(reinterpret_cast<const char*>(head.data()), head.size()))) {
    damaged("this is not an encrypted refnet backup, or its beginning is missing");
  }
  if (head[8] != format_version) {
    throw Error(Exit::data,
                fmt::format("the backup is in format {}, which this refnet does not read (it "
                            "reads format {})",
                            head[8], format_version),
                "restore it with the refnet that wrote it, or a newer one");
  }
  const std::uint64_t opslimit = get_u64(head.data() + 10);
  const std::uint64_t memlimit = get_u64(head.data() + 18);
  if (head[9] != crypto_pwhash_ALG_ARGON2ID13 || opslimit < crypto_pwhash_OPSLIMIT_MIN ||
      opslimit > max_opslimit || memlimit < crypto_pwhash_MEMLIMIT_MIN || memlimit > max_memlimit) {
    damaged(
        "the backup's header was changed: its key derivation settings are not ones refnet "
        "writes");
  }
  Key key;
  derive(key, passphrase, head.data() + 26, opslimit, memlimit);
  crypto_secretstream_xchacha20poly1305_state stream{};
  if (crypto_secretstream_xchacha20poly1305_init_pull(&stream, head.data() + fixed_size,
                                                      key.bytes.data()) != 0) {
    damaged("the backup's header is damaged");
  }
  std::vector<unsigned char> sealed(sealed_chunk);
  std::vector<unsigned char> plain(chunk_size);
  bool first = true;
  std::uint64_t offset = header_size;
  for (;;) {
    const std::size_t got = read_some(in, sealed.data(), sealed.size());
    if (got == 0) damaged("the backup was cut short: its last part is missing");
    unsigned long long length = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(
            &stream, plain.data(), &length, &tag, sealed.data(), got, first ? head.data() : nullptr,
            first ? fixed_size : 0) != 0) {
      sodium_memzero(&stream, sizeof stream);
      if (first) {
        throw Error(Exit::data, "wrong passphrase, or the backup was changed",
                    "check the passphrase; a backup refnet wrote is read whole or not at all");
      }
      damaged(fmt::format("the backup was changed or damaged (at byte {})", offset));
    }
    first = false;
    offset += got;
    const bool final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    if (final != (got < sealed.size())) {
      sodium_memzero(&stream, sizeof stream);
      damaged(final ? "the backup has bytes after its end"
                    : "the backup was cut short: its last part is missing");
    }
    write(std::span<const unsigned char>(plain.data(), static_cast<std::size_t>(length)));
    sodium_memzero(plain.data(), static_cast<std::size_t>(length));
    if (final) break;
  }
  sodium_memzero(&stream, sizeof stream);
  if (in.peek() != std::char_traits<char>::eof()) damaged("the backup has bytes after its end");
}

}  // namespace refnet::io
