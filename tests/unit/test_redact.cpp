// Keyed pseudonyms: stable for one key, different for another, never the reference itself.

#include <doctest/doctest.h>

#include <set>
#include <string>

#include "io/redact.hpp"

using namespace refnet::io;

TEST_CASE("redact: the same reference and key give the same pseudonym, P- and 12 hex digits") {
  const Key key = new_key();
  const auto a = pseudonym(key, "MRN-1001");
  CHECK(a == pseudonym(key, "MRN-1001"));
  CHECK(a.size() == 14);
  CHECK(a.starts_with("P-"));
  CHECK(a.find_first_not_of("0123456789abcdef", 2) == std::string::npos);
  CHECK(a != pseudonym(key, "MRN-1002"));
  CHECK(a != pseudonym(key, "mrn-1001"));
}

TEST_CASE("redact: another key, another pseudonym") {
  CHECK(pseudonym(new_key(), "MRN-1001") != pseudonym(new_key(), "MRN-1001"));
}

TEST_CASE("redact: a known key gives a known pseudonym (keyed BLAKE2b-256)") {
  Key key{};
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<unsigned char>(i);
  // b2sum has no key option; the expected value comes from Python's
  // hashlib.blake2b(b"MRN-1001", key=bytes(range(32)), digest_size=32).hexdigest()[:12]
  CHECK(pseudonym(key, "MRN-1001") == "P-e20c9c6ef273");
}

TEST_CASE("redact: fresh keys differ, derived ids are stable hex") {
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    const auto k = new_key();
    seen.insert(std::string(k.begin(), k.end()));
  }
  CHECK(seen.size() == 20);
  const Key key = new_key();
  const auto id = derived_id(key, "calendar", 16);
  CHECK(id.size() == 16);
  CHECK(id == derived_id(key, "calendar", 16));
  CHECK(id != derived_id(key, "other", 16));
}
