// A touchpoint's fields (a follow-up logged or planned): what `list followups` prints, what
// export writes and import reads, and the audit snapshot.
#include <array>

#include "record/records.hpp"

namespace refnet::record {

namespace {

using store::Touchpoint;

constexpr std::array<std::string_view, 3> origins{
    store::origin_manual, store::origin_after_referral, store::origin_after_meeting};

Cell contact_id(const Touchpoint& t) {
  return t.contact_id;
}
Cell contact_name(const Touchpoint& t) {
  return t.contact_name;
}
Cell contact_npi(const Touchpoint& t) {
  return cell_of(t.contact_npi);
}
Cell state(const Touchpoint& t) {
  return t.state();
}
Cell satisfied_by(const Touchpoint& t) {
  return cell_of(t.satisfied_by);
}

const std::array<Field<Touchpoint>, 14> fields{
    plain<Touchpoint, &Touchpoint::id, Kind::id>("id", "ID", id_views),
    // The contact: the importer finds it by contact_id, contact_npi or the exact name.
    audited_as(
        computed<Touchpoint>("contact_id", "Contact ID", listed | exported, Kind::id, contact_id),
        "contact_id"),
    computed<Touchpoint>("contact", "Contact", listed | in_table | exported, Kind::name,
                         contact_name),
    computed<Touchpoint>("contact_npi", "Contact NPI", exported, Kind::other, contact_npi),
    plain<Touchpoint, &Touchpoint::referral_id, Kind::id>("referral_id", "Referral", off_table,
                                                          "referral_id"),
    computed<Touchpoint>("state", "State", listed | in_table | exported, Kind::other, state),
    word<Touchpoint, &Touchpoint::via, domain::vias>("via", "Via", all_views, "via"),
    plain<Touchpoint, &Touchpoint::due, Kind::time>("due", "Due", all_views, "due"),
    plain<Touchpoint, &Touchpoint::done_at, Kind::time>("done_at", "Done", all_views, "done_at"),
    // Resolved by the importer once the whole file is in: it may name a later row.
    audited_as(computed<Touchpoint>("satisfied_by", "Satisfied by", listed | exported, Kind::id,
                                    satisfied_by),
               "satisfied_by"),
    plain<Touchpoint, &Touchpoint::dismissed_at, Kind::time>("dismissed_at", "Dismissed", off_table,
                                                             "dismissed_at"),
    word<Touchpoint, &Touchpoint::origin, origins>("origin", "Origin", off_table, "origin"),
    with_aliases(plain<Touchpoint, &Touchpoint::note, Kind::raw>("note", "Note", off_table, "note"),
                 note_aliases),
    plain<Touchpoint, &Touchpoint::created, Kind::time>("created", "Created", listed | exported),
};

}  // namespace

const Description<Touchpoint>& touchpoint() {
  static const Description<Touchpoint> d{"touchpoint", fields};
  return d;
}

}  // namespace refnet::record
