// The weekly digest's own policy: its windows and the lists only it makes, apart for their tests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/time.hpp"
#include "report/report.hpp"
#include "report/trend.hpp"
#include "store/records.hpp"

namespace refnet::report {

// The windows a digest reads (README "digest"): all [start, end).
struct DigestWindows {
  Period period;  // since set: the digest's days, by default the 7 whole ones before as-of's day
  domain::Timestamp start, end;
  domain::Timestamp previous_start, previous_end;  // as many local days just before
  domain::Timestamp year_start, year_end;          // the same days a year earlier
  domain::Timestamp rates_start;                   // the 90 local days to `end`, for the rates
  std::vector<Bucket> weeks;                       // the 12 ISO weeks to end's week
};
DigestWindows digest_windows(const Period& requested);

// The same local day and time a year earlier (29 February becomes the 28th).
domain::Timestamp year_before(domain::Timestamp t);

// Who to thank: the period's referrers active at as-of with no touchpoint done since their last
// referral of the period; most referrals first, then the longest wait, then name and id.
std::vector<store::ReferrerTouch> thanks_owed(std::vector<store::ReferrerTouch> referrers,
                                              domain::Timestamp as_of);

// A relationship gone one-sided: referrals went both ways in the baseline window and only one
// way in the recent one (reciprocity_flag's "one-sided"); both windows are at-risk's.
struct OneSided {
  store::ReciprocityRow before;  // the baseline window
  store::ReciprocityRow recent;
};
// Most referrals in the baseline first, then name and id.
std::vector<OneSided> gone_one_sided(const std::vector<store::ReciprocityRow>& before,
                                     const std::vector<store::ReciprocityRow>& recent);

// A service level as hours for comparing a median with it: minutes and hours exactly, days and
// weeks as 24 and 168 hours, a business day as 7/5 of a day (the five of each week spread over
// seven), so "2bd" is 67.2 hours.
double target_hours(const domain::Duration& duration);

// Inbound referrals per bucket, oldest first: `times` counted into the buckets that start at
// `starts` (ascending), the last one open-ended; times before the first are left out.
std::vector<std::int64_t> counts_per_bucket(const std::vector<domain::Timestamp>& starts,
                                            const std::vector<domain::Timestamp>& times);

}  // namespace refnet::report
