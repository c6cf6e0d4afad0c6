// What refnet undo needs of SQLite (refnet(1) undo): change sets, putting records back as an audit
// snapshot shows them, and voided records back in their tables.
#include <fmt/format.h>

#include <stdexcept>
#include <string>

#include "binding.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace refnet::store {

using namespace detail;

namespace {

// The tables undo writes, as literals: a table name is never spliced from input.
const char* undo_table(std::string_view entity) {
  for (const char* known : {"contact", "referral", "touchpoint", "event"}) {
    if (entity == known) return known;
  }
  throw std::logic_error(fmt::format("no undoing a change to a {}", entity));
}

}  // namespace

std::optional<std::int64_t> SqliteStore::last_undoable_change() {
  // Newest first off the index; an undo's own change sets, and those taken back, are passed by.
  auto s = prepare(R"sql(
    SELECT a.change_set FROM audit a
    WHERE a.change_set IS NOT NULL AND a.action <> 'undo'
      AND NOT EXISTS (SELECT 1 FROM audit u WHERE u.undoes = a.change_set)
    ORDER BY a.change_set DESC LIMIT 1)sql");
  if (!s.executeStep()) return std::nullopt;
  return s.getColumn(0).getInt64();
}

std::vector<AuditEntry> SqliteStore::change_entries(std::int64_t change_set) {
  auto s = prepare(R"sql(
    SELECT id, at, actor, action, entity, entity_id, old, new, change_set, undoes FROM audit
    WHERE change_set = ?1 ORDER BY id)sql");
  s.bind(1, static_cast<int64_t>(change_set));
  std::vector<AuditEntry> entries;
  read_audit(s, [&](const AuditEntry& a) { entries.push_back(a); });
  return entries;
}

std::vector<std::string> SqliteStore::snapshot_differences(const std::string& expected,
                                                           const std::string& actual,
                                                           std::string_view aside) {
  // A list compares as its JSON text; a member `actual` lacks differs unless expected is null.
  auto s = prepare(R"sql(
    SELECT e.key FROM json_each(?1) e LEFT JOIN json_each(?2) a ON a.key = e.key
    WHERE e.key IS NOT ?3
      AND (coalesce(a.type, 'null') IS NOT e.type
           OR (CASE WHEN e.type IN ('array', 'object') THEN e.value ELSE e.atom END)
              IS NOT (CASE WHEN a.type IN ('array', 'object') THEN a.value ELSE a.atom END))
    ORDER BY e.id)sql");
  s.bind(1, expected);
  s.bind(2, actual);
  s.bind(3, std::string(aside));
  std::vector<std::string> keys;
  while (s.executeStep()) keys.push_back(s.getColumn(0).getString());
  return keys;
}

std::vector<std::string> SqliteStore::dependents(std::string_view entity, std::int64_t id) {
  // Each: what refers, and its id. Voided records keep their references in their JSON, and are
  // put back by undo as they were, so they count too.
  const char* sql = nullptr;
  if (entity == "contact") {
    sql = R"sql(
      SELECT 'referral', id FROM referral WHERE contact_id = ?1
      UNION ALL SELECT 'touchpoint', id FROM touchpoint WHERE contact_id = ?1
      UNION ALL SELECT 'event', event_id FROM event_contact WHERE contact_id = ?1
      UNION ALL SELECT 'contact', id FROM contact WHERE merged_into = ?1
      UNION ALL SELECT 'voided ' || entity, id FROM voided
        WHERE entity IN ('referral', 'touchpoint')
          AND json_extract(record, '$.contact_id') = ?1
      UNION ALL SELECT 'voided event', v.id FROM voided v, json_each(v.record, '$.detached.met') m
        WHERE v.entity = 'event' AND m.value = ?1)sql";
  } else if (entity == "referral") {
    sql = R"sql(
      SELECT 'touchpoint', id FROM touchpoint WHERE referral_id = ?1
      UNION ALL SELECT 'voided touchpoint', id FROM voided
        WHERE entity = 'touchpoint' AND json_extract(record, '$.referral_id') = ?1)sql";
  } else if (entity == "touchpoint") {
    sql = R"sql(
      SELECT 'touchpoint', id FROM touchpoint WHERE satisfied_by = ?1
      UNION ALL SELECT 'voided touchpoint', id FROM voided
        WHERE entity = 'touchpoint' AND json_extract(record, '$.satisfied_by') = ?1)sql";
  } else if (entity == "event") {
    sql = "SELECT 'contact', id FROM contact WHERE event_id = ?1";
  } else {
    throw std::logic_error(fmt::format("no dependents of a {}", entity));
  }
  auto s = prepare(std::string(sql) + " ORDER BY 1, 2 LIMIT 11");
  s.bind(1, static_cast<int64_t>(id));
  std::vector<std::string> found;
  while (s.executeStep()) {
    found.push_back(fmt::format("{} #{}", s.getColumn(0).getString(), s.getColumn(1).getInt64()));
  }
  return found;
}

