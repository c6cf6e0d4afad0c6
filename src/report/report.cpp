// What the reports share: the period, name order and rounding (see report.hpp).
#include "report/report.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "cli/common.hpp"
#include "error.hpp"

namespace refnet::report {

domain::Timestamp referral_end(const Period& p) {
  const domain::Timestamp after_as_of = p.as_of + std::chrono::seconds(1);
  return p.until ? std::min(*p.until, after_as_of) : after_as_of;
}

Period period(cli::Context& ctx, const PeriodOptions& o) {
  Period p;
  p.as_of = ctx.now();
  if (!o.as_of.empty()) {
    // A named day means its end: the report as it stood when that day was over.
    const auto parsed = cli::parse_date(ctx, o.as_of, domain::Toward::past, "--as-of");
    p.as_of =
        parsed.date_only ? cli::parse_until(ctx, o.as_of) - std::chrono::seconds(1) : parsed.at;
    p.present = p.as_of >= ctx.now();
  }
  if (!o.since.empty()) p.since = cli::parse_since(ctx, o.since);
  if (!o.until.empty()) p.until = cli::parse_until(ctx, o.until);
  if (p.since && p.until && *p.until <= *p.since) {
    throw Error(Exit::usage, "--until is not after --since");
  }
  return p;
}

Period with_default_days(Period requested, int days) {
  if (!requested.since) {
    const auto end = requested.until ? *requested.until - std::chrono::seconds(1) : requested.as_of;
    const auto last_day = std::chrono::sys_days(domain::local_date(end));
    requested.since =
        domain::local_midnight(domain::LocalDate(last_day - std::chrono::days(days - 1)));
  }
  return requested;
}

std::size_t print_rows(cli::Context& ctx, const PeriodOptions& options,
                       const std::function<std::size_t(const Period&, output::RowSink&)>& rows,
                       std::string_view empty) {
  const auto p = period(ctx, options);
  auto sink = ctx.sink();
  const auto written = rows(p, *sink);
  // A note for the person at the terminal; with -o (cron) it would only be mail of its own.
  if (written == 0 && ctx.format() == output::Format::table && !ctx.writes_file()) {
    ctx.err << empty << '\n';
  }
  return written;
}

std::strong_ordering compare_names(std::string_view a, std::string_view b) {
  const auto fold = [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return static_cast<unsigned>(byte >= 'A' && byte <= 'Z' ? byte + ('a' - 'A') : byte);
  };
  const std::size_t common = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < common; ++i) {
    const unsigned x = fold(a[i]);
    const unsigned y = fold(b[i]);
    if (x != y) return x <=> y;
  }
  return a.size() <=> b.size();
}

double round_to_tenth(double value) {
  return std::round(value * 10.0) / 10.0;
}

}  // namespace refnet::report
