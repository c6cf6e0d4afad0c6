// A referral's fields: what `list referrals` prints, what export writes and import reads, and
// the audit snapshot.
#include <fmt/format.h>

#include <array>

#include "record/records.hpp"
#include "text/text.hpp"

namespace refnet::record {

namespace {

using store::Referral;

Cell get_direction(const Referral& r) {
  return cell_of(r.direction);
}
Problem read_direction(Referral& r, std::string_view text) {
  std::string word;
  if (auto p = read_word(word, text, domain::directions)) return p;
  r.direction = *domain::parse_direction(word);
  return {};
}

Cell get_urgency(const Referral& r) {
  return cell_of(r.urgency);
}
Problem read_urgency(Referral& r, std::string_view text) {
  r.urgency = domain::Urgency::routine;
  if (blank(text, Kind::word)) return {};
  std::string word;
  if (auto p = read_word(word, text, domain::urgencies)) return p;
  r.urgency = *domain::parse_urgency(word);
  return {};
}

Cell get_status(const Referral& r) {
  return cell_of(r.status);
}
Problem read_status(Referral& r, std::string_view text) {
  r.status = domain::Status::new_;
  if (blank(text, Kind::word)) return {};
  if (auto s = domain::parse_status(text::trim(text))) {
    r.status = *s;
    return {};
  }
  return fmt::format(
      "{} is not one of: new, acknowledged, scheduled, seen, closed, declined, cancelled, no-show",
      shown(text));
}

Cell contact_id(const Referral& r) {
  return r.contact_id;
}
Cell contact_name(const Referral& r) {
  return r.contact_name;
}
Cell contact_npi(const Referral& r) {
  return cell_of(r.contact_npi);
}

// Other headers an import takes for each field, as other referral systems and office
// spreadsheets name them (compared by text::match_key: case, spaces and punctuation aside).
constexpr std::string_view contact_aliases[] = {"Contact Name", "Provider", "Provider Name",
                                                "Physician", "Doctor"};
constexpr std::string_view contact_npi_aliases[] = {"Provider NPI", "Physician NPI"};
constexpr std::string_view patient_aliases[] = {"MRN", "Patient ID", "Chart Number",
                                                "Medical Record Number"};
constexpr std::string_view reason_aliases[] = {"Reason for Referral", "Referral Reason",
                                               "Diagnosis"};
constexpr std::string_view urgency_aliases[] = {"Priority"};
constexpr std::string_view referred_aliases[] = {"Referral Date", "Date Referred", "Referred On",
                                                 "Referred At"};

const std::array<Field<Referral>, 23> fields{
    plain<Referral, &Referral::id, Kind::id>("id", "ID", id_views),
    read_by(required(audited_as(computed<Referral>("direction", "Dir", all_views, Kind::word,
                                                   get_direction),
                                "direction"),
                     "in (the contact referred to us) or out (we referred)"),
            read_direction),
    // The contact: the importer finds it by contact_id, contact_npi or the exact name.
    audited_as(computed<Referral>("contact_id", "Contact ID", off_table, Kind::id, contact_id),
               "contact_id"),
    with_aliases(computed<Referral>("contact", "Contact", listed | in_table | exported, Kind::name,
                                    contact_name),
                 contact_aliases),
    with_aliases(
        computed<Referral>("contact_npi", "Contact NPI", exported, Kind::other, contact_npi),
        contact_npi_aliases),
    with_aliases(patient(required(plain<Referral, &Referral::patient, Kind::raw>(
                                      "patient", "Patient", all_views, "patient"),
                                  "a patient reference (chart number, MRN, initials)")),
                 patient_aliases),
    with_aliases(
        plain<Referral, &Referral::reason, Kind::raw>("reason", "Reason", all_views, "reason"),
        reason_aliases),
    with_aliases(read_by(audited_as(computed<Referral>("urgency", "Urgency", all_views, Kind::word,
                                                       get_urgency),
                                    "urgency"),
                         read_urgency),
                 urgency_aliases),
    read_by(audited_as(computed<Referral>("status", "Status", all_views, Kind::word, get_status),
                       "status"),
            read_status),
    with_aliases(required(plain<Referral, &Referral::referred, Kind::time>(
                              "referred", "Referred", all_views, "referred_at"),
                          "when the referral was made"),
                 referred_aliases),
    plain<Referral, &Referral::acknowledge_due, Kind::time>("acknowledge_due", "Ack due",
                                                            all_views | roomy, "acknowledge_due"),
    plain<Referral, &Referral::acknowledged, Kind::time>("acknowledged", "Acknowledged", off_table,
                                                         "acknowledged_at"),
    plain<Referral, &Referral::scheduled, Kind::time>("scheduled", "Scheduled", off_table,
                                                      "scheduled_at"),
    plain<Referral, &Referral::appointment, Kind::time>("appointment", "Appointment",
                                                        all_views | roomy, "appointment_at"),
    plain<Referral, &Referral::seen, Kind::time>("seen", "Seen", off_table, "seen_at"),
    plain<Referral, &Referral::closed, Kind::time>("closed", "Closed", off_table, "closed_at"),
    plain<Referral, &Referral::declined, Kind::time>("declined", "Declined", off_table,
                                                     "declined_at"),
    plain<Referral, &Referral::cancelled, Kind::time>("cancelled", "Cancelled", off_table,
                                                      "cancelled_at"),
    plain<Referral, &Referral::no_show, Kind::time>("no_show", "No-show", off_table, "no_show_at"),
    plain<Referral, &Referral::report_due, Kind::time>("report_due", "Report due", off_table,
                                                       "report_due"),
    plain<Referral, &Referral::decline_reason, Kind::raw>("decline_reason", "Decline reason",
                                                          off_table, "decline_reason"),
    with_aliases(plain<Referral, &Referral::note, Kind::raw>("note", "Note", off_table, "note"),
                 note_aliases),
    plain<Referral, &Referral::created, Kind::time>("created", "Created", exported),
};

}  // namespace

const Description<Referral>& referral() {
  static const Description<Referral> d{"referral", fields};
  return d;
}

}  // namespace refnet::record
