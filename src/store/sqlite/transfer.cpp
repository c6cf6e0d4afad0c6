// Import and export: records written whole (ids, times and stamps as a file gives them) and the
// lookups an importer needs to find duplicates and references.
#include <fmt/format.h>

#include "binding.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace refnet::store {

using rows::bind_contact;
using rows::bind_event;
using rows::bind_referral;
using rows::bind_touchpoint;

using namespace detail;

namespace {

// One of the tables has_rows and last_id know (has_rows also audit and voided), as a literal: a
// table name is never spliced from input.
const char* known_table(std::string_view table) {
  for (const char* known : {"contact", "referral", "touchpoint", "event", "audit", "voided"}) {
    if (table == known) return known;
  }
  throw Error(Exit::io, fmt::format("no table '{}'", table));
}

// The id of a new row of `table`: ?1 when given; else, when a voided record of the table, or one
// the audit trail names (a record whose making `refnet undo` took back), holds the greatest id,
// the one after it (SQLite would give the greatest live id plus one, which may be such a
// record's: an id is never given to another record); else NULL, for SQLite's next rowid. Three
// seeks.
std::string id_or_next(const char* table) {
  return fmt::format(
      "coalesce(?1, (SELECT max(id) + 1 FROM ("
      "SELECT max(id) AS id FROM voided WHERE entity = '{0}'"
      " UNION ALL SELECT max(entity_id) FROM audit WHERE entity = '{0}')"
      " WHERE id >= (SELECT coalesce(max(id), 0) FROM {0})))",
      table);
}

}  // namespace

bool SqliteStore::has_rows(std::string_view table) {
  auto s = prepare(fmt::format("SELECT EXISTS (SELECT 1 FROM {})", known_table(table)));
  s.executeStep();
  return s.getColumn(0).getInt() != 0;
}

bool SqliteStore::exists(std::string_view table, std::int64_t id) {
  auto s = prepare(fmt::format("SELECT 1 FROM {} WHERE id = ?1", known_table(table)));
  s.bind(1, static_cast<int64_t>(id));
  return s.executeStep();
}

bool SqliteStore::id_was_given(std::string_view table, std::int64_t id) {
  auto s = prepare(
      fmt::format("SELECT EXISTS (SELECT 1 FROM {0} WHERE id = ?1)"
                  " OR EXISTS (SELECT 1 FROM voided WHERE entity = '{0}' AND id = ?1)"
                  " OR EXISTS (SELECT 1 FROM audit WHERE entity = '{0}' AND entity_id = ?1)",
                  known_table(table)));
  s.bind(1, static_cast<int64_t>(id));
  s.executeStep();
  return s.getColumn(0).getInt() != 0;
}

std::int64_t SqliteStore::last_id(std::string_view table) {
  // Voided ids count, and those of records whose making was undone: an id is never given to
  // another record.
  auto s =
      prepare(fmt::format("SELECT max(coalesce((SELECT max(id) FROM {0}), 0),"
                          " coalesce((SELECT max(id) FROM voided WHERE entity = '{0}'), 0),"
                          " coalesce((SELECT max(entity_id) FROM audit WHERE entity = '{0}'), 0))",
                          known_table(table)));
  s.executeStep();
  return s.getColumn(0).getInt64();
}

std::vector<domain::ContactCandidate> SqliteStore::contacts_named(std::string_view name) {
  auto s = prepare(R"sql(
    SELECT id, name, coalesce(specialty, ''), coalesce(practice, ''), archived_at IS NOT NULL
    FROM contact WHERE name = ?1 COLLATE NOCASE
    ORDER BY archived_at IS NOT NULL, id LIMIT 20)sql");
  s.bind(1, std::string(name));
  return candidates(s);
}

