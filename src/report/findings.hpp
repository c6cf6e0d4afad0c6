// What the reports find, as data: each report's file writes its own as rows, and the digest
// (src/report/digest.cpp) composes them into one page.
#pragma once

// Each function here is the report's question to the store and its policy (grades, rates,
// percentiles, attribution, order), without its columns: the report named beside it prints the
// same findings, so a figure in the digest is the figure that report shows for the same period.

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "domain/sla.hpp"
#include "domain/vocabulary.hpp"
#include "report/report.hpp"
#include "store/store.hpp"

namespace refnet::report {

// How a patient reference is printed: as it is (empty), or pseudonymised (--redact).
using Redact = std::function<std::string(std::string_view)>;

// --- overdue ---
// Everything owed at as-of as the database stood then, most overdue first; with a period, only
// what fell due in it. A keep-in-touch item is dated in local calendar days (README "overdue").
std::vector<store::OverdueItem> overdue_items(store::Store& store, const Period& period,
                                              const domain::ServiceLevels& sla);
// What is owed, in words: "acknowledge referral #3 (patient MRN-1)".
std::string owed_text(const store::OverdueItem& item, const Redact& redact);

// --- at-risk ---
// The windows and grades, from [report] in the config.
struct AtRiskSettings {
  domain::Duration recent;
  domain::Duration baseline;
  int critical_drop = 100;  // percent; 100 means silent
  int high_drop = 60;
  int medium_drop = 30;
  std::int64_t min_baseline = 3;      // fewer baseline referrals: a new referrer, not judged
  domain::BusinessCalendar calendar;  // for windows in business days
};
AtRiskSettings at_risk_settings(const config::Config& config);

// The recent window [recent_start, end) ends with the period (as-of, or --until when earlier);
// the baseline [baseline_start, recent_start) lies right before it: `baseline` long, or from
// --since. Throws Error(usage) when --since is not before the recent window.
struct AtRiskWindows {
  domain::Timestamp baseline_start, recent_start, end;
};
AtRiskWindows at_risk_windows(const Period& period, const AtRiskSettings& settings);

struct AtRisk {
  std::string grade;  // critical | high | medium
  store::ReferrerVolume volume;
  double expected = 0;      // baseline scaled to the recent window's length, one decimal
  double drop_percent = 0;  // (expected - recent) / expected, one decimal
};
// The graded referrers, critical first, then by the drop, the expected count, name and id:
// of the store's referrer_volumes over the windows, or of those given.
std::vector<AtRisk> at_risk_referrers(store::Store& store, const AtRiskWindows& windows,
                                      const AtRiskSettings& settings);
std::vector<AtRisk> at_risk_referrers(const std::vector<store::ReferrerVolume>& volumes,
                                      const AtRiskWindows& windows, const AtRiskSettings& settings);

// --- closed-loop ---
// A share of closed loops in percent, one decimal; nullopt without referrals.
std::optional<double> closed_loop_rate(std::int64_t closed, std::int64_t referrals);
struct LoopTotals {
  std::int64_t referrals = 0;
  std::int64_t closed = 0;
};
// Per direction, [0] out then [1] in (the order of the report's overall rows).
inline constexpr std::array<std::string_view, 2> loop_directions{"out", "in"};
std::array<LoopTotals, 2> closed_loop_totals(const std::vector<store::ClosedLoopCount>& counts);

// --- turnaround ---
inline constexpr std::array<std::string_view, 4> turnaround_steps{"acknowledged", "scheduled",
                                                                  "seen", "closed"};
inline constexpr std::array<std::string_view, 2> turnaround_directions{"in", "out"};
// Nearest-rank percentiles of one group of durations (README "turnaround").
struct StepRank {
  std::int64_t n = 0;
  std::int64_t median_secs = 0;
  std::int64_t p90_secs = 0;
};
// [urgency index in domain::urgencies, then all of them]
using StepRanks = std::array<StepRank, domain::urgencies.size() + 1>;
// [direction][step], in the orders above.
using TurnaroundRanks =
    std::array<std::array<StepRanks, turnaround_steps.size()>, turnaround_directions.size()>;
TurnaroundRanks turnaround_ranks(store::Store& store, const Period& period);
// Seconds as hours, one decimal.
double hours(std::int64_t seconds);

// --- sources ---
// One line: the inbound referrals attributed to a channel or an event.
struct Share {
  std::string name;  // the channel ("unknown" when unset), event or "no event"
  std::optional<store::EventRef> event;
  std::int64_t referrals = 0;
  std::int64_t contacts = 0;  // distinct contacts who referred
};
struct SourceShares {
  std::int64_t total = 0;  // inbound referrals of the period
  std::vector<Share> by_source, by_event;
};
// Named lines by referrals, most first, the unattributed one ("unknown", "no event") last.
SourceShares source_shares(store::Store& store, const Period& period);
// A line's share of all inbound referrals in percent, one decimal.
double share_percent(const Share& share, std::int64_t total);

}  // namespace refnet::report
