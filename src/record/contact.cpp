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

// Other headers an import takes for each field, as office spreadsheets and address books name
// them (compared by text::match_key: case, spaces and punctuation aside).
constexpr std::string_view name_aliases[] = {"Full Name",   "Provider Name", "Provider",
                                             "Physician",   "Doctor",        "Contact Name",
                                             "Display Name"};
constexpr std::string_view role_aliases[] = {"Type", "Provider Type", "Contact Type"};
constexpr std::string_view specialty_aliases[] = {"Speciality", "Specialization", "Department",
                                                  "Job Title", "Organization Title"};
constexpr std::string_view practice_aliases[] = {
    "Organization",  "Organisation", "Organization Name", "Company",
    "Practice Name", "Clinic",       "Hospital",          "Group"};
constexpr std::string_view npi_aliases[] = {"NPI Number", "NPI #", "National Provider Identifier"};
constexpr std::string_view phone_aliases[] = {"Phone Number", "Office Phone", "Business Phone",
                                              "Work Phone",   "Main Phone",   "Telephone",
                                              "Tel"};
constexpr std::string_view fax_aliases[] = {"Fax Number", "Business Fax", "Work Fax", "Office Fax"};
constexpr std::string_view email_aliases[] = {"E-mail", "Email Address", "E-mail Address"};
constexpr std::string_view city_aliases[] = {"Town", "Business City", "Office City"};
constexpr std::string_view source_aliases[] = {"Referral Source", "Source Channel", "How Met",
                                               "Lead Source"};
constexpr std::string_view tags_aliases[] = {"Labels", "Categories"};
constexpr std::string_view created_aliases[] = {"Date Added", "Created At"};

const std::array<Field<Contact>, 19> fields{
    plain<Contact, &Contact::id, Kind::id>("id", "ID", id_views),
    with_aliases(vcard(required(plain<Contact, &Contact::name, Kind::text>("name", "Name",
                                                                           all_views, "name"),
                                "a contact needs a name"),
                       io::VcardProperty::fn),
                 name_aliases),
    with_aliases(
        vcard(word<Contact, &Contact::role, domain::roles>("role", "Role", all_views, "role"),
              io::VcardProperty::role),
        role_aliases),
    with_aliases(vcard(plain<Contact, &Contact::specialty, Kind::text>("specialty", "Specialty",
                                                                       all_views, "specialty"),
                       io::VcardProperty::title),
                 specialty_aliases),
    with_aliases(vcard(plain<Contact, &Contact::practice, Kind::text>("practice", "Practice",
                                                                      all_views, "practice"),
                       io::VcardProperty::org),
                 practice_aliases),
    with_aliases(vcard(plain<Contact, &Contact::npi, Kind::npi>("npi", "NPI", all_views, "npi"),
                       io::VcardProperty::npi),
                 npi_aliases),
    with_aliases(
        vcard(plain<Contact, &Contact::phone, Kind::phone>("phone", "Phone", off_table, "phone"),
              io::VcardProperty::tel),
        phone_aliases),
    with_aliases(vcard(plain<Contact, &Contact::fax, Kind::phone>("fax", "Fax", off_table, "fax"),
                       io::VcardProperty::fax),
                 fax_aliases),
    with_aliases(
        vcard(plain<Contact, &Contact::email, Kind::email>("email", "Email", off_table, "email"),
              io::VcardProperty::email),
        email_aliases),
    with_aliases(
        vcard(plain<Contact, &Contact::city, Kind::text>("city", "City", all_views, "city"),
              io::VcardProperty::city),
        city_aliases),
    with_aliases(vcard(word<Contact, &Contact::source, domain::sources>("source", "Source",
                                                                        all_views, "source"),
                       io::VcardProperty::source),
                 source_aliases),
    // The event where they were met: the importer finds it by id or by name.
    audited_as(computed<Contact>("event_id", "Event ID", exported, Kind::id, event_id), "event_id"),
    computed<Contact>("event", "Event", listed | exported, Kind::name, event_name),
    // The importer checks that the events exist.
    read_by(plain<Contact, &Contact::met_at, Kind::list>("met_at", "Met at", exported),
            read_met_at),
    with_aliases(audit_as(vcard(plain<Contact, &Contact::tags, Kind::list>("tags", "Tags",
                                                                           all_views, "tags"),
                                io::VcardProperty::categories),
                          tags_array),
                 tags_aliases),
    with_aliases(
        vcard(plain<Contact, &Contact::note, Kind::text>("note", "Note", off_table, "note"),
              io::VcardProperty::note),
        note_aliases),
    with_aliases(plain<Contact, &Contact::created, Kind::time>("created", "Created", off_table,
                                                               "created_at"),
                 created_aliases),
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
