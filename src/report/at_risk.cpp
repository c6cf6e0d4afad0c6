#include "report/at_risk.hpp"

#include <fmt/format.h>

#include <chrono>

#include "error.hpp"
#include "report/window.hpp"

namespace refnet::report {

namespace {

domain::Timestamp step_back(domain::Timestamp from, domain::Duration d,
                            const domain::BusinessCalendar& calendar) {
  d.count = -d.count;
  return domain::add_duration(from, d, calendar);
}

output::Tone grade_tone(const std::string& grade) {
  if (grade == "critical") return output::Tone::alert;
  if (grade == "high") return output::Tone::warn;
  return output::Tone::plain;
}

}  // namespace

AtRiskWindows at_risk_windows(const Period& period, const AtRiskSettings& settings) {
  AtRiskWindows w;
  w.end = referral_end(period);
  w.recent_start = step_back(w.end, settings.recent, settings.calendar);
  w.baseline_start = period.since ? *period.since
                                  : step_back(w.recent_start, settings.baseline, settings.calendar);
  if (w.baseline_start >= w.recent_start) {
    throw Error(
        Exit::usage,
        fmt::format("--since {} leaves no baseline: the recent window ({}) starts {}",
                    domain::format_local(w.baseline_start),
                    domain::format_duration(settings.recent), domain::format_local(w.recent_start)),
        "pick an earlier --since, or leave it out for the configured baseline");
  }
  return w;
}

std::vector<output::Column> at_risk_columns() {
  return {
      {"grade", "Grade", false, output::Tone::bold},
      {"contact", "Contact"},
      {"contact_id", "Contact ID", true, output::Tone::plain, false},
      {"baseline", "Baseline", true},
      {"recent", "Recent", true},
      {"expected", "Expected", true},
      {"drop_percent", "Drop %", true},
      {"last_referral", "Last referral"},
      {"days_since_last", "Days since", true},
  };
}

std::size_t at_risk(store::Store& store, const Period& period, const AtRiskSettings& settings,
                    output::RowSink& sink) {
  const AtRiskWindows w = at_risk_windows(period, settings);
  store::AtRiskQuery query;
  query.baseline_start = w.baseline_start;
  query.recent_start = w.recent_start;
  query.end = w.end;
  query.min_baseline = settings.min_baseline;
  query.critical_drop = settings.critical_drop;
  query.high_drop = settings.high_drop;
  query.medium_drop = settings.medium_drop;
  // Days are counted to the last instant the report covers.
  const domain::Timestamp last_instant = w.end - std::chrono::seconds(1);

  sink.begin(at_risk_columns());
  std::size_t rows = 0;
  store.each_at_risk(query, [&](const store::AtRiskReferrer& r) {
    output::Cell last = std::monostate{};
    output::Cell days = std::monostate{};
    if (r.last_referral) {
      last = *r.last_referral;
      days = static_cast<std::int64_t>(
          std::chrono::floor<std::chrono::days>(last_instant - *r.last_referral).count());
    }
    sink.row({{r.grade, r.contact_name, r.contact_id, r.baseline, r.recent, r.expected,
               r.drop_percent, last, days}},
             grade_tone(r.grade));
    ++rows;
  });
  sink.end();
  return rows;
}

}  // namespace refnet::report
