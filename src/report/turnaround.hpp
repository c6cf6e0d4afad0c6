#pragma once

#include <cstddef>
#include <vector>

#include "output/sink.hpp"
#include "report/overdue.hpp"
#include "store/store.hpp"

namespace refnet::report {

// How long referrals made in the period took to be acknowledged, scheduled, seen and closed:
// the count, the median and the 90th percentile (nearest rank) in hours, per direction and
// urgency, and over every urgency ("all"). A step counts when it happened by as-of and not
// before its referral. Returns the number of rows written.
std::vector<output::Column> turnaround_columns();
std::size_t turnaround(store::Store& store, const Period& period, output::RowSink& sink);

}  // namespace refnet::report
