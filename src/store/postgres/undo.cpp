// What refnet undo needs of PostgreSQL (refnet(1) undo): change sets, putting records back as an
// audit snapshot shows them, and voided records back in their tables.
#include <fmt/format.h>

#include <stdexcept>
#include <string>

#include "store/postgres/pg_store.hpp"
#include "store/postgres/query.hpp"

namespace refnet::store {

using namespace pg;

namespace {

// The tables undo writes, as literals: a table name is never spliced from input.
const char* undo_table(std::string_view entity) {
  for (const char* known : {"contact", "referral", "touchpoint", "event"}) {
    if (entity == known) return known;
  }
  throw std::logic_error(fmt::format("no undoing a change to a {}", entity));
}

// The type SQLite's json_each gives a JSON value `v`: null, true, false, integer, real, text,
// array or object (json_typeof says number, string and boolean).
std::string sqlite_json_type(std::string_view v) {
  return fmt::format(
      "CASE json_typeof({0}) WHEN 'string' THEN 'text' WHEN 'boolean' THEN {0}::text "
      "WHEN 'number' THEN CASE WHEN {0}::text ~ '^-?[0-9]+$' THEN 'integer' ELSE 'real' END "
      "ELSE json_typeof({0}) END",
      v);
}

// The record's JSON text (`record`) with member `key` set to ?1, as SQLite's json_set writes it:
// every other member in its place and as it was (the json type keeps each value's text), the one
// set where it was, or last when there was none.
std::string json_set(std::string_view key) {
  return fmt::format(
      R"sql((SELECT '{{' || string_agg(CASE WHEN m.key = '{0}' THEN '"{0}":' || ?1
                                       ELSE to_json(m.key)::text || ':' || m.value::text END,
                                  ',' ORDER BY m.n)
                || CASE WHEN bool_or(m.key = '{0}') THEN '' ELSE ',"{0}":' || ?1 END || '}}'
         FROM json_each(record::json) WITH ORDINALITY AS m(key, value, n)))sql",
      key);
}

}  // namespace

std::optional<std::int64_t> PgStore::last_undoable_change() {
  // Newest first off the index; an undo's own change sets, and those taken back, are passed by.
  auto s = prepare(R"sql(
    SELECT a.change_set FROM audit a
    WHERE a.change_set IS NOT NULL AND a.action <> 'undo'
      AND NOT EXISTS (SELECT 1 FROM audit u WHERE u.undoes = a.change_set)
    ORDER BY a.change_set DESC LIMIT 1)sql");
  if (!s.executeStep()) return std::nullopt;
  return s.getColumn(0).getInt64();
}

std::vector<AuditEntry> PgStore::change_entries(std::int64_t change_set) {
  auto s = prepare(R"sql(
    SELECT id, at, actor, action, entity, entity_id, old, new, change_set, undoes FROM audit
    WHERE change_set = ?1 ORDER BY id)sql");
  s.bind(1, change_set);
  std::vector<AuditEntry> entries;
  read_audit(s, [&](const AuditEntry& a) { entries.push_back(a); });
  return entries;
}

std::vector<std::string> PgStore::snapshot_differences(const std::string& expected,
                                                       const std::string& actual,
                                                       std::string_view aside) {
  // A list compares as its JSON text; a member `actual` lacks differs unless expected is null.
  // Types as SQLite's json_each tells them, so 1 and 1.0 differ; values as its atoms: a string
  // unescaped (#>> '{}'), a number by its value. The CASE keeps a cast from a value of the other
  // type.
  auto s = prepare(fmt::format(R"sql(
    SELECT e.key FROM json_each(?1::json) WITH ORDINALITY AS e(key, value, n)
    LEFT JOIN json_each(?2::json) AS a(key, value) ON a.key = e.key
    CROSS JOIN LATERAL (SELECT {0} AS e_type, coalesce({1}, 'null') AS a_type) t
    WHERE e.key IS DISTINCT FROM ?3
      AND CASE WHEN t.a_type <> t.e_type THEN true
               WHEN t.e_type IN ('array', 'object') THEN e.value::text <> a.value::text
               WHEN t.e_type = 'integer' THEN (e.value::text)::numeric <> (a.value::text)::numeric
               WHEN t.e_type = 'real' THEN (e.value::text)::float8 <> (a.value::text)::float8
               ELSE (e.value #>> '{{}}') IS DISTINCT FROM (a.value #>> '{{}}') END
    ORDER BY e.n)sql",
                               sqlite_json_type("e.value"), sqlite_json_type("a.value")));
  s.bind(1, expected);
  s.bind(2, actual);
  s.bind(3, aside);
  std::vector<std::string> keys;
  while (s.executeStep()) keys.push_back(s.getColumn(0).getString());
  return keys;
}

