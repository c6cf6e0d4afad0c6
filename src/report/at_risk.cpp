// report at-risk: referrers who send fewer patients than they used to, or none at all, graded
// critical, high or medium against their own earlier volume.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>

#include "cli/common.hpp"
#include "error.hpp"
#include "report/findings.hpp"

namespace refnet::report {

namespace {

domain::Timestamp step_back(domain::Timestamp from, domain::Duration d,
                            const domain::BusinessCalendar& calendar) {
  d.count = -d.count;
  return domain::add_duration(from, d, calendar);
}

// The expected recent count is the baseline count scaled by the windows' lengths, so a 90-day
// window is judged against a quarter of a 365-day baseline's volume. Grades read the rounded
// drop, the figure the report shows. A referrer archived before the end, or with fewer baseline
// referrals than the minimum (a new one), is not judged; a steady or growing one has a drop
// below every threshold.
std::optional<AtRisk> grade(const store::ReferrerVolume& v, const AtRiskWindows& w,
                            const AtRiskSettings& settings) {
  if (v.baseline < settings.min_baseline) return std::nullopt;
  if (v.archived && *v.archived < w.end) return std::nullopt;
  const auto recent_seconds = static_cast<double>((w.end - w.recent_start).count());
  const auto baseline_seconds = static_cast<double>((w.recent_start - w.baseline_start).count());
  const double scale = baseline_seconds > 0 ? recent_seconds / baseline_seconds : 0.0;
  const double expected = static_cast<double>(v.baseline) * scale;
  AtRisk g;
  g.volume = v;
  g.expected = round_to_tenth(expected);
  g.drop_percent = round_to_tenth(100.0 * (expected - static_cast<double>(v.recent)) / expected);
  if (g.drop_percent >= settings.critical_drop) {
    g.grade = "critical";
  } else if (g.drop_percent >= settings.high_drop) {
    g.grade = "high";
  } else if (g.drop_percent >= settings.medium_drop) {
    g.grade = "medium";
  } else {
    return std::nullopt;
  }
  return g;
}

}  // namespace

AtRiskSettings at_risk_settings(const config::Config& config) {
  AtRiskSettings s;
  s.recent = config.at_risk_recent;
  s.baseline = config.at_risk_baseline;
  s.critical_drop = config.at_risk_critical_drop;
  s.high_drop = config.at_risk_high_drop;
  s.medium_drop = config.at_risk_medium_drop;
  s.min_baseline = config.at_risk_min_baseline;
  s.calendar = config.sla.calendar;
  return s;
}

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

std::vector<AtRisk> at_risk_referrers(store::Store& store, const AtRiskWindows& w,
                                      const AtRiskSettings& settings) {
  return at_risk_referrers(store.referrer_volumes(w.baseline_start, w.recent_start, w.end), w,
                           settings);
}

std::vector<AtRisk> at_risk_referrers(const std::vector<store::ReferrerVolume>& volumes,
                                      const AtRiskWindows& w, const AtRiskSettings& settings) {
  std::vector<AtRisk> rows;
  for (const auto& v : volumes) {
    if (auto g = grade(v, w, settings)) rows.push_back(std::move(*g));
  }
  std::sort(rows.begin(), rows.end(), [](const AtRisk& a, const AtRisk& b) {
    const bool a_critical = a.grade == "critical";
    const bool b_critical = b.grade == "critical";
    if (a_critical != b_critical) return a_critical;
    if (a.drop_percent != b.drop_percent) return a.drop_percent > b.drop_percent;
    if (a.expected != b.expected) return a.expected > b.expected;
    if (const auto by_name = compare_names(a.volume.contact_name, b.volume.contact_name);
        by_name != 0) {
      return by_name < 0;
    }
    return a.volume.contact_id < b.volume.contact_id;
  });
  return rows;
}

namespace {

output::Tone grade_tone(const std::string& grade) {
  if (grade == "critical") return output::Tone::alert;
  if (grade == "high") return output::Tone::warn;
  return output::Tone::plain;
}

std::vector<output::Column> columns() {
  return {
      {"grade", "Grade", false, output::Tone::bold},
      output::free_text({"contact", "Contact"}),
      {"contact_id", "Contact ID", true, output::Tone::plain, false},
      {"baseline", "Baseline", true},
      {"recent", "Recent", true},
      {"expected", "Expected", true},
      {"drop_percent", "Drop %", true},
      {"last_referral", "Last referral"},
      {"days_since_last", "Days since", true},
  };
}

// Referrers whose recent volume fell against their own baseline, or who went silent: a grade,
// the counts, the expected recent count, the drop in percent, the last referral and the days
// since it; critical rows are highlighted, high ones warned. Returns the number of rows written.
std::size_t at_risk(store::Store& store, const Period& period, const AtRiskSettings& settings,
                    output::RowSink& sink) {
  const auto rows = at_risk_referrers(store, at_risk_windows(period, settings), settings);
  // Whole days from the last referral to as-of, whatever --until ends the windows at (README,
  // "at-risk"): how long the referrer has been silent as the report stands.
  const domain::Timestamp last_instant = period.as_of;

  sink.begin(columns());
  for (const auto& g : rows) {
    const auto& r = g.volume;
    output::Cell days = std::monostate{};
    if (r.last_referral) {
      days = static_cast<std::int64_t>(
          std::chrono::floor<std::chrono::days>(last_instant - *r.last_referral).count());
    }
    sink.row({{g.grade, r.contact_name, r.contact_id, r.baseline, r.recent, g.expected,
               g.drop_percent, cli::cell(r.last_referral), days}},
             grade_tone(g.grade));
  }
  sink.end();
  return rows.size();
}

}  // namespace

void wire_at_risk(CLI::App& sub, cli::Context& ctx, std::shared_ptr<PeriodOptions> options) {
  sub.footer(
      "\nThe recent window (report.at_risk_recent) ends at --as-of, or at --until when earlier;"
      " the baseline\n(report.at_risk_baseline, or from --since) lies right before it.");
  cli::set_example(sub, "refnet report at-risk --as-of 2026-06-30 --format csv");
  sub.callback([options, &ctx] {
    print_rows(
        ctx, *options,
        [&](const Period& p, output::RowSink& sink) {
          return at_risk(ctx.store(), p, at_risk_settings(ctx.config()), sink);
        },
        "No referrer is at risk.");
  });
}

}  // namespace refnet::report