std::optional<std::int64_t> SqliteStore::contact_with_name_and_practice(std::string_view name,
                                                                        const Text& practice,
                                                                        bool archived) {
  auto s = prepare(R"sql(
    SELECT id FROM contact
    WHERE name = ?1 COLLATE NOCASE AND (practice = ?2 COLLATE NOCASE OR (practice IS NULL AND ?2 IS NULL))
      AND (archived_at IS NOT NULL) = ?3
    ORDER BY id LIMIT 1)sql");
  s.bind(1, std::string(name));
  put(s, 2, practice);
  s.bind(3, archived ? 1 : 0);
  if (!s.executeStep()) return std::nullopt;
  return s.getColumn(0).getInt64();
}

std::int64_t SqliteStore::add_contact(const Contact& c) {
  static const std::string sql = fmt::format(R"sql(
    INSERT INTO contact (id, name, role, specialty, practice, npi, phone, email, city, source,
                         event_id, note, created_at, archived_at, merged_into, fax)
    VALUES ({}, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16))sql",
                                             id_or_next("contact"));
  auto s = prepare(sql);
  bind_contact(s, c);
  s.exec();
  const auto id = db_->getLastInsertRowid();
  auto tag = prepare("INSERT OR IGNORE INTO contact_tag (contact_id, tag) VALUES (?1, ?2)");
  for (const auto& t : c.tags) {
    tag.bind(1, static_cast<int64_t>(id));
    tag.bind(2, t);
    tag.exec();
  }
  return id;
}

void SqliteStore::save_contact(const Contact& c) {
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
  auto tag = prepare("INSERT OR IGNORE INTO contact_tag (contact_id, tag) VALUES (?1, ?2)");
  for (const auto& t : c.tags) {
    tag.bind(1, static_cast<int64_t>(c.id));
    tag.bind(2, t);
    tag.exec();
  }
}

std::vector<std::int64_t> SqliteStore::contact_event_ids(std::int64_t contact_id) {
  auto s = prepare("SELECT event_id FROM event_contact WHERE contact_id = ?1 ORDER BY event_id");
  s.bind(1, static_cast<int64_t>(contact_id));
  std::vector<std::int64_t> out;
  while (s.executeStep()) out.push_back(s.getColumn(0).getInt64());
  return out;
}

void SqliteStore::set_contact_events(std::int64_t contact_id,
                                     const std::vector<std::int64_t>& event_ids) {
  auto clear = prepare("DELETE FROM event_contact WHERE contact_id = ?1");
  clear.bind(1, static_cast<int64_t>(contact_id));
  clear.exec();
  for (const auto event_id : event_ids) add_event_contact(event_id, contact_id);
}

std::optional<std::int64_t> SqliteStore::find_referral(domain::Direction direction,
                                                       std::int64_t contact_id,
                                                       std::string_view patient,
                                                       Timestamp referred) {
  // +id: ordered by the plain rowid, SQLite would walk referral_referred to skip the sort,
  // reading a table row for every referral made in that second (a whole day's, in an import of
  // dates only); this way it takes the three-column range of referral_contact_history.
  auto s = prepare(R"sql(
    SELECT id FROM referral
    WHERE contact_id = ?1 AND referred_at = ?2 AND direction = ?3 AND patient = ?4
    ORDER BY +id LIMIT 1)sql");
  s.bind(1, static_cast<int64_t>(contact_id));
  put(s, 2, referred);
  s.bind(3, std::string(domain::to_string(direction)));
  s.bind(4, std::string(patient));
  if (!s.executeStep()) return std::nullopt;
  return s.getColumn(0).getInt64();
}

std::int64_t SqliteStore::add_referral(const Referral& r) {
  static const std::string sql = fmt::format(R"sql(
    INSERT INTO referral (id, direction, contact_id, patient, reason, urgency, referred_at,
      acknowledge_due, status, acknowledged_at, scheduled_at, seen_at, closed_at, declined_at,
      cancelled_at, no_show_at, report_due, decline_reason, note, created_at, appointment_at)
    VALUES ({}, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
            ?20, ?21))sql",
                                             id_or_next("referral"));
  auto s = prepare(sql);
  bind_referral(s, r);
  s.exec();
  return db_->getLastInsertRowid();
}