std::vector<std::string> SqliteStore::revert_conflicts(std::string_view entity, std::int64_t id,
                                                       const Text& snapshot) {
  // ?1 the snapshot (or the voided record), ?2 the id. Each part: a reference to a record gone,
  // or a contact that would be a second active holder of one NPI, or of one name and practice.
  constexpr const char* gone = R"sql(
    SELECT '{0} #' || json_extract(s.j, '$.{1}') || ' is gone' FROM s
    WHERE json_extract(s.j, '$.{1}') IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM {0} WHERE id = json_extract(s.j, '$.{1}')))sql";
  std::vector<std::string> parts;
  if (entity == "contact") {
    parts = {fmt::format(gone, "event", "event_id"), fmt::format(gone, "contact", "merged_into"),
             R"sql(
      SELECT 'contact #' || c.id || ' is active with the same NPI' FROM s, contact c
      WHERE json_type(s.j, '$.archived_at') = 'null' AND c.npi = json_extract(s.j, '$.npi')
        AND c.archived_at IS NULL AND c.id <> ?2)sql",
             R"sql(
      SELECT 'contact #' || c.id || ' is active with the same name and practice'
      FROM s, contact c, contact self
      WHERE self.id = ?2 AND self.archived_at IS NOT NULL
        AND json_type(s.j, '$.archived_at') = 'null'
        AND c.archived_at IS NULL AND c.id <> ?2
        AND c.name = json_extract(s.j, '$.name') COLLATE NOCASE
        AND (c.practice = json_extract(s.j, '$.practice') COLLATE NOCASE
             OR (c.practice IS NULL AND json_extract(s.j, '$.practice') IS NULL)))sql"};
  } else if (entity == "referral") {
    parts = {fmt::format(gone, "contact", "contact_id")};
  } else if (entity == "touchpoint") {
    parts = {fmt::format(gone, "contact", "contact_id"),
             fmt::format(gone, "referral", "referral_id"),
             fmt::format(gone, "touchpoint", "satisfied_by")};
  } else if (entity == "event") {
    parts = {R"sql(
      SELECT 'contact #' || m.value || ' is gone' FROM s, json_each(s.j, '$.met') m
      WHERE NOT EXISTS (SELECT 1 FROM contact WHERE id = m.value))sql"};
  } else {
    throw std::logic_error(fmt::format("no putting back a {}", entity));
  }
  std::string sql =
      "WITH s(j) AS (SELECT coalesce(?1, (SELECT record FROM voided WHERE entity = ?3 AND id = "
      "?2)))";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    sql += (i == 0 ? "" : " UNION ALL ") + parts[i];
  }
  auto s = prepare(sql);
  put(s, 1, snapshot);
  s.bind(2, static_cast<int64_t>(id));
  s.bind(3, std::string(entity));
  std::vector<std::string> found;
  while (s.executeStep()) found.push_back(s.getColumn(0).getString());
  return found;
}

std::optional<std::int64_t> SqliteStore::undone_by(std::int64_t change_set) {
  auto s = prepare("SELECT change_set FROM audit WHERE undoes = ?1 ORDER BY id LIMIT 1");
  s.bind(1, static_cast<int64_t>(change_set));
  if (!s.executeStep()) return std::nullopt;
  return s.getColumn(0).getInt64();
}

