#pragma once

#include <cstddef>
#include <vector>

#include "output/sink.hpp"
#include "report/overdue.hpp"
#include "store/store.hpp"

namespace refnet::report {

// Closed loops (CMS50 style) of referrals made in the period: outbound ones whose consultant's
// report came back, inbound ones whose report we sent, a report counting only when it is dated
// after the referral and by as-of. The overall row of each direction, then one row per contact
// and direction: referrals, closed, open (not closed) and the rate in percent. Returns the number
// of rows written.
std::vector<output::Column> closed_loop_columns();
std::size_t closed_loop(store::Store& store, const Period& period, output::RowSink& sink);

}  // namespace refnet::report
