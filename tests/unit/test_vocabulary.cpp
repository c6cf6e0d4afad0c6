#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>

#include "domain/vocabulary.hpp"
#include "error.hpp"

using namespace refnet::domain;
using refnet::Error;
using refnet::Exit;

namespace {

template <std::size_t N>
void check_lowercase_and_unique(const std::array<std::string_view, N>& words) {
  const std::set<std::string_view> unique(words.begin(), words.end());
  CHECK(unique.size() == words.size());
  for (const std::string_view word : words) {
    CAPTURE(word);
    CHECK(std::none_of(word.begin(), word.end(), [](char c) { return c >= 'A' && c <= 'Z'; }));
    CHECK_FALSE(word.empty());
  }
}

}  // namespace

TEST_CASE("the vocabularies match refnet(1)") {
  CHECK(one_of_text(roles) == "pcp, specialist, allied, facility or other");
  CHECK(one_of_text(sources) ==
        "visit, referral, conference, cme, seminar, workshop, hosted-event, association, social, "
        "linkedin, doximity, sermo or other");
  CHECK(one_of_text(vias) == "call, email, visit, video, meeting, linkedin, letter or update");
  CHECK(one_of_text(event_kinds) ==
        "cme, conference, seminar, workshop, hosted, association or social");
  CHECK(one_of_text(urgencies) == "routine, urgent or emergent");
  CHECK(one_of_text(directions) == "in or out");
  check_lowercase_and_unique(roles);
  check_lowercase_and_unique(sources);
  check_lowercase_and_unique(vias);
  check_lowercase_and_unique(event_kinds);
  check_lowercase_and_unique(urgencies);
  check_lowercase_and_unique(directions);
}

TEST_CASE("one_of_text with one, two and no words") {
  const std::array<std::string_view, 1> one{"csv"};
  const std::array<std::string_view, 2> two{"csv", "tsv"};
  CHECK(one_of_text(one) == "csv");
  CHECK(one_of_text(two) == "csv or tsv");
  CHECK(one_of_text(std::span<const std::string_view>{}).empty());
}

TEST_CASE("require_one_of is case-insensitive and returns the canonical word") {
  CHECK(require_one_of("pcp", roles, "--role") == "pcp");
  CHECK(require_one_of("PCP", roles, "--role") == "pcp");
  CHECK(require_one_of("Specialist", roles, "--role") == "specialist");
  CHECK(require_one_of("Hosted-Event", sources, "--source") == "hosted-event");
  CHECK(require_one_of("OUT", directions, "--direction") == "out");
}

TEST_CASE("require_one_of names the option and the choices") {
  try {
    (void)require_one_of("x", roles, "--role");
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.code() == Exit::usage);
    CHECK(std::string(e.what()) ==
          "invalid --role 'x': expected one of pcp, specialist, allied, facility or other");
  }
  for (const char* bad : {"", "pcp ", " pcp", "pc", "pcps", "p\xc3\xa7p"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS((void)require_one_of(bad, roles, "--role"), Error);
  }
  for (const char* bad : {"hosted event", "hosted_event", "hosted"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS((void)require_one_of(bad, sources, "--source"), Error);
  }
}

TEST_CASE("met_in_person: the channels where the physician met the contact") {
  const std::set<std::string_view> in_person{"visit",    "conference",   "cme",         "seminar",
                                             "workshop", "hosted-event", "association", "social"};
  for (const std::string_view source : sources) {
    CAPTURE(source);
    CHECK(met_in_person(source) == (in_person.count(source) == 1));
  }
  CHECK_FALSE(met_in_person("referral"));
  CHECK_FALSE(met_in_person("linkedin"));
  CHECK_FALSE(met_in_person("doximity"));
  CHECK_FALSE(met_in_person("sermo"));
  CHECK_FALSE(met_in_person("other"));
  CHECK(met_in_person("CME"));
  CHECK_FALSE(met_in_person(""));
  CHECK_FALSE(met_in_person("phone"));
}

TEST_CASE("urgency and direction round-trip") {
  for (const Urgency u : {Urgency::routine, Urgency::urgent, Urgency::emergent}) {
    CHECK(parse_urgency(to_string(u)) == u);
  }
  CHECK(to_string(Urgency::routine) == "routine");
  CHECK(to_string(Urgency::emergent) == "emergent");
  CHECK(parse_urgency("URGENT") == Urgency::urgent);
  CHECK_FALSE(parse_urgency("stat").has_value());
  CHECK_FALSE(parse_urgency("").has_value());

  CHECK(to_string(Direction::in) == "in");
  CHECK(to_string(Direction::out) == "out");
  CHECK(parse_direction("in") == Direction::in);
  CHECK(parse_direction("Out") == Direction::out);
  CHECK_FALSE(parse_direction("inbound").has_value());
}
