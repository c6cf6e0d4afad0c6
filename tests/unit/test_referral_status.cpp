#include <doctest/doctest.h>

#include <string>

#include "domain/referral_status.hpp"
#include "error.hpp"

using namespace refnet::domain;
using refnet::Error;
using refnet::Exit;

namespace {

// refnet(1)'s lifecycle written out by hand: allowed[from][to], in all_statuses order
// (new, acknowledged, scheduled, seen, closed, declined, cancelled, no-show).
constexpr bool allowed[8][8] = {
    /* new          */ {false, true, true, true, true, true, true, false},
    /* acknowledged */ {false, false, true, true, true, true, true, false},
    /* scheduled    */ {false, false, false, true, true, true, true, true},
    /* seen         */ {false, false, false, false, true, false, false, false},
    /* closed       */ {false, false, false, false, false, false, false, false},
    /* declined     */ {false, false, false, false, false, false, false, false},
    /* cancelled    */ {false, false, false, false, false, false, false, false},
    /* no-show      */ {false, false, false, false, false, false, false, false},
};

std::string transition_error(Status from, Status to, bool has_reason) {
  try {
    check_transition(from, to, has_reason);
  } catch (const Error& e) {
    CHECK(e.code() == Exit::data);
    return e.what();
  }
  return {};
}

std::string joined(const std::vector<Status>& statuses) {
  std::string text;
  for (const Status s : statuses) text += (text.empty() ? "" : ", ") + std::string(to_string(s));
  return text;
}

}  // namespace

TEST_CASE("status names round-trip") {
  const char* names[] = {"new",    "acknowledged", "scheduled", "seen",
                         "closed", "declined",     "cancelled", "no-show"};
  for (std::size_t i = 0; i < all_statuses.size(); ++i) {
    CHECK(to_string(all_statuses[i]) == names[i]);
    CHECK(parse_status(names[i]) == all_statuses[i]);
  }
  CHECK(parse_status("NEW") == Status::new_);
  CHECK(parse_status("No-Show") == Status::no_show);
  CHECK(parse_status("no_show") == Status::no_show);
  CHECK(parse_status("noshow") == Status::no_show);
  CHECK(parse_status("ack") == Status::acknowledged);
  CHECK(parse_status("canceled") == Status::cancelled);
  CHECK_FALSE(parse_status("").has_value());
  CHECK_FALSE(parse_status("done").has_value());
  CHECK_FALSE(parse_status("no show").has_value());
  CHECK_FALSE(parse_status("new_").has_value());
}

TEST_CASE("final and open states") {
  for (const Status s : all_statuses) {
    CAPTURE(to_string(s));
    const bool final_state = s == Status::closed || s == Status::declined ||
                             s == Status::cancelled || s == Status::no_show;
    CHECK(is_final(s) == final_state);
    CHECK(is_open(s) == !final_state);
    CHECK(allowed_next(s).empty() == final_state);
  }
}

TEST_CASE("allowed_next lists the next states in lifecycle order") {
  using S = Status;
  CHECK(allowed_next(S::new_) == std::vector<S>{S::acknowledged, S::scheduled, S::seen, S::closed,
                                                S::declined, S::cancelled});
  CHECK(allowed_next(S::acknowledged) ==
        std::vector<S>{S::scheduled, S::seen, S::closed, S::declined, S::cancelled});
  CHECK(allowed_next(S::scheduled) ==
        std::vector<S>{S::seen, S::closed, S::declined, S::cancelled, S::no_show});
  CHECK(allowed_next(S::seen) == std::vector<S>{S::closed});
}

TEST_CASE("every pair of states against the lifecycle table") {
  for (std::size_t f = 0; f < all_statuses.size(); ++f) {
    for (std::size_t t = 0; t < all_statuses.size(); ++t) {
      const Status from = all_statuses[f];
      const Status to = all_statuses[t];
      CAPTURE(to_string(from));
      CAPTURE(to_string(to));
      CHECK(can_move(from, to) == allowed[f][t]);
      const std::string error = transition_error(from, to, true);
      if (allowed[f][t]) {
        CHECK(error.empty());
      } else if (is_final(from)) {
        CHECK(error ==
              "referral is " + std::string(to_string(from)) + ", a final state; it cannot change");
      } else {
        CHECK(error == "cannot move referral from " + std::string(to_string(from)) + " to " +
                           std::string(to_string(to)) +
                           ": allowed next: " + joined(allowed_next(from)));
      }
    }
  }
}

TEST_CASE("transition messages read well") {
  CHECK(transition_error(Status::seen, Status::scheduled, false) ==
        "cannot move referral from seen to scheduled: allowed next: closed");
  CHECK(transition_error(Status::new_, Status::no_show, false) ==
        "cannot move referral from new to no-show: allowed next: acknowledged, scheduled, seen, "
        "closed, declined, cancelled");
  CHECK(transition_error(Status::closed, Status::new_, false) ==
        "referral is closed, a final state; it cannot change");
  CHECK(transition_error(Status::no_show, Status::scheduled, false) ==
        "referral is no-show, a final state; it cannot change");
  // Skipping forward is fine.
  CHECK(transition_error(Status::new_, Status::seen, false).empty());
  CHECK(transition_error(Status::new_, Status::closed, false).empty());
}

TEST_CASE("declining needs a reason") {
  for (const Status from : {Status::new_, Status::acknowledged, Status::scheduled}) {
    CAPTURE(to_string(from));
    CHECK_NOTHROW(check_transition(from, Status::declined, true));
    try {
      check_transition(from, Status::declined, false);
      FAIL("expected an error");
    } catch (const Error& e) {
      CHECK(e.code() == Exit::data);
      CHECK(std::string(e.what()) == "declining a referral needs a reason");
      CHECK(e.hint() == "add --reason TEXT");
    }
  }
  // A decline that is not allowed at all says so, rather than asking for a reason.
  CHECK(transition_error(Status::seen, Status::declined, false) ==
        "cannot move referral from seen to declined: allowed next: closed");
  // Other moves do not need a reason.
  CHECK_NOTHROW(check_transition(Status::scheduled, Status::cancelled, false));
}
