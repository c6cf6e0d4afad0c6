// The rows the store reads and writes: records, list filters, audit entries and report facts.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/referral_status.hpp"
#include "domain/time.hpp"
#include "domain/vocabulary.hpp"

// The rows the store reads and writes. Plain data: the store fills them, commands and reports
// read them, output writers never see them (commands turn them into cells).
namespace refnet::store {

using domain::Timestamp;
using Text = std::optional<std::string>;

// What `add` and `edit` set on a contact.
struct ContactFields {
  std::string name;
  std::string role = "other";
  Text specialty, practice, npi, phone, fax, email, city, source, note;
  std::optional<std::int64_t> event_id;  // the event where they were met
  std::vector<std::string> tags;
};

struct Contact : ContactFields {
  std::int64_t id = 0;
  Text event_name;
  Timestamp created;
  std::optional<Timestamp> archived;
  std::optional<std::int64_t> merged_into;
  // The events where they were recorded as met (event --met), by id: filled by those who need
  // them (export, import), empty otherwise.
  std::vector<std::int64_t> met_at;
};

struct Referral {
  std::int64_t id = 0;
  domain::Direction direction = domain::Direction::in;
  std::int64_t contact_id = 0;
  std::string contact_name;
  Text contact_npi;  // for exports: the contact's NPI travels with the referral
  std::string patient;
  Text reason;
  domain::Urgency urgency = domain::Urgency::routine;
  domain::Status status = domain::Status::new_;
  Timestamp referred;
  Timestamp acknowledge_due;
  // One timestamp per status reached; a skipped step stays unset.
  std::optional<Timestamp> acknowledged, scheduled, seen, closed, declined, cancelled, no_show;
  std::optional<Timestamp> report_due;   // set when seen
  std::optional<Timestamp> appointment;  // the visit booked when it was scheduled
  Text decline_reason;
  Text note;
  Timestamp created;
};

struct StatusChange {
  domain::Status to = domain::Status::acknowledged;
  Timestamp at;
  Text reason;                           // declined
  Text note;                             // appended to the referral's note
  std::optional<Timestamp> report_due;   // when moving to seen
  std::optional<Timestamp> appointment;  // when moving to scheduled: the visit booked
};

// Why a follow-up was planned: by the user, or automatically by an SLA rule.
inline constexpr const char* origin_manual = "manual";
inline constexpr const char* origin_after_referral = "after-referral";
inline constexpr const char* origin_after_meeting = "after-meeting";

struct Touchpoint {
  std::int64_t id = 0;
  std::int64_t contact_id = 0;
  std::string contact_name;
  Text contact_npi;  // for exports: the contact's NPI travels with the touchpoint
  std::optional<std::int64_t> referral_id;
  std::string via = "call";
  Text note;
  Timestamp created;
  std::optional<Timestamp> done_at;
  std::optional<Timestamp> due;
  std::optional<std::int64_t> satisfied_by;
  std::optional<Timestamp> dismissed_at;
  std::string origin = origin_manual;

