// Referral statuses by name (aliases too), the allowed moves, and the errors for a refused move.
#include "domain/referral_status.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "error.hpp"
#include "text/text.hpp"

namespace refnet::domain {
namespace {

constexpr std::array<std::string_view, 8> status_names{
    "new", "acknowledged", "scheduled", "seen", "closed", "declined", "cancelled", "no-show"};

// Other spellings people type: the command is `ack`, Americans write "canceled".
struct Alias {
  std::string_view text;
  Status status;
};
constexpr std::array<Alias, 4> status_aliases{{{"ack", Status::acknowledged},
                                               {"canceled", Status::cancelled},
                                               {"no_show", Status::no_show},
                                               {"noshow", Status::no_show}}};

std::string list_of(const std::vector<Status>& statuses) {
  std::string text;
  for (const Status s : statuses) {
    if (!text.empty()) text += ", ";
    text += to_string(s);
  }
  return text;
}

}  // namespace

std::string_view to_string(Status s) {
  return status_names[static_cast<std::size_t>(s)];
}

std::optional<Status> parse_status(std::string_view text) {
  for (const Status s : all_statuses) {
    if (text::iequals_ascii(text, to_string(s))) return s;
  }
  for (const Alias& alias : status_aliases) {
    if (text::iequals_ascii(text, alias.text)) return alias.status;
  }
  return std::nullopt;
}

bool is_final(Status s) {
  return s == Status::closed || s == Status::declined || s == Status::cancelled ||
         s == Status::no_show;
}

bool is_open(Status s) {
  return !is_final(s);
}

std::vector<Status> allowed_next(Status from) {
  switch (from) {
    case Status::new_:
      return {Status::acknowledged, Status::scheduled, Status::seen,
              Status::closed,       Status::declined,  Status::cancelled};
    case Status::acknowledged:
      return {Status::scheduled, Status::seen, Status::closed, Status::declined, Status::cancelled};
    case Status::scheduled:
      return {Status::seen, Status::closed, Status::declined, Status::cancelled, Status::no_show};
    case Status::seen:
      // The patient was seen: only the report closing the loop is left.
      return {Status::closed};
    case Status::closed:
    case Status::declined:
    case Status::cancelled:
    case Status::no_show:
      return {};
  }
  return {};
}

bool can_move(Status from, Status to) {
  const auto next = allowed_next(from);
  return std::find(next.begin(), next.end(), to) != next.end();
}

bool on_the_way(Status step, Status status) {
  if (step == status) return true;
  std::vector<Status> frontier{step};
  std::vector<Status> seen{step};
  while (!frontier.empty()) {
    const auto from = frontier.back();
    frontier.pop_back();
    for (const auto next : allowed_next(from)) {
      if (next == status) return true;
      if (std::find(seen.begin(), seen.end(), next) == seen.end()) {
        seen.push_back(next);
        frontier.push_back(next);
      }
    }
  }
  return false;
}

void check_transition(Status from, Status to, bool has_reason, std::int64_t referral_id) {
  const auto correction = fmt::format(
      "if {} was a mistake: refnet status {} {} --correct --reason TEXT", to_string(from),
      referral_id != 0 ? std::to_string(referral_id) : "ID", to_string(to));
  if (is_final(from)) {
    throw Error(Exit::data,
                fmt::format("referral is {}, a final state; it cannot change", to_string(from)),
                correction + "; a new referral: refnet refer");
  }
  if (!can_move(from, to)) {
    throw Error(Exit::data,
                fmt::format("cannot move referral from {} to {}: allowed next: {}", to_string(from),
                            to_string(to), list_of(allowed_next(from))),
                correction);
  }
  if (to == Status::declined && !has_reason) {
    throw Error(Exit::data, "declining a referral needs a reason", "add --reason TEXT");
  }
}

}  // namespace refnet::domain
