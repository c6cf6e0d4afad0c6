#include <doctest/doctest.h>

#include "domain/followup.hpp"

using namespace refnet::domain;
using namespace std::chrono_literals;

namespace {

Timestamp utc(std::string_view iso) {
  const auto t = parse_iso(iso);
  REQUIRE(t.has_value());
  return *t;
}

}  // namespace

TEST_CASE("a touchpoint with the same contact at or after the plan satisfies it") {
  const PlannedFollowup plan{7, 42, utc("2026-11-27T09:00:00Z"), utc("2026-11-28T09:00:00Z")};
  CHECK(satisfies({42, utc("2026-11-27T15:00:00Z")}, plan));        // before it was due
  CHECK(satisfies({42, utc("2026-12-05T15:00:00Z")}, plan));        // late still counts
  CHECK(satisfies({42, plan.planned_at}, plan));                    // the same second
  CHECK_FALSE(satisfies({42, plan.planned_at - 1s}, plan));         // a call from before the plan
  CHECK_FALSE(satisfies({43, utc("2026-11-27T15:00:00Z")}, plan));  // another contact
}

TEST_CASE("satisfied_by lists the open plans one touchpoint clears, in order") {
  const std::vector<PlannedFollowup> plans{
      {1, 42, utc("2026-11-01T09:00:00Z"), utc("2026-11-02T09:00:00Z")},
      {2, 43, utc("2026-11-01T09:00:00Z"), utc("2026-11-02T09:00:00Z")},
      {3, 42, utc("2026-11-20T09:00:00Z"), utc("2026-12-01T09:00:00Z")},
      {4, 42, utc("2026-11-28T09:00:00Z"), utc("2026-12-05T09:00:00Z")},
  };
  CHECK(satisfied_by({42, utc("2026-11-27T10:00:00Z")}, plans) == std::vector<std::int64_t>{1, 3});
  CHECK(satisfied_by({42, utc("2026-11-30T10:00:00Z")}, plans) ==
        std::vector<std::int64_t>{1, 3, 4});
  CHECK(satisfied_by({43, utc("2026-11-30T10:00:00Z")}, plans) == std::vector<std::int64_t>{2});
  CHECK(satisfied_by({42, utc("2026-10-30T10:00:00Z")}, plans).empty());
  CHECK(satisfied_by({99, utc("2026-11-30T10:00:00Z")}, plans).empty());
  CHECK(satisfied_by({42, utc("2026-11-30T10:00:00Z")}, {}).empty());
}
