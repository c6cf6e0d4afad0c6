// When a logged touchpoint satisfies a planned follow-up (refnet(1) followup).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "domain/time.hpp"

namespace refnet::domain {

// A planned follow-up that is still open (not done, satisfied or dismissed).
struct PlannedFollowup {
  std::int64_t id = 0;
  std::int64_t contact_id = 0;
  Timestamp planned_at;  // when the plan was made
  Timestamp due;
};

// A touchpoint that happened.
struct LoggedTouchpoint {
  std::int64_t contact_id = 0;
  Timestamp done_at;
};

// refnet(1) followup: a planned follow-up is satisfied by any touchpoint with the same contact that
// happened at or after the moment it was planned. A call logged with a date before the plan was
// made does not satisfy it.
bool satisfies(const LoggedTouchpoint& logged, const PlannedFollowup& planned);

// The ids of the open plans that `logged` satisfies, in the order given.
std::vector<std::int64_t> satisfied_by(const LoggedTouchpoint& logged,
                                       const std::vector<PlannedFollowup>& open_plans);

}  // namespace refnet::domain
