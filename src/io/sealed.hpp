// Encrypted backups: a passphrase-sealed stream, written and read with libsodium.
#pragma once

// The format of `refnet db backup --encrypt` (README, "Encrypted backup format, version 1"):
//
//   offset  size  field
//        0     8  magic "RFNTSEAL"
//        8     1  format version, 1
//        9     1  key derivation: 2 = Argon2id v1.3 (crypto_pwhash_ALG_ARGON2ID13)
//       10     8  opslimit, unsigned little-endian
//       18     8  memlimit in bytes, unsigned little-endian
//       26    16  salt, random per backup
//       42    24  crypto_secretstream_xchacha20poly1305 header
//       66     -  chunks: each the secretstream encryption of 64 KiB of the database (65,553
//                 bytes), the last one shorter and tagged FINAL; the first chunk authenticates
//                 bytes 0-41 as additional data.
//
// The key is crypto_pwhash(passphrase, salt, opslimit, memlimit, Argon2id); a backup is written
// with libsodium's moderate limits. Nothing here is hand-written cryptography: libsodium derives
// the key and encrypts; this file only frames its output.

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <span>
#include <string_view>

namespace refnet::io {

// Whether a file that starts with these bytes is a sealed backup.
bool is_sealed(std::string_view first_bytes);

// Writes a sealed stream to `out`: the header at construction, then what write() is given, then
// the final chunk at finish(). Throws Error(io) when `out` fails, Error(usage) when the key
// cannot be derived (not enough memory for the limits).
// Argon2id's cost: refnet writes libsodium's moderate limits; tests pass cheaper ones.
struct KeyCost {
  std::uint64_t opslimit;
  std::uint64_t memlimit;  // bytes
};
KeyCost moderate_cost();

class Sealer {
 public:
  Sealer(std::ostream& out, std::string_view passphrase, KeyCost cost = moderate_cost());
  Sealer(const Sealer&) = delete;
  Sealer& operator=(const Sealer&) = delete;
  ~Sealer();

  void write(std::span<const unsigned char> data);
  void finish();

 private:
  struct State;
  void push(bool final);
  std::ostream& out_;
  std::unique_ptr<State> state_;
};

// Reads a sealed stream from `in` and hands the plaintext to `write` a chunk at a time, every
// chunk authenticated before it is handed on. Throws Error(data) when the passphrase is wrong or
// the file was changed, cut short or has bytes after its end, and when the header names a format
// or limits this refnet does not read.
void unseal(std::istream& in, std::string_view passphrase,
            const std::function<void(std::span<const unsigned char>)>& write);

}  // namespace refnet::io
