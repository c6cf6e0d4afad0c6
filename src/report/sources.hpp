#pragma once

#include <cstddef>
#include <vector>

#include "output/sink.hpp"
#include "report/overdue.hpp"
#include "store/store.hpp"

namespace refnet::report {

// Which channels bring patients: the period's inbound referrals (from the beginning unless
// --since) by the referring contact's source channel ("unknown" when unset), then by the event
// where the contact was met ("no event" when none); `by` says which. Each section adds up to all
// inbound referrals, so `share` is the percent of them. See Store::each_source_share for how a
// contact is attributed to an event. Returns the number of rows written.
std::vector<output::Column> sources_columns();
std::size_t sources(store::Store& store, const Period& period, output::RowSink& sink);

}  // namespace refnet::report