  // planned, done, satisfied, dismissed
  std::string state() const;
};

struct Event {
  std::int64_t id = 0;
  std::string name;
  std::string kind;
  std::string date;
  Text location;
  Text note;
  Timestamp created;
  std::int64_t met_count = 0;
  std::vector<std::int64_t> met;  // the contacts met there, by id: filled by Store::event(id)
};

struct FieldChange {
  std::string field;
  Text old_value;  // JSON text of the value; nullopt when the field was absent or null
  Text new_value;
};

struct AuditEntry {
  std::int64_t id = 0;
  std::int64_t change_set = 0;         // the id of the first entry its command wrote (refnet undo)
  std::optional<std::int64_t> undoes;  // an undo's entry: the change set it took back
  Timestamp at;
  std::string actor;
  std::string action;  // add, edit, archive, merge, refer, status, followup, undo, ...
  std::string entity;  // contact, referral, touchpoint, event
  std::int64_t entity_id = 0;
  Text old_json;  // the entity's fields before, as a JSON object (null for a creation)
  Text new_json;  // after
  std::vector<FieldChange> changes;  // the fields that differ between old and new
};

// Filters of `list`; unset members do not filter.
struct ContactFilter {
  Text role, specialty, source, tag;
  std::optional<std::int64_t> contact_id;
  bool include_archived = false;
  std::optional<Timestamp> since, until;  // created
};

struct ReferralFilter {
  std::optional<domain::Direction> direction;
  std::optional<domain::Status> status;
  bool open_only = false;
  std::optional<std::int64_t> contact_id;
  std::optional<Timestamp> since, until;  // referred
  std::optional<Timestamp> overdue_at;    // unacknowledged past the SLA at this instant
  Text role, specialty, source, tag;      // of the contact
  // Only those with an appointment: still scheduled, or the appointment at or after this.
  std::optional<Timestamp> appointments_since;
  Text patient;  // this patient reference exactly
};

struct TouchpointFilter {
  std::optional<std::int64_t> contact_id;
  std::optional<std::int64_t> referral_id;
  bool planned_only = false;  // open plans only
  // With planned_only: also the plans closed (done, satisfied or dismissed) at or after this.
  std::optional<Timestamp> plans_closed_since;
  std::optional<Timestamp> since, until;  // done_at or due
  std::optional<Timestamp> overdue_at;    // open plans due before this instant
  Text via;
  Text role, specialty, source, tag;  // of the contact
};

struct EventFilter {
  Text kind;
  std::optional<std::int64_t> contact_id;  // events where this contact was met
  Text since, until;                       // YYYY-MM-DD
};

// One line of the overdue report.
struct OverdueItem {
  // acknowledge (we owe it), chase-acknowledgement (the consultant owes it), followup,
  // send-report (we owe the referrer our report), chase-report (the consultant owes it),
  // keep-in-touch
  std::string kind;
  std::int64_t contact_id = 0;
  std::string contact_name;
  std::optional<std::int64_t> referral_id;
  std::optional<std::int64_t> touchpoint_id;
  Text patient;  // referral items
  Text via;      // follow-up items
  // For keep-in-touch: the contact's last referral, touchpoint or creation. `due` is it plus the
  // cutoff's span in seconds, for ordering; the report adds sla.keep_in_touch in local days.
  std::optional<Timestamp> last_activity;
  Timestamp due;
};

// What is planned for the coming days (the digest): a follow-up due, or a booked appointment.
struct UpcomingItem {
  std::string kind;  // followup | appointment
  std::int64_t contact_id = 0;
  std::string contact_name;
  std::optional<std::int64_t> referral_id;
  std::optional<std::int64_t> touchpoint_id;
  Text patient;  // appointments
  Text via;      // follow-ups
  Timestamp at;  // the follow-up's due time, the appointment's time
};

// Reciprocity with one contact.
struct Reciprocity {
  std::int64_t referrals_in = 0;
  std::int64_t referrals_out = 0;
  std::optional<Timestamp> last_in, last_out;
  std::optional<Timestamp> last_touch;
};

// A referral, touchpoint or event voided as entered in error (refnet(1) void): out of every
// listing, report and export, kept with why and when.
struct VoidedRecord {
  std::string entity;  // referral, touchpoint, event
  std::int64_t id = 0;
  Text name;                    // the contact's (referral, touchpoint) or the event's
  Text direction;               // referral
  Text patient;                 // referral
  Text via;                     // touchpoint
  std::optional<Timestamp> at;  // when it was made (referral), done or due (touchpoint)
  Text date;                    // event, YYYY-MM-DD
  Timestamp voided_at;
  std::string reason;
};

// How many items each_overdue lists, by kind.
struct OverdueCounts {
  std::int64_t acknowledge = 0;
  std::int64_t chase_acknowledgement = 0;
  std::int64_t followup = 0;
  std::int64_t send_report = 0;
  std::int64_t chase_report = 0;
  std::int64_t record_outcome = 0;
  std::int64_t keep_in_touch = 0;