std::vector<std::string> PgStore::dependents(std::string_view entity, std::int64_t id) {
  // Each: what refers, and its id. Voided records keep their references in their JSON, and are
  // put back by undo as they were, so they count too.
  const char* sql = nullptr;
  if (entity == "contact") {
    sql = R"sql(
      SELECT 'referral' AS what, id FROM referral WHERE contact_id = ?1
      UNION ALL SELECT 'touchpoint', id FROM touchpoint WHERE contact_id = ?1
      UNION ALL SELECT 'event', event_id FROM event_contact WHERE contact_id = ?1
      UNION ALL SELECT 'contact', id FROM contact WHERE merged_into = ?1
      UNION ALL SELECT 'voided ' || entity, id FROM voided
        WHERE entity IN ('referral', 'touchpoint')
          AND (record::json ->> 'contact_id')::bigint = ?1
      UNION ALL SELECT 'voided event', v.id
        FROM voided v, json_array_elements_text(v.record::json -> 'detached' -> 'met') m
        WHERE v.entity = 'event' AND m::bigint = ?1)sql";
  } else if (entity == "referral") {
    sql = R"sql(
      SELECT 'touchpoint' AS what, id FROM touchpoint WHERE referral_id = ?1
      UNION ALL SELECT 'voided touchpoint', id FROM voided
        WHERE entity = 'touchpoint' AND (record::json ->> 'referral_id')::bigint = ?1)sql";
  } else if (entity == "touchpoint") {
    sql = R"sql(
      SELECT 'touchpoint' AS what, id FROM touchpoint WHERE satisfied_by = ?1
      UNION ALL SELECT 'voided touchpoint', id FROM voided
        WHERE entity = 'touchpoint' AND (record::json ->> 'satisfied_by')::bigint = ?1)sql";
  } else if (entity == "event") {
    sql = "SELECT 'contact' AS what, id FROM contact WHERE event_id = ?1";
  } else {
    throw std::logic_error(fmt::format("no dependents of a {}", entity));
  }
  // By bytes, as SQLite sorts the names, whatever the database's collation.
  auto s = prepare(
      fmt::format("SELECT what, id FROM ({}) d ORDER BY what COLLATE \"C\", id LIMIT 11", sql));
  s.bind(1, id);
  std::vector<std::string> found;
  while (s.executeStep()) {
    found.push_back(fmt::format("{} #{}", s.getColumn(0).getString(), s.getColumn(1).getInt64()));
  }
  return found;
}

