// The trend report's calendar buckets and bars (src/report/trend.cpp).

#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "report/trend.hpp"

using namespace refnet;
using namespace refnet::report;
using namespace std::chrono_literals;

namespace {

domain::Timestamp at(std::chrono::year_month_day day, std::chrono::hours hour = 12h) {
  return std::chrono::sys_days{day} + hour;
}

}  // namespace

TEST_CASE("months and quarters are labelled by their calendar") {
  CHECK(bucket_of(at(2026y / 11 / 27), TrendBucket::month).label == "2026-11");
  CHECK(bucket_of(at(2026y / 11 / 27), TrendBucket::month).first_day == 2026y / 11 / 1);
  CHECK(bucket_of(at(2026y / 1 / 1, 0h), TrendBucket::quarter).label == "2026-Q1");
  CHECK(bucket_of(at(2026y / 9 / 30, 23h), TrendBucket::quarter).label == "2026-Q3");
  CHECK(bucket_of(at(2026y / 10 / 1, 0h), TrendBucket::quarter).label == "2026-Q4");
  CHECK(bucket_of(at(2026y / 10 / 1), TrendBucket::quarter).first_day == 2026y / 10 / 1);
}

TEST_CASE("weeks are ISO weeks: Monday first, the year of their Thursday") {
  // 2026-11-27 is a Friday in week 48.
  const auto week = bucket_of(at(2026y / 11 / 27), TrendBucket::week);
  CHECK(week.label == "2026-W48");
  CHECK(week.first_day == 2026y / 11 / 23);
  // A Sunday belongs to the week that began the Monday before.
  CHECK(bucket_of(at(2026y / 11 / 29), TrendBucket::week).label == "2026-W48");
  CHECK(bucket_of(at(2026y / 11 / 30, 0h), TrendBucket::week).label == "2026-W49");
  // 2025-12-29 (Monday) is in 2026's first week; 2026 has 53 weeks; 2027-01-03 is still in W53.
  CHECK(bucket_of(at(2025y / 12 / 31), TrendBucket::week).label == "2026-W01");
  CHECK(bucket_of(at(2026y / 12 / 31), TrendBucket::week).label == "2026-W53");
  CHECK(bucket_of(at(2027y / 1 / 3), TrendBucket::week).label == "2026-W53");
  CHECK(bucket_of(at(2027y / 1 / 4), TrendBucket::week).label == "2027-W01");
}

TEST_CASE("the next bucket follows on without gaps") {
  auto month = bucket_of(at(2026y / 12 / 15), TrendBucket::month);
  month = next_bucket(month, TrendBucket::month);
  CHECK(month.label == "2027-01");
  CHECK(month.start == std::chrono::sys_days{2027y / 1 / 1});
  auto quarter =
      next_bucket(bucket_of(at(2026y / 11 / 1), TrendBucket::quarter), TrendBucket::quarter);
  CHECK(quarter.label == "2027-Q1");
  auto week = next_bucket(bucket_of(at(2026y / 12 / 30), TrendBucket::week), TrendBucket::week);
  CHECK(week.label == "2027-W01");
  CHECK(week.first_day == 2027y / 1 / 4);
}

TEST_CASE("the default period is twelve months, widened to whole weeks and quarters") {
  Period p;
  p.as_of = at(2026y / 11 / 27);
  CHECK(*trend_period(p, TrendBucket::month).since == std::chrono::sys_days{2025y / 12 / 1});
  CHECK(*trend_period(p, TrendBucket::quarter).since == std::chrono::sys_days{2025y / 10 / 1});
  // 2025-12-01 is a Monday.
  CHECK(*trend_period(p, TrendBucket::week).since == std::chrono::sys_days{2025y / 12 / 1});
  p.since = at(2026y / 3 / 3);
  CHECK(*trend_period(p, TrendBucket::month).since == at(2026y / 3 / 3));
}

TEST_CASE("bars scale to the maximum in eighths, or whole '#' cells") {
  CHECK(draw_bar(0, 10, 40, true).empty());
  CHECK(draw_bar(5, 0, 40, true).empty());
  std::string full;
  for (int i = 0; i < 4; ++i) full += "█";
  CHECK(draw_bar(8, 8, 4, true) == full);
  CHECK(draw_bar(1, 8, 4, true) == "▌");     // half a cell
  CHECK(draw_bar(3, 8, 4, true) == "█▌");    // one and a half
  CHECK(draw_bar(1, 1000, 4, true) == "▏");  // never invisible above zero
  CHECK(draw_bar(8, 8, 4, false) == "####");
  CHECK(draw_bar(3, 8, 4, false) == "##");  // 1.5 rounds to 2
  CHECK(draw_bar(1, 1000, 4, false) == "#");
}

TEST_CASE("--by accepts week, month and quarter only") {
  CHECK(parse_trend_bucket("week") == TrendBucket::week);
  CHECK(parse_trend_bucket("quarter") == TrendBucket::quarter);
  CHECK_FALSE(parse_trend_bucket("day"));
  CHECK_FALSE(parse_trend_bucket("Month"));
}