void SqliteStore::revert_record(std::string_view entity, std::int64_t id, const Text& snapshot) {
  const char* table = undo_table(entity);
  const auto run = [&](const std::string& sql) {
    auto s = prepare(sql);
    put(s, 1, snapshot);
    s.bind(2, static_cast<int64_t>(id));
    s.exec();
  };
  if (!snapshot) {
    // Tags go with their contact (ON DELETE CASCADE), attendance with its event.
    run(fmt::format("DELETE FROM {} WHERE id = ?2 AND ?1 IS NULL", table));
    if (db_->getChanges() != 1) {
      throw std::logic_error(fmt::format("no {} #{} to take out", entity, id));
    }
    return;
  }
  // Each stored column the snapshot names takes its value; json_type is NULL for a key it lacks.
  std::string sets;
  for (const auto& column : columns_of(table)) {
    if (!sets.empty()) sets += ", ";
    sets += fmt::format(
        "{0} = CASE WHEN json_type(?1, '$.{0}') IS NULL THEN {0} ELSE json_extract(?1, '$.{0}') "
        "END",
        column);
  }
  run(fmt::format("UPDATE {} SET {} WHERE id = ?2", table, sets));
  if (db_->getChanges() != 1) {
    throw std::logic_error(fmt::format("no {} #{} to put back", entity, id));
  }
  if (entity == "contact") {
    run("DELETE FROM contact_tag WHERE contact_id = ?2 AND json_type(?1, '$.tags') = 'array'");
    run("INSERT INTO contact_tag (contact_id, tag) "
        "SELECT ?2, value FROM json_each(?1, '$.tags') WHERE json_type(?1, '$.tags') = 'array'");
  } else if (entity == "event") {
    run("DELETE FROM event_contact WHERE event_id = ?2 AND json_type(?1, '$.met') = 'array'");
    run("INSERT INTO event_contact (event_id, contact_id) "
        "SELECT ?2, value FROM json_each(?1, '$.met') WHERE json_type(?1, '$.met') = 'array'");
  }
}

void SqliteStore::unvoid_record(std::string_view entity, std::int64_t id) {
  const char* table = undo_table(entity);
  const auto run = [&](const std::string& sql) {
    auto s = prepare(sql);
    s.bind(1, static_cast<int64_t>(id));
    s.bind(2, table);
    s.exec();
    return db_->getChanges();
  };
  // The record, every column off its JSON.
  std::string columns = "id";
  std::string values = "json_extract(record, '$.id')";
  for (const auto& column : columns_of(table)) {
    columns += ", " + column;
    values += fmt::format(", json_extract(record, '$.{}')", column);
  }
  if (run(fmt::format("INSERT INTO {} ({}) SELECT {} FROM voided WHERE entity = ?2 AND id = ?1",
                      table, columns, values)) != 1) {
    throw std::logic_error(fmt::format("no voided {} #{} to put back", entity, id));
  }
  // What let go of it, where it still lets go.
  constexpr const char* detached = R"sql(
    (SELECT d.value FROM voided v, json_each(v.record, '$.detached.{}') d
     WHERE v.entity = ?2 AND v.id = ?1))sql";
  // A touchpoint it let go of may have been voided since: its voided record holds it again, so
  // that putting that one back too, in either order, leaves both as they were.
  if (entity == "referral") {
    run(fmt::format("UPDATE touchpoint SET referral_id = ?1 WHERE referral_id IS NULL AND id IN {}",
                    fmt::format(detached, "touchpoints")));
    run(
        fmt::format("UPDATE voided SET record = json_set(record, '$.referral_id', ?1) "
                    "WHERE entity = 'touchpoint' AND json_extract(record, '$.referral_id') IS NULL "
                    "AND id IN {}",
                    fmt::format(detached, "touchpoints")));
  } else if (entity == "touchpoint") {
    run(
        fmt::format("UPDATE touchpoint SET satisfied_by = ?1 WHERE satisfied_by IS NULL "
                    "AND done_at IS NULL AND dismissed_at IS NULL AND id IN {}",
                    fmt::format(detached, "satisfied")));
    run(fmt::format(
        "UPDATE voided SET record = json_set(record, '$.satisfied_by', ?1) "
        "WHERE entity = 'touchpoint' AND json_extract(record, '$.satisfied_by') IS NULL "
        "AND json_extract(record, '$.done_at') IS NULL "
        "AND json_extract(record, '$.dismissed_at') IS NULL AND id IN {}",
        fmt::format(detached, "satisfied")));
  } else if (entity == "event") {
    run(fmt::format("UPDATE contact SET event_id = ?1 WHERE event_id IS NULL AND id IN {}",
                    fmt::format(detached, "contacts")));
    run(
        fmt::format("INSERT OR IGNORE INTO event_contact (event_id, contact_id) "
                    "SELECT ?1, id FROM contact WHERE id IN {}",
                    fmt::format(detached, "met")));
  }
  run("DELETE FROM voided WHERE entity = ?2 AND id = ?1");
}

}  // namespace refnet::store
