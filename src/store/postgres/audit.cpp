// The audit trail on PostgreSQL: writing an entry, and reading entries with the fields they
// changed.
#include <fmt/format.h>

#include "store/postgres/pg_store.hpp"
#include "store/postgres/query.hpp"

namespace refnet::store {

using namespace pg;

std::int64_t PgStore::audit(std::string_view action, std::string_view entity,
                            std::int64_t entity_id, const Text& old_json, const Text& new_json,
                            std::string_view actor, Timestamp at,
                            std::optional<std::int64_t> undoes) {
  // The first entry of a change set is numbered by its own id. The actor the caller gives is
  // replaced by the server with the database role (the audit_actor trigger).
  auto s = prepare(R"sql(
    INSERT INTO audit (id, at, actor, action, entity, entity_id, old, new, change_set, undoes)
    VALUES ((SELECT coalesce(max(id), 0) + 1 FROM audit), ?1, ?2, ?3, ?4, ?5, ?6, ?7,
            coalesce(?8, (SELECT coalesce(max(id), 0) + 1 FROM audit)), ?9)
    RETURNING id)sql");
  put(s, 1, at);
  s.bind(2, actor);
  s.bind(3, action);
  s.bind(4, entity);
  s.bind(5, entity_id);
  put(s, 6, old_json);
  put(s, 7, new_json);
  if (change_set_ > 0) {
    s.bind(8, change_set_);
  } else {
    s.bind_null_integer(8);
  }
  put(s, 9, undoes);
  s.executeStep();
  const std::int64_t id = s.getColumn(0).getInt64();
  if (change_set_ > 0) return change_set_;
  // Outside a write transaction (change_set_ < 0) every entry is a change set of its own.
  if (change_set_ == 0) change_set_ = id;
  return id;
}

void PgStore::each_audit(std::optional<Timestamp> since, std::optional<std::int64_t> entity_id,
                         const Text& entity, const std::function<void(const AuditEntry&)>& fn) {
  std::string sql =
      "SELECT id, at, actor, action, entity, entity_id, old, new, change_set, undoes FROM audit"
      " WHERE true";
  if (since) sql += " AND at >= ?1";
  if (entity_id && entity == "contact") {
    // A referral or touchpoint names its contact, an event those met there, before or after.
    sql += R"sql( AND ((entity = 'contact' AND entity_id = ?2)
      OR (entity IN ('referral', 'touchpoint')
          AND ?2 IN ((old::json ->> 'contact_id')::bigint, (new::json ->> 'contact_id')::bigint))
      OR (entity = 'event'
          AND (EXISTS (SELECT 1 FROM json_array_elements_text(old::json -> 'met') m
                       WHERE m::bigint = ?2)
               OR EXISTS (SELECT 1 FROM json_array_elements_text(new::json -> 'met') m
                          WHERE m::bigint = ?2)))))sql";
  } else if (entity_id && entity == "referral") {
    sql += R"sql( AND ((entity = 'referral' AND entity_id = ?2)
      OR (entity = 'touchpoint'
          AND ?2 IN ((old::json ->> 'referral_id')::bigint,
                     (new::json ->> 'referral_id')::bigint))))sql";
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

void PgStore::read_audit(Query& s, const std::function<void(const AuditEntry&)>& fn) {
  // The fields that differ, compared by the server's JSON reader: a value as its JSON text, a
  // JSON null as NULL, in the order of the new snapshot.
  const std::string diff_sql = R"sql(
    SELECT key, old_value, new_value FROM (
      SELECT n.key AS key,
             CASE WHEN o.value IS NULL OR json_typeof(o.value) = 'null' THEN NULL
                  ELSE o.value::text END AS old_value,
             CASE WHEN json_typeof(n.value) = 'null' THEN NULL ELSE n.value::text END AS new_value,
             n.position AS position
      FROM json_each(?2::json) WITH ORDINALITY AS n(key, value, position)
      LEFT JOIN json_each(?1::json) AS o(key, value) ON o.key = n.key) d
    WHERE old_value IS DISTINCT FROM new_value ORDER BY position)sql";
  s.in_batches();
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
