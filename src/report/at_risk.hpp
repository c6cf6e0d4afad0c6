#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "domain/time.hpp"
#include "output/sink.hpp"
#include "report/overdue.hpp"
#include "store/store.hpp"

namespace refnet::report {

// The at-risk windows and grades, from [report] in the config.
struct AtRiskSettings {
  domain::Duration recent{90, domain::Duration::Unit::days};
  domain::Duration baseline{365, domain::Duration::Unit::days};
  int critical_drop = 100;  // percent; 100 means silent
  int high_drop = 60;
  int medium_drop = 30;
  std::int64_t min_baseline = 3;
  domain::BusinessCalendar calendar;  // for windows in business days
};

// The recent window [recent_start, end) ends with the period (as-of, or --until when earlier);
// the baseline [baseline_start, recent_start) lies right before it: `baseline` long, or from
// --since. Throws Error(usage) when --since is not before the recent window.
struct AtRiskWindows {
  domain::Timestamp baseline_start, recent_start, end;
};
AtRiskWindows at_risk_windows(const Period& period, const AtRiskSettings& settings);

// Referrers whose recent volume fell against their own baseline, or who went silent: a grade,
// the counts, the expected recent count, the drop in percent, the last referral and the days
// since it. Critical first, then by the drop; critical rows are highlighted, high ones warned.
// Returns the number of rows written.
std::vector<output::Column> at_risk_columns();
std::size_t at_risk(store::Store& store, const Period& period, const AtRiskSettings& settings,
                    output::RowSink& sink);

}  // namespace refnet::report
