// The lifecycle and service-level rules on whole records (see rules.hpp).
#include "record/rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

#include "text/text.hpp"

namespace refnet::record {

namespace {

using domain::Status;

// The statuses with a stamp of their own, with the field that shows it.
constexpr std::array<std::pair<Status, std::string_view>, 7> stamped{{
    {Status::acknowledged, "acknowledged"},
    {Status::scheduled, "scheduled"},
    {Status::seen, "seen"},
    {Status::closed, "closed"},
    {Status::declined, "declined"},
    {Status::cancelled, "cancelled"},
    {Status::no_show, "no_show"},
}};

}  // namespace

std::optional<domain::Timestamp>& stamp(store::Referral& r, Status s) {
  switch (s) {
    case Status::acknowledged:
      return r.acknowledged;
    case Status::scheduled:
      return r.scheduled;
    case Status::seen:
      return r.seen;
    case Status::closed:
      return r.closed;
    case Status::declined:
      return r.declined;
    case Status::cancelled:
      return r.cancelled;
    case Status::no_show:
      return r.no_show;
    case Status::new_:
      break;
  }
  throw std::logic_error("a new referral has no stamp of its own");
}

void apply_status(store::Referral& r, const store::StatusChange& change) {
  r.status = change.to;
  stamp(r, change.to) = change.at;
  if (change.reason) r.decline_reason = change.reason;
  if (change.note) {
    r.note = r.note && !r.note->empty() ? *r.note + "\n" + *change.note : *change.note;
  }
  if (change.report_due) r.report_due = change.report_due;
  if (change.appointment) r.appointment = change.appointment;
}

std::vector<FieldProblem> complete_referral(store::Referral& r, const ReferralGiven& given,
                                            domain::Timestamp now,
                                            const domain::ServiceLevels& sla) {
  std::vector<FieldProblem> problems;
  if (!given.acknowledge_due)
    r.acknowledge_due = domain::acknowledge_due(r.referred, r.urgency, sla);
  if (!given.created && r.created == domain::Timestamp{}) r.created = now;
  if (r.status != Status::new_ && !stamp(r, r.status))
    stamp(r, r.status) = std::max(now, r.referred);
  for (const auto& [s, field] : stamped) {
    const auto& at = stamp(r, s);
    if (!at) continue;
    if (!domain::on_the_way(s, r.status)) {
      problems.push_back({field, fmt::format("set, but a referral that is {} never was {}",
                                             domain::to_string(r.status), domain::to_string(s))});
    } else if (*at < r.referred) {
      problems.push_back(
          {field, fmt::format("{} is before the referral was made ({})", domain::format_utc(*at),
                              domain::format_utc(r.referred))});
    }
  }
  if (r.seen && !r.report_due) r.report_due = domain::report_due(*r.seen, sla);
  if (r.status == Status::declined &&
      (!r.decline_reason || text::trim(*r.decline_reason).empty())) {
    problems.push_back({"decline_reason", "required when the status is declined"});
  }
  return problems;
}

std::vector<FieldProblem> check_touchpoint(const store::Touchpoint& t,
                                           std::optional<std::int64_t> referral_contact) {
  std::vector<FieldProblem> problems;
  if (!t.done_at && !t.due)
    problems.push_back({"", "give done_at (it happened) or due (it is planned)"});
  if (t.referral_id) {
    if (!referral_contact) {
      problems.push_back({"referral_id", fmt::format("no referral #{}; import the referrals first",
                                                     *t.referral_id)});
    } else if (*referral_contact != t.contact_id) {
      problems.push_back(
          {"referral_id", fmt::format("referral #{} is with contact #{}, not #{}", *t.referral_id,
                                      *referral_contact, t.contact_id)});
    }
  }
  return problems;
}

}  // namespace refnet::record
