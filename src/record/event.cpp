// An event's fields: what `list events` prints, what export writes and import reads, and the
// audit snapshot.
#include <array>

#include "record/records.hpp"

namespace refnet::record {

namespace {

using store::Event;

Cell date(const Event& e) {
  return output::DateCell{e.date};
}
Cell met_count(const Event& e) {
  return e.met_count;
}
Cell met_ids(const Event& e) {
  return json_array(e.met);
}

const std::array<Field<Event>, 8> fields{
    plain<Event, &Event::id, Kind::id>("id", "ID", id_views),
    required(plain<Event, &Event::name, Kind::raw>("name", "Name", all_views, "name"),
             "an event needs a name"),
    required(word<Event, &Event::kind, domain::event_kinds>("kind", "Kind", all_views, "kind"),
             "one of cme, conference, seminar, workshop, hosted, association or social"),
    required(read_by(audited_as(computed<Event>("date", "Date", listed | in_table | exported,
                                                Kind::date, date),
                                "date"),
                     &Plain<Event, &Event::date, Kind::date>::read),
             "the day it took place (YYYY-MM-DD)"),
    plain<Event, &Event::location, Kind::raw>("location", "Location", all_views, "location"),
    with_aliases(plain<Event, &Event::note, Kind::raw>("note", "Note", off_table, "note"),
                 note_aliases),
    plain<Event, &Event::created, Kind::time>("created", "Created", exported),
    audit_as(audited_as(computed<Event>("met", "Met", listed | in_table | exported, Kind::count,
                                        met_count),
                        "met"),
             met_ids),
};

}  // namespace

const Description<Event>& event() {
  static const Description<Event> d{"event", fields};
  return d;
}

}  // namespace refnet::record
