#pragma once

#include <cstddef>
#include <vector>

#include "domain/sla.hpp"
#include "output/sink.hpp"
#include "report/overdue.hpp"
#include "store/store.hpp"

namespace refnet::report {

// The period the summary covers: the one asked for, or by default the 30 local days that end
// with as-of's day.
Period summary_period(Period requested);

// The period at a glance, one (section, metric, value) row per figure so every format carries
// the same shape:
//   referrals   in, out            made in the period
//   referrals   open               not in a final state at as-of, whenever made
//   actions     overdue            items of the overdue report at as-of
//   actions     followups_past_due open planned follow-ups due before as-of
//   actions     followups_due_7d   open planned follow-ups due in the 7 days from as-of
//   closed_loop closed, referrals, rate_percent
//               the share of the period's referrals (both directions) whose loop closed after
//               the referral was made and by as-of (CMS50: a report dated before the referral
//               does not count); declined or cancelled ones stay in the denominator, as in CMS50.
//               rate_percent is null when the period has no referrals.
//   contacts    new                contacts created in the period (merged duplicates left out)
//   top_referrers <contact name>   the 5 contacts who sent the most referrals in the period
// Returns the number of rows written to `sink`.
std::vector<output::Column> summary_columns();
std::size_t summary(store::Store& store, const Period& period, const domain::ServiceLevels& sla,
                    output::RowSink& sink);

}  // namespace refnet::report
