// The digest's own policy (src/report/digest.cpp): its windows, who to thank, relationships gone
// one-sided, service levels as hours and the sparkline's buckets.

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "report/digest.hpp"

using namespace refnet;
using namespace refnet::report;
using namespace std::chrono_literals;
using std::chrono::sys_days;

namespace {

domain::Timestamp at(int y, unsigned m, unsigned d, std::chrono::seconds time = 0s) {
  return sys_days(std::chrono::year(y) / m / d) + time;
}

std::string day(domain::Timestamp t) {
  return domain::format_local_date(t);
}

}  // namespace

TEST_CASE("digest: by default the 7 whole days before as-of's day, compared by calendar") {
  Period p;
  p.as_of = at(2026, 11, 30, 7h);  // a Monday, TZ=UTC in the unit tests: Monday 23 to Sunday 29
  const auto w = digest_windows(p);
  CHECK(w.start == at(2026, 11, 23));
  CHECK(w.end == at(2026, 11, 30));
  CHECK(w.previous_start == at(2026, 11, 16));
  CHECK(w.previous_end == at(2026, 11, 23));
  CHECK(w.year_start == at(2025, 11, 23));
  CHECK(w.year_end == at(2025, 11, 30));
  CHECK(w.rates_start == at(2026, 9, 1));  // the 90 days to the 29th
  REQUIRE(w.weeks.size() == 12);
  CHECK(w.weeks.back().label == "2026-W48");
  CHECK(w.weeks.front().label == "2026-W37");
  CHECK(day(w.weeks.front().start) == "2026-09-07");
  // Weekly runs at any hour tile the days: the next Monday's starts where this one ended.
  p.as_of = at(2026, 12, 7, 18h);
  CHECK(digest_windows(p).start == w.end);
}

TEST_CASE("digest: a lone --until after as-of ends the 7 days at as-of") {
  Period p;
  p.as_of = at(2026, 11, 27, 9h);
  p.until = at(2027, 1, 1);
  const auto w = digest_windows(p);
  CHECK(w.start == at(2026, 11, 21));
  CHECK(w.end == at(2026, 11, 27, 9h + 1s));
}

TEST_CASE("digest: --since and --until set the days; a lone --until ends the 7 days") {
  Period p;
  p.as_of = at(2026, 11, 27, 9h);
  p.until = at(2026, 11, 1);  // --until 2026-10-31
  auto w = digest_windows(p);
  CHECK(w.start == at(2026, 10, 25));
  CHECK(w.end == at(2026, 11, 1));
  CHECK(w.previous_start == at(2026, 10, 18));
  CHECK(w.previous_end == at(2026, 10, 25));
  p.since = at(2026, 10, 1);
  w = digest_windows(p);
  CHECK(w.start == at(2026, 10, 1));
  CHECK(w.previous_start == at(2026, 8, 31));  // as many days (31) before
  CHECK(w.previous_end == at(2026, 10, 1));
}

TEST_CASE("digest: a year before 29 February is the 28th") {
  CHECK(year_before(at(2028, 2, 29, 10h)) == at(2027, 2, 28, 10h));
  CHECK(year_before(at(2027, 3, 1)) == at(2026, 3, 1));
}

TEST_CASE("digest: who to thank is who referred and heard nothing since") {
  const auto as_of = at(2026, 11, 27, 9h);
  std::vector<store::ReferrerTouch> rows(4);
  rows[0] = {1, "Ann", std::nullopt, 1, as_of - 48h, as_of - 24h};    // called since: thanked
  rows[1] = {2, "Bob", std::nullopt, 1, as_of - 48h, as_of - 72h};    // called before only
  rows[2] = {3, "Cara", std::nullopt, 3, as_of - 24h, std::nullopt};  // never touched
  rows[3] = {4, "Dan", as_of - 1h, 5, as_of - 24h, std::nullopt};     // archived since
  const auto owed = thanks_owed(rows, as_of);
  REQUIRE(owed.size() == 2);
  CHECK(owed[0].contact_name == "Cara");  // most referrals first
  CHECK(owed[1].contact_name == "Bob");
}

TEST_CASE("digest: gone one-sided means both ways before and one way since") {
  const auto row = [](std::int64_t id, std::int64_t in, std::int64_t out) {
    store::ReciprocityRow r;
    r.contact_id = id;
    r.contact_name = "C" + std::to_string(id);
    r.referrals_in = in;
    r.referrals_out = out;
    return r;
  };
  const std::vector<store::ReciprocityRow> before{row(1, 3, 2), row(2, 5, 0), row(3, 1, 1),
                                                  row(4, 9, 9)};
  const std::vector<store::ReciprocityRow> recent{row(1, 2, 0), row(2, 1, 0), row(3, 0, 4),
                                                  row(4, 1, 1)};
  const auto gone = gone_one_sided(before, recent);
  REQUIRE(gone.size() == 2);
  CHECK(gone[0].recent.contact_id == 1);  // 5 referrals before, then 3 with 2
  CHECK(gone[1].recent.contact_id == 3);
  CHECK(gone_one_sided(before, {}).empty());  // silent since: at-risk's business, not this
}

TEST_CASE("digest: service levels as hours") {
  using Unit = domain::Duration::Unit;
  CHECK(target_hours({30, Unit::minutes}) == doctest::Approx(0.5));
  CHECK(target_hours({24, Unit::hours}) == doctest::Approx(24));
  CHECK(target_hours({2, Unit::days}) == doctest::Approx(48));
  CHECK(target_hours({1, Unit::weeks}) == doctest::Approx(168));
  CHECK(target_hours({2, Unit::business_days}) == doctest::Approx(67.2));
}

TEST_CASE("digest: counts per bucket leave out what came before the first") {
  const std::vector<domain::Timestamp> starts{at(2026, 1, 1), at(2026, 2, 1), at(2026, 3, 1)};
  const std::vector<domain::Timestamp> times{at(2025, 12, 31), at(2026, 1, 1), at(2026, 1, 31),
                                             at(2026, 3, 1, 5h), at(2026, 4, 2)};
  CHECK(counts_per_bucket(starts, times) == std::vector<std::int64_t>{2, 0, 2});
  CHECK(counts_per_bucket({}, times).empty());
}