  std::int64_t total() const {
    return acknowledge + chase_acknowledgement + followup + send_report + chase_report +
           record_outcome + keep_in_touch;
  }
};

// The moment a question about open items (what is owed, what is open) is asked for: the database
// as it stood then (refnet(1) --as-of). `present` says nothing in it is stamped after `at` (it is
// now or later), so the items open now are the answer, found on the indexes of open items;
// otherwise each record's state at `at` is rebuilt from its stamps.
struct AsOf {
  AsOf(Timestamp when, bool now = true) : at(when), present(now) {}  // NOLINT: implicit
  Timestamp at;
  bool present;
};

// The single-figure part of the summary report, over referrals made in [since, end).
struct SummaryCounts {
  std::int64_t referrals_in = 0;
  std::int64_t referrals_out = 0;
  std::int64_t closed = 0;              // of those, closed after being referred and by as-of
  std::int64_t open = 0;                // any referral not in a final state at as-of, whenever made
  std::int64_t new_contacts = 0;        // created in the period (merged duplicates left out)
  std::int64_t followups_due_soon = 0;  // open plans due from as-of to the horizon
};

// A contact and how many referrals it sent us in a period.
struct TopReferrer {
  std::int64_t contact_id = 0;
  std::string contact_name;
  std::int64_t referrals = 0;
};

// Both directions with one contact in a period.
struct ReciprocityRow {
  std::int64_t contact_id = 0;
  std::string contact_name;
  std::int64_t referrals_in = 0;
  std::int64_t referrals_out = 0;
  std::optional<Timestamp> last_in, last_out;
};

// An event as a report names it.
struct EventRef {
  std::int64_t id = 0;
  std::string name;
  std::string date;  // YYYY-MM-DD
};

// A contact who referred patients to us in a period, with what the sources report attributes
// them to: the channel the relationship began through, the event given as where they were met
// (add --event), and the latest event they were recorded at (event --met) by a given day.
struct ReferrerOrigin {
  std::int64_t contact_id = 0;
  std::int64_t referrals = 0;
  Text source;
  std::optional<EventRef> own_event;
  std::optional<EventRef> last_met_event;
};

// A contact who referred patients to us in a period: how many, the last one, and its last
// touchpoint done by a given instant (whenever).
struct ReferrerTouch {
  std::int64_t contact_id = 0;
  std::string contact_name;
  std::optional<Timestamp> archived;
  std::int64_t referrals = 0;
  Timestamp last_referral;
  std::optional<Timestamp> last_touch;
};

// Referrals in and out in one range of time.
struct TrendCounts {
  std::int64_t referrals_in = 0;
  std::int64_t referrals_out = 0;
};

// A contact's inbound referrals in two windows that follow each other, [baseline_start,
// recent_start) and [recent_start, end), and its last one in either.
struct ReferrerVolume {
  std::int64_t contact_id = 0;
  std::string contact_name;
  std::optional<Timestamp> archived;
  std::int64_t baseline = 0;
  std::int64_t recent = 0;
  std::optional<Timestamp> last_referral;
};

// At-risk's windows [baseline_start, recent_start) and [recent_start, end) read once, for the
// digest's at-risk and one-sided sections: each as referrer_volumes and reciprocity_counts give
// it (in no particular order).
struct ContactWindows {
  std::vector<ReferrerVolume> volumes;  // referrer_volumes(baseline_start, recent_start, end)
  std::vector<ReciprocityRow> before;   // reciprocity_counts(baseline_start, recent_start)
  std::vector<ReciprocityRow> recent;   // reciprocity_counts(recent_start, end)
};

// Referrals made in a period with one contact in one direction, and how many of their loops
// closed (closed, not before the referral was made, and by a given instant).
struct ClosedLoopCount {
  std::string direction;        // in | out
  std::int64_t contact_id = 0;  // of the referrals: their contact may be missing
  Text contact_name;            // none when it is
  std::int64_t referrals = 0;
  std::int64_t closed = 0;
};

// The seconds from each referral made in a period to each later step that happened by a given
// instant and not before the referral, per direction ([0] in, [1] out) and step ([0]
// acknowledged, scheduled, seen, [3] closed), in no order. Each value is `seconds <<
// urgency_bits | urgency`, urgency its index in domain::urgencies: sorting values sorts by
// seconds, and one array holds every urgency.
struct StepDurations {
  static constexpr int urgency_bits = 2;
  std::array<std::array<std::vector<std::int64_t>, 4>, 2> values;
};

// Who referred whom, and how often, in a period: one direction with one contact.
struct NetworkEdge {
  std::string direction;  // in: the contact referred to us; out: we referred to the contact
  std::int64_t contact_id = 0;
  std::string contact_name;
  std::string role;
  Text specialty;
  std::int64_t referrals = 0;
};

// What `refnet search` finds: a record whose indexed text holds the words searched for.
enum class SearchKind { contact, referral, touchpoint, event };

// One indexed field of a found record as stored: "name", "practice", "reason" or "note".
struct SearchField {
  std::string field;
  std::string text;
};

struct SearchHit {
  SearchKind kind = SearchKind::contact;
  std::int64_t id = 0;
  std::string name;  // the contact's (contact, referral, touchpoint) or the event's
  std::optional<std::int64_t> contact_id;
  Text patient;  // a referral's
  // The contact's, on contact rows: archived (and when), merged into which contact.
  std::optional<Timestamp> archived;
  std::optional<std::int64_t> merged_into;
  // The indexed fields that hold text, in the index's order (name, practice, reason, note).
  std::vector<SearchField> fields;
};

}  // namespace refnet::store
