// The audit trail on SQLite: writing an entry, and reading entries with the fields they changed.
#include <fmt/format.h>

#include "binding.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace refnet::store {

using namespace detail;

std::int64_t SqliteStore::audit(std::string_view action, std::string_view entity,
                                std::int64_t entity_id, const Text& old_json, const Text& new_json,
                                std::string_view actor, Timestamp at,
                                std::optional<std::int64_t> undoes) {
  // The first entry of a change set is numbered by its own id.
  auto s = prepare(R"sql(
    INSERT INTO audit (at, actor, action, entity, entity_id, old, new, change_set, undoes)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,
            coalesce(?8, (SELECT coalesce(max(id), 0) + 1 FROM audit)), ?9))sql");
  put(s, 1, at);
  s.bind(2, std::string(actor));
  s.bind(3, std::string(action));
  s.bind(4, std::string(entity));
  s.bind(5, static_cast<int64_t>(entity_id));
  put(s, 6, old_json);
  put(s, 7, new_json);
  if (change_set_ > 0) {
    s.bind(8, static_cast<int64_t>(change_set_));
  } else {
    s.bind(8);
  }
  put(s, 9, undoes);
  s.exec();
  if (change_set_ > 0) return change_set_;
  const std::int64_t first = db_->getLastInsertRowid();
  // Outside a write transaction (change_set_ < 0) every entry is a change set of its own.
  if (change_set_ == 0) change_set_ = first;
  return first;
}

void SqliteStore::each_audit(std::optional<Timestamp> since, std::optional<std::int64_t> entity_id,
                             const Text& entity, const std::function<void(const AuditEntry&)>& fn) {
  std::string sql =
      "SELECT id, at, actor, action, entity, entity_id, old, new, change_set, undoes FROM audit"
      " WHERE 1";
  if (since) sql += " AND at >= ?1";
  if (entity_id && entity == "contact") {
    // A referral or touchpoint names its contact, an event those met there, before or after.
    sql += R"sql( AND ((entity = 'contact' AND entity_id = ?2)
      OR (entity IN ('referral', 'touchpoint')
          AND ?2 IN (json_extract(old, '$.contact_id'), json_extract(new, '$.contact_id')))
      OR (entity = 'event'
          AND (EXISTS (SELECT 1 FROM json_each(old, '$.met') WHERE value = ?2)
               OR EXISTS (SELECT 1 FROM json_each(new, '$.met') WHERE value = ?2)))))sql";
  } else if (entity_id && entity == "referral") {
    sql += R"sql( AND ((entity = 'referral' AND entity_id = ?2)
      OR (entity = 'touchpoint'
          AND ?2 IN (json_extract(old, '$.referral_id'), json_extract(new, '$.referral_id')))))sql";
  } else {
    if (entity_id) sql += " AND entity_id = ?2";
    if (entity) sql += " AND entity = ?3";
  }
  sql += " ORDER BY id";
  auto s = prepare(sql);
  if (since) put(s, 1, since);
  if (entity_id) put(s, 2, entity_id);
  if (entity && (!entity_id || (entity != "contact" && entity != "referral"))) put(s, 3, entity);
  read_audit(s, fn);
}

void SqliteStore::read_audit(Query& s, const std::function<void(const AuditEntry&)>& fn) {
  // The fields that differ, compared by SQLite's own JSON reader.
  const std::string diff_sql = R"sql(
    SELECT key, old_value, new_value FROM (
      SELECT n.key AS key, o.atom AS old_atom, n.atom AS new_atom,
             CASE WHEN o.type IS NULL OR o.type = 'null' THEN NULL
                  WHEN o.type = 'text' THEN json_quote(o.value) ELSE o.value END AS old_value,
             CASE WHEN n.type = 'null' THEN NULL
                  WHEN n.type = 'text' THEN json_quote(n.value) ELSE n.value END AS new_value,
             n.id AS position
      FROM json_each(?2) n LEFT JOIN json_each(?1) o ON o.key = n.key)
    WHERE old_value IS NOT new_value ORDER BY position)sql";
  while (s.executeStep()) {
    AuditEntry a;
    a.id = s.getColumn(0).getInt64();
    a.at = time(s.getColumn(1));
    a.actor = s.getColumn(2).getString();
    a.action = s.getColumn(3).getString();
    a.entity = s.getColumn(4).getString();
    a.entity_id = s.getColumn(5).getInt64();
    a.old_json = text(s.getColumn(6));
    a.new_json = text(s.getColumn(7));
    a.change_set = s.getColumn(8).isNull() ? a.id : s.getColumn(8).getInt64();
    if (!s.getColumn(9).isNull()) a.undoes = s.getColumn(9).getInt64();
    if (a.old_json && a.new_json) {
      auto d = prepare(diff_sql);
      put(d, 1, a.old_json);
      put(d, 2, a.new_json);
      while (d.executeStep()) {
        a.changes.push_back(
            {d.getColumn(0).getString(), text(d.getColumn(1)), text(d.getColumn(2))});
      }
    }
    fn(a);
  }
}

}  // namespace refnet::store
