// A contact's fields: what `list contacts` and `show` print, what export writes and import reads,
// the vCard properties and the audit snapshot.
#include <fmt/format.h>

#include <array>

#include "record/records.hpp"

namespace refnet::record {

namespace {

using store::Contact;

Cell event_name(const Contact& c) {
  return cell_of(c.event_name);
}
Cell event_id(const Contact& c) {
  return cell_of(c.event_id);
}
Cell merged_into(const Contact& c) {
  return cell_of(c.merged_into);
}
Cell tags_array(const Contact& c) {
  return json_array(c.tags);
}
Problem read_met_at(Contact& c, std::string_view text) {
  if (blank(text, Kind::list)) {
    c.met_at.clear();
    return {};
  }
  if (read_into(c.met_at, text, Kind::list)) {
    return fmt::format("{} is not a list of event ids like 3,7", shown(text));
  }
  return {};
}

const std::array<Field<Contact>, 18> fields{
    plain<Contact, &Contact::id, Kind::id>("id", "ID", id_views),
    vcard(required(plain<Contact, &Contact::name, Kind::text>("name", "Name", all_views, "name"),
                   "a contact needs a name"),
          io::VcardProperty::fn),
    vcard(word<Contact, &Contact::role, domain::roles>("role", "Role", all_views, "role"),
          io::VcardProperty::role),
    vcard(plain<Contact, &Contact::specialty, Kind::text>("specialty", "Specialty", all_views,
                                                          "specialty"),
          io::VcardProperty::title),
    vcard(plain<Contact, &Contact::practice, Kind::text>("practice", "Practice", all_views,
                                                         "practice"),
          io::VcardProperty::org),
    vcard(plain<Contact, &Contact::npi, Kind::npi>("npi", "NPI", all_views, "npi"),
          io::VcardProperty::npi),
    vcard(plain<Contact, &Contact::phone, Kind::text>("phone", "Phone", off_table, "phone"),
          io::VcardProperty::tel),
    vcard(plain<Contact, &Contact::email, Kind::text>("email", "Email", off_table, "email"),
          io::VcardProperty::email),
    vcard(plain<Contact, &Contact::city, Kind::text>("city", "City", all_views, "city"),
          io::VcardProperty::city),
    vcard(word<Contact, &Contact::source, domain::sources>("source", "Source", all_views, "source"),
          io::VcardProperty::source),
    // The event where they were met: the importer finds it by id or by name.
    audited_as(computed<Contact>("event_id", "Event ID", exported, Kind::id, event_id), "event_id"),
    computed<Contact>("event", "Event", listed | exported, Kind::other, event_name),
    // The importer checks that the events exist.
    read_by(plain<Contact, &Contact::met_at, Kind::list>("met_at", "Met at", exported),
            read_met_at),
    audit_as(vcard(plain<Contact, &Contact::tags, Kind::list>("tags", "Tags", all_views, "tags"),
                   io::VcardProperty::categories),
             tags_array),
    vcard(plain<Contact, &Contact::note, Kind::text>("note", "Note", off_table, "note"),
          io::VcardProperty::note),
    plain<Contact, &Contact::created, Kind::time>("created", "Created", off_table, "created_at"),
    plain<Contact, &Contact::archived, Kind::time>("archived", "Archived", off_table,
                                                   "archived_at"),
    // Resolved by the importer once the whole file is in: it may name a later row.
    audited_as(computed<Contact>("merged_into", "Merged into", exported, Kind::id, merged_into),
               "merged_into"),
};

}  // namespace

const Description<Contact>& contact() {
  static const Description<Contact> d{"contact", fields};
  return d;
}

}  // namespace refnet::record