std::vector<std::string> PgStore::revert_conflicts(std::string_view entity, std::int64_t id,
                                                   const Text& snapshot) {
  // ?1 the snapshot (or the voided record), ?2 the id. Each part: a reference to a record gone,
  // or a contact that would be a second active holder of one NPI, or of one name and practice.
  // Each part gives its place and an order within it, so the lines come out as SQLite's do:
  // part by part, contacts by id, those met in the order listed.
  constexpr const char* gone = R"sql(
    SELECT '{0} #' || (s.j ->> '{1}') || ' is gone', {2}, 0::bigint FROM s
    WHERE (s.j ->> '{1}') IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM {0} WHERE id = (s.j ->> '{1}')::bigint))sql";
  std::vector<std::string> parts;
  if (entity == "contact") {
    // NOCASE is lower() on text that sorts and compares by bytes (COLLATE "C"), which folds ASCII
    // letters only, as NOCASE does.
    parts = {fmt::format(gone, "event", "event_id", 1),
             fmt::format(gone, "contact", "merged_into", 2),
             R"sql(
      SELECT 'contact #' || c.id || ' is active with the same NPI', 3, c.id FROM s, contact c
      WHERE json_typeof(s.j -> 'archived_at') = 'null' AND c.npi = (s.j ->> 'npi')
        AND c.archived_at IS NULL AND c.id <> ?2)sql",
             R"sql(
      SELECT 'contact #' || c.id || ' is active with the same name and practice', 4, c.id
      FROM s, contact c, contact self
      WHERE self.id = ?2 AND self.archived_at IS NOT NULL
        AND json_typeof(s.j -> 'archived_at') = 'null'
        AND c.archived_at IS NULL AND c.id <> ?2
        AND lower(c.name) = lower((s.j ->> 'name') COLLATE "C")
        AND (lower(c.practice) = lower((s.j ->> 'practice') COLLATE "C")
             OR (c.practice IS NULL AND (s.j ->> 'practice') IS NULL)))sql"};
  } else if (entity == "referral") {
    parts = {fmt::format(gone, "contact", "contact_id", 1)};
  } else if (entity == "touchpoint") {
    parts = {fmt::format(gone, "contact", "contact_id", 1),
             fmt::format(gone, "referral", "referral_id", 2),
             fmt::format(gone, "touchpoint", "satisfied_by", 3)};
  } else if (entity == "event") {
    parts = {R"sql(
      SELECT 'contact #' || m.value || ' is gone', 1, m.n
      FROM s, json_array_elements_text(
                CASE WHEN json_typeof(s.j -> 'met') = 'array' THEN s.j -> 'met' END)
              WITH ORDINALITY AS m(value, n)
      WHERE NOT EXISTS (SELECT 1 FROM contact WHERE id = m.value::bigint))sql"};
  } else {
    throw std::logic_error(fmt::format("no putting back a {}", entity));
  }
  std::string sql =
      "WITH s(j) AS (SELECT coalesce(?1, (SELECT record FROM voided WHERE entity = ?3 AND id = "
      "?2))::json) SELECT what FROM (";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    sql += (i == 0 ? "" : " UNION ALL ") + parts[i];
  }
  sql += ") AS found(what, part, n) ORDER BY part, n";
  auto s = prepare(sql);
  put(s, 1, snapshot);
  s.bind(2, id);
  s.bind(3, entity);
  std::vector<std::string> found;
  while (s.executeStep()) found.push_back(s.getColumn(0).getString());
  return found;
}

std::optional<std::int64_t> PgStore::undone_by(std::int64_t change_set) {
  auto s = prepare("SELECT change_set FROM audit WHERE undoes = ?1 ORDER BY id LIMIT 1");
  s.bind(1, change_set);
  if (!s.executeStep()) return std::nullopt;
  return s.getColumn(0).getInt64();
}

void PgStore::revert_record(std::string_view entity, std::int64_t id, const Text& snapshot) {
  const char* table = undo_table(entity);
  const auto run = [&](const std::string& sql) {
    auto s = prepare(sql);
    put(s, 1, snapshot);
    s.bind(2, id);
    return s.exec();
  };
  if (!snapshot) {
    // Tags go with their contact (ON DELETE CASCADE), attendance with its event.
    if (run(fmt::format("DELETE FROM {} WHERE id = ?2 AND ?1 IS NULL", table)) != 1) {
      throw std::logic_error(fmt::format("no {} #{} to take out", entity, id));
    }
    return;
  }
  // Each stored column the snapshot names takes its value; json_typeof is NULL for a key it
  // lacks. json_populate_record reads the values as the columns' types.
  std::string sets;
  for (const auto& column : columns_of(table)) {
    if (!sets.empty()) sets += ", ";
    sets += fmt::format(
        "{0} = CASE WHEN json_typeof(?1::json -> '{0}') IS NULL THEN t.{0} "
        "ELSE r.{0} END",
        column);
  }
  if (run(fmt::format("UPDATE {0} t SET {1} FROM json_populate_record(NULL::{0}, ?1::json) r "
                      "WHERE t.id = ?2",
                      table, sets)) != 1) {
    throw std::logic_error(fmt::format("no {} #{} to put back", entity, id));
  }
  // A list the snapshot does not hold as an array is left as it is.
  constexpr const char* list =
      "json_array_elements_text(CASE WHEN json_typeof(?1::json -> '{0}') "
      "= 'array' THEN ?1::json -> '{0}' END)";
  if (entity == "contact") {
    run("DELETE FROM contact_tag WHERE contact_id = ?2 AND json_typeof(?1::json -> 'tags') = "
        "'array'");
    run(fmt::format("INSERT INTO contact_tag (contact_id, tag) SELECT ?2, value FROM {} AS value",
                    fmt::format(list, "tags")));
  } else if (entity == "event") {
    run("DELETE FROM event_contact WHERE event_id = ?2 AND json_typeof(?1::json -> 'met') = "
        "'array'");
    run(
        fmt::format("INSERT INTO event_contact (event_id, contact_id) SELECT ?2, value::bigint "
                    "FROM {} AS value",
                    fmt::format(list, "met")));
  }
}

