// The trend report's calendar: its buckets and bars, apart for their unit tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/report.hpp"

namespace refnet::report {

enum class TrendBucket { week, month, quarter };
std::optional<TrendBucket> parse_trend_bucket(std::string_view text);

struct TrendOptions {
  TrendBucket by = TrendBucket::month;
  bool bar = false;  // add the bar column (tables only: csv/json carry the numbers)
  bool utf8 = true;  // the bar in Unicode eighth blocks, else ASCII '#'
};

// The period the trend covers: the one asked for, or by default the 12 calendar months ending
// with as-of's month, widened back to the start of its first week or quarter.
Period trend_period(Period requested, TrendBucket by);

// A bucket of the local calendar: its first instant and its label ("2026-11", "2026-W47" for the
// ISO week, "2026-Q4").
struct Bucket {
  domain::Timestamp start;
  domain::LocalDate first_day;
  std::string label;
};
// The bucket holding `t`, and the one after `b`.
Bucket bucket_of(domain::Timestamp t, TrendBucket by);
Bucket next_bucket(const Bucket& b, TrendBucket by);

// A bar `width` cells long at `max`, in eighths of a cell (UTF-8) or whole '#' cells; a value
// above zero always shows at least the thinnest mark.
std::string draw_bar(std::int64_t value, std::int64_t max, int width, bool utf8);

}  // namespace refnet::report
