// report trend: referrals in and out per week, month or quarter, with a bar chart in tables.
#include "report/trend.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>

#include "cli/common.hpp"

namespace refnet::report {

namespace {

using std::chrono::days;
using std::chrono::sys_days;

constexpr int bar_width = 40;
constexpr int default_months = 12;

// U+2589..U+258F: seven eighths down to one eighth of a cell; index = eighths - 1.
constexpr const char* eighths[] = {"▏", "▎", "▍", "▌", "▋", "▊", "▉"};
constexpr const char* full_block = "█";

domain::LocalDate first_of_month(domain::LocalDate d) {
  return d.year() / d.month() / 1;
}

domain::LocalDate first_of_quarter(domain::LocalDate d) {
  const unsigned month = static_cast<unsigned>(d.month());
  return d.year() / std::chrono::month((month - 1) / 3 * 3 + 1) / 1;
}

domain::LocalDate monday_of(domain::LocalDate d) {
  const sys_days day{d};
  const std::chrono::weekday wd{day};
  return domain::LocalDate{day - days(wd.iso_encoding() - 1)};
}

// ISO 8601: the week belongs to the year of its Thursday, and week 1 holds the first Thursday.
std::string iso_week_label(domain::LocalDate monday) {
  const domain::LocalDate thursday{sys_days{monday} + days(3)};
  const sys_days new_year{thursday.year() / 1 / 1};
  const auto week = (sys_days{thursday} - new_year).count() / 7 + 1;
  return fmt::format("{}-W{:02}", static_cast<int>(thursday.year()), week);
}

Bucket make_bucket(domain::LocalDate first, TrendBucket by) {
  Bucket b;
  b.first_day = first;
  b.start = domain::local_midnight(first);
  const int year = static_cast<int>(first.year());
  const unsigned month = static_cast<unsigned>(first.month());
  switch (by) {
    case TrendBucket::week:
      b.label = iso_week_label(first);
      break;
    case TrendBucket::month:
      b.label = fmt::format("{}-{:02}", year, month);
      break;
    case TrendBucket::quarter:
      b.label = fmt::format("{}-Q{}", year, (month - 1) / 3 + 1);
      break;
  }
  return b;
}

}  // namespace

std::optional<TrendBucket> parse_trend_bucket(std::string_view text) {
  if (text == "week") return TrendBucket::week;
  if (text == "month") return TrendBucket::month;
  if (text == "quarter") return TrendBucket::quarter;
  return std::nullopt;
}

Bucket bucket_of(domain::Timestamp t, TrendBucket by) {
  const auto day = domain::local_date(t);
  switch (by) {
    case TrendBucket::week:
      return make_bucket(monday_of(day), by);
    case TrendBucket::quarter:
      return make_bucket(first_of_quarter(day), by);
    case TrendBucket::month:
      break;
  }
  return make_bucket(first_of_month(day), by);
}

Bucket next_bucket(const Bucket& b, TrendBucket by) {
  switch (by) {
    case TrendBucket::week:
      return make_bucket(domain::LocalDate{sys_days{b.first_day} + days(7)}, by);
    case TrendBucket::quarter:
      return make_bucket(b.first_day + std::chrono::months(3), by);
    case TrendBucket::month:
      break;
  }
  return make_bucket(b.first_day + std::chrono::months(1), by);
}

Period trend_period(Period requested, TrendBucket by) {
  if (!requested.since) {
    // The default span ends with --until's month when it is given, else with as-of's.
    const auto end = requested.until ? *requested.until - std::chrono::seconds(1) : requested.as_of;
    const auto this_month = first_of_month(domain::local_date(end));
    const auto first = this_month - std::chrono::months(default_months - 1);
    requested.since = bucket_of(domain::local_midnight(first), by).start;
  }
  return requested;
}

std::string draw_bar(std::int64_t value, std::int64_t max, int width, bool utf8) {
  if (value <= 0 || max <= 0) return "";
  std::string bar;
  if (!utf8) {
    auto cells = (value * width + max / 2) / max;  // rounded to whole cells
    if (cells < 1) cells = 1;
    bar.assign(static_cast<std::size_t>(cells), '#');
    return bar;
  }
  auto units = value * width * 8 / max;  // eighths of a cell, rounded down
  if (units < 1) units = 1;
  for (auto i = units / 8; i > 0; --i) bar += full_block;
  if (units % 8 != 0) bar += eighths[units % 8 - 1];
  return bar;
}

namespace {

std::vector<output::Column> columns(const TrendOptions& options) {
  std::vector<output::Column> columns{
      {"period", "Period"},
      {"start", "Start", false, output::Tone::plain, false},
      {"in", "In", true},
      {"out", "Out", true},
      {"total", "Total", true, output::Tone::bold},
  };
  if (options.bar) columns.push_back({"bar", "Chart", false, output::Tone::good});
  return columns;
}

// Referrals in and out per bucket over the period, every bucket present even when empty, oldest
// first; bars scale to the busiest bucket. Returns the number of rows written.
std::size_t trend(store::Store& store, const Period& requested, const TrendOptions& options,
                  output::RowSink& sink) {
  const Period period = trend_period(requested, options.by);
  const auto end = referral_end(period);
  // Counting starts at `since` itself; the first bucket keeps its calendar label.
  std::vector<Bucket> buckets;
  std::vector<domain::Timestamp> bounds;
  for (Bucket b = bucket_of(*period.since, options.by); *period.since < end && b.start < end;
       b = next_bucket(b, options.by)) {
    bounds.push_back(buckets.empty() ? *period.since : b.start);
    buckets.push_back(b);
  }
  std::vector<store::TrendCounts> counts;
  if (!buckets.empty()) {
    bounds.push_back(end);
    counts = store.referral_counts(bounds);
  }
  std::int64_t busiest = 0;
  for (const auto& c : counts) busiest = std::max(busiest, c.referrals_in + c.referrals_out);

  sink.begin(columns(options));
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const Bucket& b = buckets.at(i);
    const auto& c = counts[i];
    const auto total = c.referrals_in + c.referrals_out;
    std::vector<output::Cell> cells{b.label, output::DateCell{domain::format_date(b.first_day)},
                                    c.referrals_in, c.referrals_out, total};
    if (options.bar) cells.emplace_back(draw_bar(total, busiest, bar_width, options.utf8));
    sink.row(cells);
  }
  sink.end();
  return counts.size();
}

}  // namespace

void wire_trend(CLI::App& sub, cli::Context& ctx, std::shared_ptr<PeriodOptions> options) {
  auto by = std::make_shared<std::string>("month");
  sub.add_option("--by", *by, "Bucket size: week, month (default) or quarter")
      ->type_name("SIZE")
      ->check(CLI::IsMember({"week", "month", "quarter"}));
  cli::set_example(sub, "refnet report trend --by week --since 2026-09-01");
  sub.callback([options, by, &ctx] {
    TrendOptions trend_options;
    trend_options.by = parse_trend_bucket(*by).value_or(TrendBucket::month);
    // The bar is drawing, not data: only the table view gets it.
    trend_options.bar = ctx.format() == output::Format::table;
    trend_options.utf8 = ctx.output_options().utf8;
    const auto p = period(ctx, *options);
    auto sink = ctx.sink();
    trend(ctx.store(), p, trend_options, *sink);
  });
}

}  // namespace refnet::report
