// Keyed pseudonyms for patient references, and ids derived from the database's key.
#pragma once

// Keyed pseudonyms for patient references: the same reference and key always give the same
// pseudonym, another database's key a different one, and nobody without the key can go back.
// The hashing is libsodium's keyed BLAKE2b (crypto_generichash); nothing here is hand-written
// cryptography.

#include <array>
#include <string>
#include <string_view>

namespace refnet::io {

inline constexpr std::size_t key_size = 32;
using Key = std::array<unsigned char, key_size>;

// A fresh random key from the operating system's generator (randombytes_buf).
Key new_key();

// "P-" and the first 12 hex digits of BLAKE2b-256(reference) keyed with `key`.
std::string pseudonym(const Key& key, std::string_view reference);
// Whether `text` has the form pseudonym() gives: "P-" and 12 lower-case hex digits.
bool looks_like_pseudonym(std::string_view text);

// `hex_digits` hex digits of a keyed hash of `purpose`: a stable, unguessable name for things
// derived from the key (the database's id in calendar UIDs).
std::string derived_id(const Key& key, std::string_view purpose, std::size_t hex_digits);

}  // namespace refnet::io
