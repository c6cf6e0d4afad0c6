#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "output/dot.hpp"
#include "output/sink.hpp"
#include "report/overdue.hpp"
#include "store/store.hpp"

namespace refnet::report {

// The referral graph of the period. Its nodes are the practice ("us", labelled `practice`) and
// every contact with a referral; an edge points from who referred to who received, weighted by
// the number of referrals: contact -> us for inbound ones, us -> contact for outbound ones.

// As an edge list, most referrals first: source, target, their contact ids (null for us),
// direction and referrals. Returns the number of rows written.
std::vector<output::Column> network_columns();
std::size_t network(store::Store& store, const Period& period, std::string_view practice,
                    output::RowSink& sink);

// As a graph for Graphviz: contacts labelled with name and specialty, shaped and coloured by
// role; edge thickness grows with the number of referrals.
output::Graph network_graph(store::Store& store, const Period& period, std::string_view practice);

}  // namespace refnet::report
