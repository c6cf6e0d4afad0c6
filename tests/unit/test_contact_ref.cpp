#include <doctest/doctest.h>

#include <string>

#include "domain/contact_ref.hpp"
#include "error.hpp"

using namespace refnet::domain;
using refnet::Error;
using refnet::Exit;

namespace {

ContactCandidate contact(std::int64_t id, std::string name, std::string specialty = {},
                         std::string practice = {}, bool archived = false) {
  return {id, std::move(name), std::move(specialty), std::move(practice), archived};
}

// The error resolve_contact throws, or a failed check when it resolves.
Error resolve_error(std::string_view query, const std::vector<ContactCandidate>& matches) {
  try {
    const auto id = resolve_contact(query, matches);
    FAIL("expected an error, got id ", id);
  } catch (const Error& e) {
    return e;
  }
  return Error(Exit::ok, "unreachable");
}

}  // namespace

TEST_CASE("classify_contact_ref: id, NPI or part of a name") {
  CHECK(classify_contact_ref("12") == ContactRefKind::id);
  CHECK(classify_contact_ref("0") == ContactRefKind::id);
  CHECK(classify_contact_ref("123456789") == ContactRefKind::id);    // 9 digits
  CHECK(classify_contact_ref("12345678931") == ContactRefKind::id);  // 11 digits
  CHECK(classify_contact_ref("1234567893") == ContactRefKind::npi);
  CHECK(classify_contact_ref("1234567890") == ContactRefKind::npi);  // invalid, but shaped like one
  CHECK(classify_contact_ref("smith") == ContactRefKind::name_part);
  CHECK(classify_contact_ref("Dr. Ann Smith") == ContactRefKind::name_part);
  CHECK(classify_contact_ref("12a") == ContactRefKind::name_part);
  CHECK(classify_contact_ref("-12") == ContactRefKind::name_part);
  CHECK(classify_contact_ref("1 2") == ContactRefKind::name_part);
  CHECK(classify_contact_ref("") == ContactRefKind::name_part);
}

TEST_CASE("resolve_contact: one match is the answer") {
  CHECK(resolve_contact("smith", {contact(12, "Dr. Ann Smith")}) == 12);
  CHECK(resolve_contact("smith", {contact(12, "Dr. Ann Smith", "", "", true)}) ==
        12);  // even archived
}

TEST_CASE("resolve_contact: an exact name wins, case-insensitively") {
  const std::vector<ContactCandidate> matches{contact(3, "Ann Lee"), contact(4, "Ann Leeds"),
                                              contact(5, "Joanne Lee")};
  CHECK(resolve_contact("ann lee", matches) == 3);
  CHECK(resolve_contact("ANN LEEDS", matches) == 4);
  // An exact name wins even when it is archived and a longer name is active.
  CHECK(resolve_contact("ann lee",
                        {contact(3, "Ann Lee", "", "", true), contact(4, "Ann Leeds")}) == 3);
  // Two exact names: the active one.
  CHECK(resolve_contact("ann lee", {contact(3, "Ann Lee", "", "", true), contact(8, "Ann Lee")}) ==
        8);
}

TEST_CASE("resolve_contact: active contacts are preferred over archived ones") {
  CHECK(resolve_contact("smith", {contact(1, "Bob Smith", "", "", true), contact(2, "Ann Smith"),
                                  contact(3, "Cy Smithers", "", "", true)}) == 2);
}

TEST_CASE("resolve_contact: no match") {
  const Error e = resolve_error("zed", {});
  CHECK(e.code() == Exit::data);
  CHECK(std::string(e.what()) == "no contact matches 'zed'");
  CHECK(e.hint() == "list them with: refnet list contacts");
}

TEST_CASE("resolve_contact: an ambiguous part lists the candidates") {
  const Error e = resolve_error("smith", {contact(12, "Dr. Ann Smith", "cardiology", "Heart Group"),
                                          contact(7, "Bob Smith", "", "Family Care"),
                                          contact(140, "José Smithson", "pcp", "")});
  CHECK(e.code() == Exit::data);
  CHECK(std::string(e.what()) ==
        "'smith' matches 3 contacts:\n"
        "   12  Dr. Ann Smith  cardiology  Heart Group\n"
        "    7  Bob Smith                  Family Care\n"
        "  140  José Smithson  pcp");
  CHECK(e.hint() == "use the id, the NPI or more of the name");
}

TEST_CASE("resolve_contact: only the preferred contacts are listed") {
  // Two active matches and an archived one: the archived one is not a candidate.
  const Error active = resolve_error(
      "lee", {contact(1, "Ann Lee"), contact(2, "Bo Lee"), contact(3, "Cy Lee", "", "", true)});
  CHECK(std::string(active.what()) == "'lee' matches 2 contacts:\n  1  Ann Lee\n  2  Bo Lee");
  // Two exact names, both active: only they are listed.
  const Error exact = resolve_error(
      "ann lee", {contact(1, "Ann Lee"), contact(2, "ANN LEE"), contact(3, "Ann Leeds")});
  CHECK(std::string(exact.what()) == "'ann lee' matches 2 contacts:\n  1  Ann Lee\n  2  ANN LEE");
  // All archived: they are listed and marked.
  const Error archived = resolve_error(
      "lee", {contact(1, "Ann Lee", "", "", true), contact(2, "Bo Lee", "", "", true)});
  CHECK(std::string(archived.what()) ==
        "'lee' matches 2 contacts:\n  1  Ann Lee  (archived)\n  2  Bo Lee   (archived)");
}

TEST_CASE("name_part_matches: names as people type them") {
  CHECK(name_part_matches("NÚÑEZ", "Dr. Ana Núñez"));
  CHECK(name_part_matches("nunez", "Dr. Ana Núñez"));
  CHECK(name_part_matches("obrien", "Dr. Sean O'Brien"));
  CHECK(name_part_matches("o'brien", "Dr. Sean O’Brien"));  // a typographic apostrophe
  CHECK(name_part_matches("raj patel", "Patel, Raj"));
  CHECK(name_part_matches("ra pat", "Patel, Raj"));  // parts of words, in any order
  CHECK(name_part_matches("STRASSE", "Dr. Ines Straße"));
  CHECK_FALSE(name_part_matches("raj smith", "Patel, Raj"));
  CHECK_FALSE(name_part_matches("", "Ann Lee"));
  CHECK_FALSE(name_part_matches("---", "Ann Lee"));
  CHECK_FALSE(name_part_matches("nunes", "Dr. Ana Núñez"));
  // Words in any order, accents and case aside, each in a different word of the name.
  CHECK(name_part_matches("núñez ANA", "Dr. Ana Núñez"));
  CHECK(name_part_matches("STRASSE ines", "Dr. Ines Straße"));
  CHECK(name_part_matches("brien sean", "Dr. Sean O’Brien"));
  CHECK_FALSE(name_part_matches("brien ana", "Dr. Sean O’Brien"));
}

TEST_CASE("resolve_contact: an exact name is exact in any case or accent") {
  CHECK(resolve_contact("ana nunez", {contact(1, "Ana Núñez"), contact(2, "Ana Núñez-Ortiz")}) ==
        1);
}