void SqliteStore::save_referral(const Referral& r) {
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

std::optional<std::int64_t> SqliteStore::find_touchpoint(std::int64_t contact_id,
                                                         std::string_view via,
                                                         std::optional<Timestamp> done_at,
                                                         std::optional<Timestamp> due) {
  auto s = prepare(R"sql(
    SELECT id FROM touchpoint
    WHERE contact_id = ?1 AND via = ?2 AND done_at IS ?3 AND due IS ?4 ORDER BY id LIMIT 1)sql");
  s.bind(1, static_cast<int64_t>(contact_id));
  s.bind(2, std::string(via));
  put(s, 3, done_at);
  put(s, 4, due);
  if (!s.executeStep()) return std::nullopt;
  return s.getColumn(0).getInt64();
}

std::int64_t SqliteStore::add_touchpoint(const Touchpoint& t) {
  static const std::string sql = fmt::format(R"sql(
    INSERT INTO touchpoint (id, contact_id, referral_id, via, note, origin, created_at, done_at,
                            due, satisfied_by, dismissed_at)
    VALUES ({}, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11))sql",
                                             id_or_next("touchpoint"));
  auto s = prepare(sql);
  bind_touchpoint(s, t);
  s.exec();
  return db_->getLastInsertRowid();
}

void SqliteStore::save_touchpoint(const Touchpoint& t) {
  auto s = prepare(R"sql(
    UPDATE touchpoint SET contact_id = ?2, referral_id = ?3, via = ?4, note = ?5, origin = ?6,
      created_at = ?7, done_at = ?8, due = ?9, satisfied_by = ?10, dismissed_at = ?11
    WHERE id = ?1)sql");
  bind_touchpoint(s, t);
  s.exec();
}

std::optional<std::int64_t> SqliteStore::find_event(std::string_view name, std::string_view date) {
  auto s = prepare(
      "SELECT id FROM event WHERE name = ?1 COLLATE NOCASE AND date = ?2 ORDER BY id LIMIT 1");
  s.bind(1, std::string(name));
  s.bind(2, std::string(date));
  if (!s.executeStep()) return std::nullopt;
  return s.getColumn(0).getInt64();
}

std::int64_t SqliteStore::add_event(const Event& e) {
  static const std::string sql = fmt::format(R"sql(
    INSERT INTO event (id, name, kind, date, location, note, created_at)
    VALUES ({}, ?2, ?3, ?4, ?5, ?6, ?7))sql",
                                             id_or_next("event"));
  auto s = prepare(sql);
  bind_event(s, e);
  s.exec();
  return db_->getLastInsertRowid();
}

void SqliteStore::save_event(const Event& e) {
  auto s = prepare(R"sql(
    UPDATE event SET name = ?2, kind = ?3, date = ?4, location = ?5, note = ?6, created_at = ?7
    WHERE id = ?1)sql");
  bind_event(s, e);
  s.exec();
}

std::optional<std::vector<unsigned char>> SqliteStore::secret(std::string_view purpose) {
  auto s = prepare("SELECT value FROM secret WHERE purpose = ?1");
  s.bind(1, std::string(purpose));
  if (!s.executeStep()) return std::nullopt;
  const auto column = s.getColumn(0);
  const auto* bytes = static_cast<const unsigned char*>(column.getBlob());
  return std::vector<unsigned char>(bytes, bytes + column.getBytes());
}

bool SqliteStore::add_secret(std::string_view purpose, const std::vector<unsigned char>& value,
                             Timestamp at) {
  auto s = prepare("INSERT OR IGNORE INTO secret (purpose, value, created_at) VALUES (?1, ?2, ?3)");
  s.bind(1, std::string(purpose));
  s.bind(2, value.data(), static_cast<int>(value.size()));
  put(s, 3, at);
  return s.exec() > 0;
}

}  // namespace refnet::store
