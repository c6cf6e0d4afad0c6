#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "domain/sla.hpp"
#include "output/sink.hpp"
#include "store/store.hpp"

namespace refnet::report {

// The period and the instant a report is computed for.
struct Period {
  domain::Timestamp as_of;                 // "now" for the report
  std::optional<domain::Timestamp> since;  // inclusive
  std::optional<domain::Timestamp> until;  // exclusive
};

// The action list: everything owed as of `period.as_of`, most overdue first, each row saying what
// is owed, to whom and how late. Items due in [since, until) when those are set. Returns the
// number of rows written to `sink`.
std::vector<output::Column> overdue_columns();
std::size_t overdue(store::Store& store, const Period& period, const domain::ServiceLevels& sla,
                    output::RowSink& sink);

}  // namespace refnet::report
