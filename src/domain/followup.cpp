// Which open follow-up plans a logged touchpoint satisfies.
#include "domain/followup.hpp"

namespace refnet::domain {

bool satisfies(const LoggedTouchpoint& logged, const PlannedFollowup& planned) {
  return logged.contact_id == planned.contact_id && logged.done_at >= planned.planned_at;
}

std::vector<std::int64_t> satisfied_by(const LoggedTouchpoint& logged,
                                       const std::vector<PlannedFollowup>& open_plans) {
  std::vector<std::int64_t> ids;
  for (const PlannedFollowup& plan : open_plans) {
    if (satisfies(logged, plan)) ids.push_back(plan.id);
  }
  return ids;
}

}  // namespace refnet::domain
