#pragma once

#include <algorithm>
#include <chrono>

#include "report/overdue.hpp"

namespace refnet::report {

// A referral counts in a report when it was made in [since, until) and no later than as-of:
// this is the exclusive end of that range.
inline domain::Timestamp referral_end(const Period& p) {
  const domain::Timestamp after_as_of = p.as_of + std::chrono::seconds(1);
  return p.until ? std::min(*p.until, after_as_of) : after_as_of;
}

}  // namespace refnet::report
