// Which contact the user named: an id, an NPI, or part of a name, resolved among the matches.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace refnet::domain {

// How a user named a contact on the command line: a numeric id, a 10-digit NPI, or part of a name.
enum class ContactRefKind { id, npi, name_part };
ContactRefKind classify_contact_ref(std::string_view text);

// What resolution needs to know of each contact that matched a name part.
struct ContactCandidate {
  std::int64_t id = 0;
  std::string name;
  std::string specialty;
  std::string practice;
  bool archived = false;
};

// Picks the contact a name part means among the contacts whose name contains it
// (case-insensitively): an exact (case-insensitive) name wins; otherwise active contacts are
// preferred over archived ones; exactly one left is the answer. Throws Error(data): "no contact
// matches 'x'" with a hint, or "'x' matches N contacts" listing id, name, specialty, practice.
std::int64_t resolve_contact(std::string_view query, const std::vector<ContactCandidate>& matches);

// Whether a name is a contact a name part means beyond its literal text: case folded in full
// Unicode, accents and punctuation set aside (text::match_key: "NÚÑEZ" and "nunez" find "Núñez",
// "obrien" finds "O'Brien"), or every word of the part in the name in any order ("raj patel"
// finds "Patel, Raj"). The part is read once, for a scan over every name.
class NamePartMatcher {
 public:
  explicit NamePartMatcher(std::string_view part);
  bool matches(std::string_view name) const;

 private:
  std::string key_;
  std::vector<std::string> words_;
};

inline bool name_part_matches(std::string_view part, std::string_view name) {
  return NamePartMatcher(part).matches(name);
}

}  // namespace refnet::domain
