// Rules on whole records: status moves and stamps, times the SLA fills in, touchpoint checks.
#pragma once

// The rules on a whole record, whoever wrote it: what the service levels fill in and what the
// lifecycle forbids. A referral typed at the command line and one read from a file meet the same
// checks here.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/referral_status.hpp"
#include "domain/sla.hpp"
#include "store/records.hpp"

namespace refnet::record {

// What is wrong with one field of a record: a `FILE:LINE: column: problem` line of an import.
struct FieldProblem {
  std::string_view field;
  std::string what;
};

// The stamp a referral keeps for reaching `s` (any status but new).
std::optional<domain::Timestamp>& stamp(store::Referral& r, domain::Status s);

// A move through the lifecycle (already allowed by domain::check_transition): the new status and
// its stamp, the decline reason, the note appended to the referral's own on a line of its own,
// and the report due after seen.
void apply_status(store::Referral& r, const store::StatusChange& change);

// Which of a referral's own times its writer gave, so the rules fill in only the others.
struct ReferralGiven {
  bool acknowledge_due = false;
  bool created = false;
};

// Fills in what the rules decide: the acknowledgement due by the SLA for its urgency, `created`
// as `now`, the stamp of the status reached (a spreadsheet says "seen" without a date: it was
// seen by now at the latest), the report due after seen. Then checks the lifecycle: a stamp only
// for a step on the way to the status, none before the referral was made, and a reason for a
// decline. Returns the problems; an empty list means the referral may be written.
std::vector<FieldProblem> complete_referral(store::Referral& r, const ReferralGiven& given,
                                            domain::Timestamp now,
                                            const domain::ServiceLevels& sla);

// A touchpoint either happened (done_at) or is planned (due); the referral it is about, when it
// names one, is with the same contact. `referral_contact` is that referral's contact, or nothing
// when there is no such referral.
std::vector<FieldProblem> check_touchpoint(const store::Touchpoint& t,
                                           std::optional<std::int64_t> referral_contact);

}  // namespace refnet::record
