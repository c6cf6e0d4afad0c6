// Import and export: records written whole (ids, times and stamps as a file gives them) and the
// lookups an importer needs to find duplicates and references.
#include <fmt/format.h>

#include "store/postgres/pg_store.hpp"
#include "store/postgres/query.hpp"

namespace refnet::store {

using rows::bind_contact;
using rows::bind_event;
using rows::bind_referral;
using rows::bind_touchpoint;

using namespace pg;

namespace {

// One of the tables has_rows and last_id know (has_rows also audit and voided), as a literal: a
// table name is never spliced from input.
const char* known_table(std::string_view table) {
  for (const char* known : {"contact", "referral", "touchpoint", "event", "audit", "voided"}) {
    if (table == known) return known;
  }
  throw Error(Exit::io, fmt::format("no table '{}'", table));
}

// The id of a new row of `table`: ?1 when given; else one past the greatest id a live record, a
// voided one or one the audit trail names (a record whose making `refnet undo` took back) holds,
// as on SQLite: an id is never given to another record. Writers hold the write lock, so no two
// pick the same one. Three seeks.
std::string id_or_next(const char* table) {
  return fmt::format(
      "coalesce(?1, greatest((SELECT max(id) FROM {0}),"
      " (SELECT max(id) FROM voided WHERE entity = '{0}'),"
      " (SELECT max(entity_id) FROM audit WHERE entity = '{0}'), 0) + 1)",
      table);
}

}  // namespace

// has_rows, exists, id_was_given and last_id answer for the rows a bulk load wrote without
// sending those it holds back, and without asking the database about ids given after the load
// began, which only it can have given (an import asks for each row).

bool PgStore::has_rows(std::string_view table) {
  if (holds_rows(known_table(table))) return true;
  auto s = beside_held(fmt::format("SELECT EXISTS (SELECT 1 FROM {})", known_table(table)));
  s.executeStep();
  return s.getColumn(0).getInt() != 0;
}

bool PgStore::exists(std::string_view table, std::int64_t id) {
  if (const auto known = wrote(known_table(table), id)) return *known;
  auto s = beside_held(fmt::format("SELECT 1 FROM {} WHERE id = ?1", known_table(table)));
  s.bind(1, static_cast<int64_t>(id));
  return s.executeStep();
}

bool PgStore::id_was_given(std::string_view table, std::int64_t id) {
  if (const auto known = wrote(known_table(table), id)) return *known;
  auto s = beside_held(
      fmt::format("SELECT EXISTS (SELECT 1 FROM {0} WHERE id = ?1)"
                  " OR EXISTS (SELECT 1 FROM voided WHERE entity = '{0}' AND id = ?1)"
                  " OR EXISTS (SELECT 1 FROM audit WHERE entity = '{0}' AND entity_id = ?1)",
                  known_table(table)));
  s.bind(1, static_cast<int64_t>(id));
  s.executeStep();
  return s.getColumn(0).getInt() != 0;
}

std::int64_t PgStore::last_id(std::string_view table) {
  // Voided ids count, and those of records whose making was undone: an id is never given to
  // another record.
  auto s = beside_held(
      fmt::format("SELECT greatest(coalesce((SELECT max(id) FROM {0}), 0),"
                  " coalesce((SELECT max(id) FROM voided WHERE entity = '{0}'), 0),"
                  " coalesce((SELECT max(entity_id) FROM audit WHERE entity = '{0}'), 0))",
                  known_table(table)));
  s.executeStep();
  const auto stored = s.getColumn(0).getInt64();
  return holds(known_table(table)) ? std::max(stored, held_next(table) - 1) : stored;
}

std::vector<domain::ContactCandidate> PgStore::contacts_named(std::string_view name) {
  auto s = prepare(R"sql(
    SELECT id, name, coalesce(specialty, ''), coalesce(practice, ''), archived_at IS NOT NULL
    FROM contact WHERE lower(name) = lower(?1)
    ORDER BY archived_at IS NOT NULL, id LIMIT 20)sql");
  s.bind(1, std::string(name));
  return candidates(s);
}

std::optional<std::int64_t> PgStore::contact_with_name_and_practice(std::string_view name,
                                                                    const Text& practice,
                                                                    bool archived) {
  auto s = prepare(R"sql(
    SELECT id FROM contact
    WHERE lower(name) = lower(?1)
      AND (lower(practice) = lower(?2) OR (practice IS NULL AND ?2 IS NULL))
      AND (archived_at IS NOT NULL) = ?3
    ORDER BY id LIMIT 1)sql");
  s.bind(1, std::string(name));
  put(s, 2, practice);
  s.bind_flag(3, archived);
  if (!s.executeStep()) return std::nullopt;
  return s.getColumn(0).getInt64();
}

std::int64_t PgStore::add_contact(const Contact& c) {
  if (holds("contact")) return hold(c);
  static const std::string sql = fmt::format(R"sql(
    INSERT INTO contact (id, name, role, specialty, practice, npi, phone, email, city, source,
                         event_id, note, created_at, archived_at, merged_into, fax)
    VALUES ({}, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) RETURNING id)sql",
                                             id_or_next("contact"));
  auto s = prepare(sql);
  bind_contact(s, c);
  s.executeStep();
  const auto id = s.getColumn(0).getInt64();
  auto tag =
      prepare("INSERT INTO contact_tag (contact_id, tag) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
  for (const auto& t : c.tags) {
    tag.bind(1, static_cast<int64_t>(id));
    tag.bind(2, t);
    tag.exec();
  }
  return id;
}

void PgStore::save_contact(const Contact& c) {
  auto s = prepare(R"sql(
    UPDATE contact SET name = ?2, role = ?3, specialty = ?4, practice = ?5, npi = ?6, phone = ?7,
      email = ?8, city = ?9, source = ?10, event_id = ?11, note = ?12, created_at = ?13,
      archived_at = ?14, merged_into = ?15, fax = ?16
    WHERE id = ?1)sql");
  bind_contact(s, c);
  s.exec();
  auto clear = prepare("DELETE FROM contact_tag WHERE contact_id = ?1");
  clear.bind(1, static_cast<int64_t>(c.id));
  clear.exec();
  auto tag =
      prepare("INSERT INTO contact_tag (contact_id, tag) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
  for (const auto& t : c.tags) {
    tag.bind(1, static_cast<int64_t>(c.id));
    tag.bind(2, t);
    tag.exec();
  }
}

std::vector<std::int64_t> PgStore::contact_event_ids(std::int64_t contact_id) {
  auto s = prepare("SELECT event_id FROM event_contact WHERE contact_id = ?1 ORDER BY event_id");
  s.bind(1, static_cast<int64_t>(contact_id));
  std::vector<std::int64_t> out;
  while (s.executeStep()) out.push_back(s.getColumn(0).getInt64());
  return out;
}

void PgStore::set_contact_events(std::int64_t contact_id,
                                 const std::vector<std::int64_t>& event_ids) {
  if (hold_contact_events(contact_id, event_ids)) return;
  auto clear = prepare("DELETE FROM event_contact WHERE contact_id = ?1");
  clear.bind(1, static_cast<int64_t>(contact_id));
  clear.exec();
  for (const auto event_id : event_ids) add_event_contact(event_id, contact_id);
}

std::optional<std::int64_t> PgStore::find_referral(domain::Direction direction,
                                                   std::int64_t contact_id,
                                                   std::string_view patient, Timestamp referred) {
  auto s = prepare(R"sql(
    SELECT id FROM referral
    WHERE contact_id = ?1 AND referred_at = ?2 AND direction = ?3 AND patient = ?4
    ORDER BY id LIMIT 1)sql");
  s.bind(1, static_cast<int64_t>(contact_id));
  put(s, 2, referred);
  s.bind(3, std::string(domain::to_string(direction)));
  s.bind(4, std::string(patient));
  if (!s.executeStep()) return std::nullopt;
  return s.getColumn(0).getInt64();
}

std::int64_t PgStore::add_referral(const Referral& r) {
  if (holds("referral")) return hold(r);
  static const std::string sql = fmt::format(R"sql(
    INSERT INTO referral (id, direction, contact_id, patient, reason, urgency, referred_at,
      acknowledge_due, status, acknowledged_at, scheduled_at, seen_at, closed_at, declined_at,
      cancelled_at, no_show_at, report_due, decline_reason, note, created_at, appointment_at)
    VALUES ({}, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
            ?20, ?21) RETURNING id)sql",
                                             id_or_next("referral"));
  auto s = prepare(sql);
  bind_referral(s, r);
  s.executeStep();
  return s.getColumn(0).getInt64();
}

void PgStore::save_referral(const Referral& r) {
  auto s = prepare(R"sql(
    UPDATE referral SET direction = ?2, contact_id = ?3, patient = ?4, reason = ?5, urgency = ?6,
      referred_at = ?7, acknowledge_due = ?8, status = ?9, acknowledged_at = ?10,
      scheduled_at = ?11, seen_at = ?12, closed_at = ?13, declined_at = ?14, cancelled_at = ?15,
      no_show_at = ?16, report_due = ?17, decline_reason = ?18, note = ?19, created_at = ?20,
      appointment_at = ?21
    WHERE id = ?1)sql");
  bind_referral(s, r);
  s.exec();
}

std::optional<std::int64_t> PgStore::find_touchpoint(std::int64_t contact_id, std::string_view via,
                                                     std::optional<Timestamp> done_at,
                                                     std::optional<Timestamp> due) {
  auto s = prepare(R"sql(
    SELECT id FROM touchpoint
    WHERE contact_id = ?1 AND via = ?2 AND done_at IS NOT DISTINCT FROM ?3 AND due IS NOT DISTINCT FROM ?4 ORDER BY id LIMIT 1)sql");
  s.bind(1, static_cast<int64_t>(contact_id));
  s.bind(2, std::string(via));
  put(s, 3, done_at);
  put(s, 4, due);
  if (!s.executeStep()) return std::nullopt;
  return s.getColumn(0).getInt64();
}

std::int64_t PgStore::add_touchpoint(const Touchpoint& t) {
  if (holds("touchpoint")) return hold(t);
  static const std::string sql = fmt::format(R"sql(
    INSERT INTO touchpoint (id, contact_id, referral_id, via, note, origin, created_at, done_at,
                            due, satisfied_by, dismissed_at)
    VALUES ({}, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id)sql",
                                             id_or_next("touchpoint"));
  auto s = prepare(sql);
  bind_touchpoint(s, t);
  s.executeStep();
  return s.getColumn(0).getInt64();
}

void PgStore::save_touchpoint(const Touchpoint& t) {
  auto s = prepare(R"sql(
    UPDATE touchpoint SET contact_id = ?2, referral_id = ?3, via = ?4, note = ?5, origin = ?6,
      created_at = ?7, done_at = ?8, due = ?9, satisfied_by = ?10, dismissed_at = ?11
    WHERE id = ?1)sql");
  bind_touchpoint(s, t);
  s.exec();
}

std::optional<std::int64_t> PgStore::find_event(std::string_view name, std::string_view date) {
  auto s = prepare(
      "SELECT id FROM event WHERE lower(name) = lower(?1) AND date = ?2 ORDER BY id LIMIT 1");
  s.bind(1, std::string(name));
  s.bind(2, std::string(date));
  if (!s.executeStep()) return std::nullopt;
  return s.getColumn(0).getInt64();
}

std::int64_t PgStore::add_event(const Event& e) {
  if (holds("event")) return hold(e);
  static const std::string sql = fmt::format(R"sql(
    INSERT INTO event (id, name, kind, date, location, note, created_at)
    VALUES ({}, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id)sql",
                                             id_or_next("event"));
  auto s = prepare(sql);
  bind_event(s, e);
  s.executeStep();
  return s.getColumn(0).getInt64();
}

void PgStore::save_event(const Event& e) {
  auto s = prepare(R"sql(
    UPDATE event SET name = ?2, kind = ?3, date = ?4, location = ?5, note = ?6, created_at = ?7
    WHERE id = ?1)sql");
  bind_event(s, e);
  s.exec();
}

std::optional<std::vector<unsigned char>> PgStore::secret(std::string_view purpose) {
  auto s = prepare("SELECT value FROM secret WHERE purpose = ?1");
  s.bind(1, std::string(purpose));
  if (!s.executeStep()) return std::nullopt;
  return s.getColumn(0).getBlob();
}

bool PgStore::add_secret(std::string_view purpose, const std::vector<unsigned char>& value,
                         Timestamp at) {
  auto s = prepare(
      "INSERT INTO secret (purpose, value, created_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING");
  s.bind(1, std::string(purpose));
  s.bind_blob(2, value);
  put(s, 3, at);
  return s.exec() > 0;
}

}  // namespace refnet::store
