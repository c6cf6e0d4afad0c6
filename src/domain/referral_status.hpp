// A referral's lifecycle: its statuses, their names, and which moves between them are allowed.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace refnet::domain {

// A referral's lifecycle: new → acknowledged → scheduled → seen → closed, with the exits
// declined, cancelled and no-show (the latter only from scheduled).
enum class Status { new_, acknowledged, scheduled, seen, closed, declined, cancelled, no_show };

inline constexpr std::array<Status, 8> all_statuses{
    Status::new_,   Status::acknowledged, Status::scheduled, Status::seen,
    Status::closed, Status::declined,     Status::cancelled, Status::no_show};

std::string_view to_string(Status s);                       // "new", "no-show", ...
std::optional<Status> parse_status(std::string_view text);  // case-insensitive; "no_show" too

bool is_final(Status s);  // closed, declined, cancelled, no-show
bool is_open(Status s);   // not final

// The states a referral may move to from `from`, in lifecycle order. Skipping forward is
// allowed (new → seen); going back, staying put, or leaving a final state is not.
std::vector<Status> allowed_next(Status from);
bool can_move(Status from, Status to);
// Whether a referral now `status` passed through `step` on its way there (every status is on
// its own way): the steps whose stamps it may carry.
bool on_the_way(Status step, Status status);

// Throws Error(data) when the move is not allowed, naming the allowed next states, or saying
// the referral is final, with the correction to use if `from` was a mistake; and when `to` is
// declined without a reason.
void check_transition(Status from, Status to, bool has_reason, std::int64_t referral_id = 0);

}  // namespace refnet::domain
