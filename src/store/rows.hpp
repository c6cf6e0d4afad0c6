// Internal to the stores: reading a record from a row and binding one to a statement, the same
// for every backend. Each store's Query (SQLite's detail::Query, PostgreSQL's pg::Query) steps
// rows and binds values alike, and its columns read as SQLiteCpp's Column does; each store's
// SQL selects a record's columns in the order these functions read them.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "domain/contact_ref.hpp"
#include "domain/referral_status.hpp"
#include "domain/time.hpp"
#include "domain/vocabulary.hpp"
#include "error.hpp"
#include "store/records.hpp"
#include "store/store.hpp"
#include "text/text.hpp"

namespace refnet::store::rows {

using domain::Timestamp;

template <typename Column>
std::optional<std::string> text(const Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getString();
}

template <typename Column>
std::optional<std::int64_t> integer(const Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getInt64();
}

// A time as the store writes it: anything else means the database was damaged.
inline Timestamp stored_time(std::string_view text) {
  const auto parsed = domain::parse_stored(text);
  if (!parsed) {
    throw Error(Exit::io, "the database holds a malformed time: '" + std::string(text) + "'",
                "check it with: refnet db check");
  }
  return *parsed;
}

template <typename Column>
Timestamp time(const Column& c) {
  const char* chars = c.getText();  // before getBytes(), as SQLite asks
  return stored_time(std::string_view(chars, static_cast<std::size_t>(c.getBytes())));
}

template <typename Column>
std::optional<Timestamp> optional_time(const Column& c) {
  if (c.isNull()) return std::nullopt;
  return time(c);
}

// A stored name of an enumeration (direction, urgency, status), as parsed.
template <typename Enum>
Enum parse_stored(std::optional<Enum> value, const std::string& text) {
  if (!value) throw Error(Exit::io, "the database holds an unknown value: '" + text + "'");
  return *value;
}

// The candidates a contact name part or name may mean, from rows of (id, name, specialty,
// practice, archived), specialty and practice '' when unset.
template <typename Query>
std::vector<domain::ContactCandidate> candidates(Query& s) {
  std::vector<domain::ContactCandidate> out;
  while (s.executeStep()) {
    out.push_back({s.getColumn(0).getInt64(), s.getColumn(1).getString(),
                   s.getColumn(2).getString(), s.getColumn(3).getString(),
                   s.getColumn(4).getInt() != 0});
  }
  return out;
}

// Whether `part` occurs in `name`, ASCII letters in any case (what SQLite's lower() folds).
inline bool contains_ascii_folded(std::string_view name, std::string_view part) {
  if (part.size() > name.size()) return false;
  for (std::size_t at = 0; at + part.size() <= name.size(); ++at) {
    std::size_t i = 0;
    while (i < part.size() && text::ascii_lower(name[at + i]) == text::ascii_lower(part[i])) ++i;
    if (i == part.size()) return true;
  }
  return false;
}

// Contacts whose name contains `part` (Store::contacts_matching), read through `prepare`, the
// store's statement maker.
template <typename Prepare>
std::vector<domain::ContactCandidate> contacts_matching(const Prepare& prepare,
                                                        std::string_view part) {
  // Every name is read once, off the name index (a covering scan: a tenth of the pages of the
  // table; 20,000 names in the bench take a millisecond or two): the names holding the part
  // literally, in any ASCII case, and when there are none the names it matches as people mean it
  // (domain::NamePartMatcher), in a second pass. Only the matches are sorted (active first, then
  // by name and id) and read whole.
  struct Match {
    std::int64_t id;
    std::string name;
    bool archived = false;
  };
  std::vector<Match> found;
  const auto scan = [&](const auto& matches) {
    auto s = prepare("SELECT id, name FROM contact");
    while (s.executeStep()) {
      const auto column = s.getColumn(1);
      const std::string_view name(column.getText(), static_cast<std::size_t>(column.getBytes()));
      if (matches(name)) found.push_back({s.getColumn(0).getInt64(), std::string(name)});
    }
  };
  scan([&](std::string_view name) { return contains_ascii_folded(name, part); });
  if (found.empty()) {
    const domain::NamePartMatcher matcher(part);
    scan([&](std::string_view name) { return matcher.matches(name); });
  }
  // Whether each is archived: a seek each for a few, one pass over the archived for many (a
  // part as broad as "dr" matches most names).
  if (found.size() <= 64) {
    for (auto& m : found) {
      auto archived = prepare("SELECT archived_at IS NOT NULL FROM contact WHERE id = ?1");
      archived.bind(1, static_cast<int64_t>(m.id));
      m.archived = archived.executeStep() && archived.getColumn(0).getInt() != 0;
    }
  } else {
    std::unordered_set<std::int64_t> archived_ids;
    auto archived = prepare("SELECT id FROM contact WHERE archived_at IS NOT NULL");
    while (archived.executeStep()) archived_ids.insert(archived.getColumn(0).getInt64());
    for (auto& m : found) m.archived = archived_ids.contains(m.id);
  }
  std::sort(found.begin(), found.end(), [](const Match& a, const Match& b) {
    if (a.archived != b.archived) return b.archived;
    const auto by_name = text::ascii_lower(a.name) <=> text::ascii_lower(b.name);
    return by_name != 0 ? by_name < 0 : a.id < b.id;
  });
  if (found.size() > 50) found.resize(50);
  std::vector<domain::ContactCandidate> out;
  for (auto& m : found) {
    auto details = prepare(
        "SELECT coalesce(specialty, ''), coalesce(practice, '') FROM contact WHERE id = ?1");
    details.bind(1, static_cast<int64_t>(m.id));
    std::string specialty, practice;
    if (details.executeStep()) {
      specialty = details.getColumn(0).getString();
      practice = details.getColumn(1).getString();
    }
    out.push_back({m.id, std::move(m.name), std::move(specialty), std::move(practice), m.archived});
  }
  return out;
}

// From: id, name, role, specialty, practice, npi, phone, email, city, source, event_id, the
// event's name, note, created_at, archived_at, merged_into, fax, and the tags joined by U+001F.
template <typename Query>
Contact read_contact(Query& s) {
  Contact c;
  c.id = s.getColumn(0).getInt64();
  c.name = s.getColumn(1).getString();
  c.role = s.getColumn(2).getString();
  c.specialty = text(s.getColumn(3));
  c.practice = text(s.getColumn(4));
  c.npi = text(s.getColumn(5));
  c.phone = text(s.getColumn(6));
  c.email = text(s.getColumn(7));
  c.city = text(s.getColumn(8));
  c.source = text(s.getColumn(9));
  c.event_id = integer(s.getColumn(10));
  c.event_name = text(s.getColumn(11));
  c.note = text(s.getColumn(12));
  c.created = time(s.getColumn(13));
  c.archived = optional_time(s.getColumn(14));
  c.merged_into = integer(s.getColumn(15));
  c.fax = text(s.getColumn(16));
  if (auto tags = text(s.getColumn(17))) {
    std::size_t start = 0;
    while (start <= tags->size()) {
      const auto end = tags->find('\x1f', start);
      c.tags.push_back(tags->substr(start, end - start));
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  return c;
}

// From: id, direction, contact_id, the contact's name, patient, reason, urgency, status,
// referred_at, acknowledge_due, acknowledged_at, scheduled_at, seen_at, closed_at, declined_at,
// cancelled_at, no_show_at, report_due, decline_reason, note, created_at, the contact's NPI,
// appointment_at.
template <typename Query>
Referral read_referral(Query& s) {
  Referral r;
  r.id = s.getColumn(0).getInt64();
  r.direction =
      parse_stored(domain::parse_direction(s.getColumn(1).getString()), s.getColumn(1).getString());
  r.contact_id = s.getColumn(2).getInt64();
  r.contact_name = s.getColumn(3).getString();
  r.patient = s.getColumn(4).getString();
  r.reason = text(s.getColumn(5));
  r.urgency =
      parse_stored(domain::parse_urgency(s.getColumn(6).getString()), s.getColumn(6).getString());
  r.status =
      parse_stored(domain::parse_status(s.getColumn(7).getString()), s.getColumn(7).getString());
  r.referred = time(s.getColumn(8));
  r.acknowledge_due = time(s.getColumn(9));
  r.acknowledged = optional_time(s.getColumn(10));
  r.scheduled = optional_time(s.getColumn(11));
  r.seen = optional_time(s.getColumn(12));
  r.closed = optional_time(s.getColumn(13));
  r.declined = optional_time(s.getColumn(14));
  r.cancelled = optional_time(s.getColumn(15));
  r.no_show = optional_time(s.getColumn(16));
  r.report_due = optional_time(s.getColumn(17));
  r.decline_reason = text(s.getColumn(18));
  r.note = text(s.getColumn(19));
  r.created = time(s.getColumn(20));
  r.contact_npi = text(s.getColumn(21));
  r.appointment = optional_time(s.getColumn(22));
  return r;
}

// From: id, contact_id, the contact's name, referral_id, via, note, created_at, done_at, due,
// satisfied_by, dismissed_at, origin, the contact's NPI.
template <typename Query>
Touchpoint read_touchpoint(Query& s) {
  Touchpoint t;
  t.id = s.getColumn(0).getInt64();
  t.contact_id = s.getColumn(1).getInt64();
  t.contact_name = s.getColumn(2).getString();
  t.referral_id = integer(s.getColumn(3));
  t.via = s.getColumn(4).getString();
  t.note = text(s.getColumn(5));
  t.created = time(s.getColumn(6));
  t.done_at = optional_time(s.getColumn(7));
  t.due = optional_time(s.getColumn(8));
  t.satisfied_by = integer(s.getColumn(9));
  t.dismissed_at = optional_time(s.getColumn(10));
  t.origin = s.getColumn(11).getString();
  t.contact_npi = text(s.getColumn(12));
  return t;
}

// From: id, name, kind, date, location, note, created_at, how many were met there.
template <typename Query>
Event read_event(Query& s) {
  Event e;
  e.id = s.getColumn(0).getInt64();
  e.name = s.getColumn(1).getString();
  e.kind = s.getColumn(2).getString();
  e.date = s.getColumn(3).getString();
  e.location = text(s.getColumn(4));
  e.note = text(s.getColumn(5));
  e.created = time(s.getColumn(6));
  e.met_count = s.getColumn(7).getInt64();
  return e;
}

// ?1: the record's id, or an integer NULL for the store to pick the next (its id_or_next).
template <typename Query>
void put_id(Query& s, int index, std::int64_t id) {
  if (id > 0) {
    s.bind(index, static_cast<std::int64_t>(id));
  } else {
    s.bind_null_integer(index);
  }
}

// The binders below give every stored field of a record, ?1 its id then the columns in the
// order each store's INSERT and UPDATE name them. Text is lent: the record outlives the Query.
template <typename Query>
void bind_contact(Query& s, const Contact& c) {
  put_id(s, 1, c.id);
  s.bind(2, c.name);
  s.bind(3, c.role);
  put(s, 4, c.specialty);
  put(s, 5, c.practice);
  put(s, 6, c.npi);
  put(s, 7, c.phone);
  put(s, 8, c.email);
  put(s, 9, c.city);
  put(s, 10, c.source);
  put(s, 11, c.event_id);
  put(s, 12, c.note);
  put(s, 13, c.created);
  put(s, 14, c.archived);
  put(s, 15, c.merged_into);
  put(s, 16, c.fax);
}

template <typename Query>
void bind_referral(Query& s, const Referral& r) {
  put_id(s, 1, r.id);
  s.lend_literal(2, domain::to_string(r.direction));
  s.bind(3, static_cast<std::int64_t>(r.contact_id));
  s.lend(4, r.patient);
  put(s, 5, r.reason);
  s.lend_literal(6, domain::to_string(r.urgency));
  put(s, 7, r.referred);
  put(s, 8, r.acknowledge_due);
  s.lend_literal(9, domain::to_string(r.status));
  put(s, 10, r.acknowledged);
  put(s, 11, r.scheduled);
  put(s, 12, r.seen);
  put(s, 13, r.closed);
  put(s, 14, r.declined);
  put(s, 15, r.cancelled);
  put(s, 16, r.no_show);
  put(s, 17, r.report_due);
  put(s, 18, r.decline_reason);
  put(s, 19, r.note);
  put(s, 20, r.created);
  put(s, 21, r.appointment);
}

template <typename Query>
void bind_touchpoint(Query& s, const Touchpoint& t) {
  put_id(s, 1, t.id);
  s.bind(2, static_cast<std::int64_t>(t.contact_id));
  put(s, 3, t.referral_id);
  s.lend(4, t.via);
  put(s, 5, t.note);
  s.lend(6, t.origin);
  put(s, 7, t.created);
  put(s, 8, t.done_at);
  put(s, 9, t.due);
  put(s, 10, t.satisfied_by);
  put(s, 11, t.dismissed_at);
}

template <typename Query>
void bind_event(Query& s, const Event& e) {
  put_id(s, 1, e.id);
  s.bind(2, e.name);
  s.bind(3, e.kind);
  s.bind(4, e.date);
  put(s, 5, e.location);
  put(s, 6, e.note);
  put(s, 7, e.created);
}

// --- report rows (report_*.cpp of each store) ---

// From: contact id, name, archived_at, baseline count, recent count, last referral.
template <typename Query>
ReferrerVolume read_referrer_volume(Query& s) {
  ReferrerVolume row;
  row.contact_id = s.getColumn(0).getInt64();
  row.contact_name = s.getColumn(1).getString();
  row.archived = optional_time(s.getColumn(2));
  row.baseline = s.getColumn(3).getInt64();
  row.recent = s.getColumn(4).getInt64();
  row.last_referral = optional_time(s.getColumn(5));
  return row;
}

// From: contact id, name, then from `first` on: referrals in, out, last in, last out.
template <typename Query>
ReciprocityRow read_reciprocity_row(Query& s, int first = 2) {
  ReciprocityRow row;
  row.contact_id = s.getColumn(0).getInt64();
  row.contact_name = s.getColumn(1).getString();
  row.referrals_in = s.getColumn(first).getInt64();
  row.referrals_out = s.getColumn(first + 1).getInt64();
  row.last_in = optional_time(s.getColumn(first + 2));
  row.last_out = optional_time(s.getColumn(first + 3));
  return row;
}

// The columns the overdue list and the upcoming one share, first in both: kind, contact id and
// name, referral, follow-up, patient and via (OverdueItem, UpcomingItem).
template <class Item, typename Query>
Item read_debt_columns(Query& s) {
  Item item;
  item.kind = s.getColumn(0).getString();
  item.contact_id = s.getColumn(1).getInt64();
  item.contact_name = s.getColumn(2).getString();
  item.referral_id = integer(s.getColumn(3));
  item.touchpoint_id = integer(s.getColumn(4));
  item.patient = text(s.getColumn(5));
  item.via = text(s.getColumn(6));
  return item;
}

// From: direction, contact id, name, role, specialty, referrals.
template <typename Query>
NetworkEdge read_network_edge(Query& s) {
  NetworkEdge edge;
  edge.direction = s.getColumn(0).getString();
  edge.contact_id = s.getColumn(1).getInt64();
  edge.contact_name = s.getColumn(2).getString();
  edge.role = s.getColumn(3).getString();
  edge.specialty = text(s.getColumn(4));
  edge.referrals = s.getColumn(5).getInt64();
  return edge;
}

// From: direction, contact id, name (NULL without the contact), referrals, closed.
template <typename Query>
ClosedLoopCount read_closed_loop_count(Query& s) {
  ClosedLoopCount row;
  row.direction = s.getColumn(0).getString();
  row.contact_id = s.getColumn(1).getInt64();
  row.contact_name = text(s.getColumn(2));
  row.referrals = s.getColumn(3).getInt64();
  row.closed = s.getColumn(4).getInt64();
  return row;
}

// From: contact id, referrals, source, then its own event and the last it was met at, each as
// id, name and date (NULL id: none).
template <typename Query>
ReferrerOrigin read_referrer_origin(Query& s) {
  const auto event = [&](int at) -> std::optional<EventRef> {
    if (s.getColumn(at).isNull()) return std::nullopt;
    return EventRef{s.getColumn(at).getInt64(), s.getColumn(at + 1).getString(),
                    s.getColumn(at + 2).getString()};
  };
  ReferrerOrigin row;
  row.contact_id = s.getColumn(0).getInt64();
  row.referrals = s.getColumn(1).getInt64();
  row.source = text(s.getColumn(2));
  row.own_event = event(3);
  row.last_met_event = event(6);
  return row;
}

// From: contact id, name, archived_at, referrals, last referral, last touch.
template <typename Query>
ReferrerTouch read_referrer_touch(Query& s) {
  ReferrerTouch row;
  row.contact_id = s.getColumn(0).getInt64();
  row.contact_name = s.getColumn(1).getString();
  row.archived = optional_time(s.getColumn(2));
  row.referrals = s.getColumn(3).getInt64();
  row.last_referral = time(s.getColumn(4));
  row.last_touch = optional_time(s.getColumn(5));
  return row;
}

// summary_counts' whole days, ?`first` and the next: from the first midnight at or after since
// (empty: from the first referral, like an unset since) to the last at or before end. A period
// within one day, or none at all, has none: both bounds are then `end`, and the first part-day
// range is the whole period.
template <typename Query>
void put_whole_days(Query& s, int first, std::optional<Timestamp> since, Timestamp end) {
  using std::chrono::days;
  std::string first_day;
  Timestamp last_day = std::chrono::floor<days>(end);
  if (since) {
    const Timestamp from = std::chrono::ceil<days>(*since);
    if (from <= last_day) {
      first_day = domain::format_utc(from);
    } else {
      first_day = domain::format_utc(end);
      last_day = end;
    }
  }
  s.bind(first, first_day);
  put(s, first + 1, last_day);
}

// summary_counts' one row, if any: referrals in, out, closed, open, new contacts, follow-ups
// due soon.
template <typename Query>
SummaryCounts read_summary_counts(Query& s) {
  SummaryCounts counts;
  if (s.executeStep()) {
    counts.referrals_in = s.getColumn(0).getInt64();
    counts.referrals_out = s.getColumn(1).getInt64();
    counts.closed = s.getColumn(2).getInt64();
    counts.open = s.getColumn(3).getInt64();
    counts.new_contacts = s.getColumn(4).getInt64();
    counts.followups_due_soon = s.getColumn(5).getInt64();
  }
  return counts;
}

// --- db copy (copy.cpp of each store) ---

// A table copy_database carries, as its literal: a name is never spliced from input.
inline std::string_view copied_table(std::string_view table) {
  for (const auto known : copied_tables) {
    if (known == table) return known;
  }
  throw Error(Exit::io, "no table '" + std::string(table) + "'");
}

// A column or table name in SQL: names come from the schema, which has no quotes in them.
inline std::string sql_name(std::string_view name) {
  return "\"" + std::string(name) + "\"";
}

// The one blob column, carried as hex: the redaction key.
inline bool is_blob(std::string_view table, std::string_view column) {
  return table == "secret" && column == "value";
}

}  // namespace refnet::store::rows