void PgStore::unvoid_record(std::string_view entity, std::int64_t id) {
  const char* table = undo_table(entity);
  const auto run = [&](const std::string& sql) {
    auto s = prepare(sql);
    s.bind(1, id);
    s.bind(2, table);
    return s.exec();
  };
  // The record, every column off its JSON, read as the columns' types.
  std::string columns = "id";
  std::string values = "r.id";
  for (const auto& column : columns_of(table)) {
    columns += ", " + column;
    values += ", r." + column;
  }
  if (run(fmt::format("INSERT INTO {0} ({1}) SELECT {2} FROM voided v, "
                      "json_populate_record(NULL::{0}, v.record::json) r "
                      "WHERE v.entity = ?2 AND v.id = ?1",
                      table, columns, values)) != 1) {
    throw std::logic_error(fmt::format("no voided {} #{} to put back", entity, id));
  }
  // What let go of it, where it still lets go.
  constexpr const char* detached = R"sql(
    (SELECT d::bigint FROM voided v, json_array_elements_text(v.record::json -> 'detached' -> '{}') d
     WHERE v.entity = ?2 AND v.id = ?1))sql";
  // A touchpoint it let go of may have been voided since: its voided record holds it again, so
  // that putting that one back too, in either order, leaves both as they were.
  if (entity == "referral") {
    run(fmt::format("UPDATE touchpoint SET referral_id = ?1 WHERE referral_id IS NULL AND id IN {}",
                    fmt::format(detached, "touchpoints")));
    run(
        fmt::format("UPDATE voided SET record = {} "
                    "WHERE entity = 'touchpoint' AND (record::json ->> 'referral_id') IS NULL "
                    "AND id IN {}",
                    json_set("referral_id"), fmt::format(detached, "touchpoints")));
  } else if (entity == "touchpoint") {
    run(
        fmt::format("UPDATE touchpoint SET satisfied_by = ?1 WHERE satisfied_by IS NULL "
                    "AND done_at IS NULL AND dismissed_at IS NULL AND id IN {}",
                    fmt::format(detached, "satisfied")));
    run(
        fmt::format("UPDATE voided SET record = {} "
                    "WHERE entity = 'touchpoint' AND (record::json ->> 'satisfied_by') IS NULL "
                    "AND (record::json ->> 'done_at') IS NULL "
                    "AND (record::json ->> 'dismissed_at') IS NULL AND id IN {}",
                    json_set("satisfied_by"), fmt::format(detached, "satisfied")));
  } else if (entity == "event") {
    run(fmt::format("UPDATE contact SET event_id = ?1 WHERE event_id IS NULL AND id IN {}",
                    fmt::format(detached, "contacts")));
    run(
        fmt::format("INSERT INTO event_contact (event_id, contact_id) "
                    "SELECT ?1, id FROM contact WHERE id IN {} ON CONFLICT DO NOTHING",
                    fmt::format(detached, "met")));
  }
  run("DELETE FROM voided WHERE entity = ?2 AND id = ?1");
}

}  // namespace refnet::store
