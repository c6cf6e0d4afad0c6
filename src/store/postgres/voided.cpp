// Voided records on PostgreSQL (refnet(1) void): moved whole into `voided`, their JSON written
// as the SQLite store's json_object writes it.
#include <fmt/format.h>

#include <span>
#include <stdexcept>
#include <string>

#include "error.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/postgres/query.hpp"

namespace refnet::store {

using namespace pg;

namespace {

// The ids a subquery finds (`from`: its FROM and WHERE), ascending, as a JSON array: "[3,7]", "[]"
// when none, as SQLite's json_group_array lists them (off the index or table, in id order).
std::string json_ids(std::string_view id, std::string_view from) {
  return fmt::format(
      "coalesce((SELECT '[' || string_agg({0}::text, ',' ORDER BY {0}) || ']' "
      "FROM {1}), '[]')",
      id, from);
}

// Each voidable table: what its voided record keeps of what pointed at it, under "detached", so
// it can be told (and put back by unvoid_record) later: the touchpoints about a referral, the
// plans a touchpoint satisfied, the contacts whose event it was and those met there; then what
// lets go of it. ?1 is the id. The statements run in order in the caller's transaction, after
// the record (every stored column, read off the table as unvoid_record writes them back) is
// kept.
struct Voidable {
  const char* table;
  std::string detached;  // SQL giving the text of a JSON object
  std::span<const char* const> let_go;
};

constexpr const char* referral_let_go[] = {
    "UPDATE touchpoint SET referral_id = NULL WHERE referral_id = ?1",
    "DELETE FROM referral WHERE id = ?1",
};
constexpr const char* touchpoint_let_go[] = {
    "UPDATE touchpoint SET satisfied_by = NULL WHERE satisfied_by = ?1",
    "DELETE FROM touchpoint WHERE id = ?1",
};
constexpr const char* event_let_go[] = {
    "UPDATE contact SET event_id = NULL WHERE event_id = ?1",
    "DELETE FROM event_contact WHERE event_id = ?1",
    "DELETE FROM event WHERE id = ?1",
};

const Voidable* voidable(std::string_view entity) {
  static const Voidable voidables[] = {
      {"referral",
       "'{\"touchpoints\":' || " + json_ids("t.id", "touchpoint t WHERE t.referral_id = ?1") +
           " || '}'",
       referral_let_go},
      {"touchpoint",
       "'{\"satisfied\":' || " + json_ids("p.id", "touchpoint p WHERE p.satisfied_by = ?1") +
           " || '}'",
       touchpoint_let_go},
      {"event",
       "'{\"contacts\":' || " + json_ids("c.id", "contact c WHERE c.event_id = ?1") +
           " || ',\"met\":' || " +
           json_ids("ec.contact_id", "event_contact ec WHERE ec.event_id = ?1") + " || '}'",
       event_let_go},
  };
  for (const auto& candidate : voidables) {
    if (entity == candidate.table) return &candidate;
  }
  return nullptr;
}

// How a voided record is listed: the fields of VoidedRecord off its JSON, the contact's name from
// the contact table (contacts are never voided). ?1 is the entity, ?2 an id or NULL for all.
constexpr const char* voided_sql = R"sql(
  SELECT v.entity, v.id,
         CASE v.entity WHEN 'event' THEN v.record::json ->> 'name' ELSE c.name END,
         v.record::json ->> 'direction', v.record::json ->> 'patient',
         v.record::json ->> 'via',
         coalesce(v.record::json ->> 'referred_at', v.record::json ->> 'done_at',
                  v.record::json ->> 'due'),
         v.record::json ->> 'date', v.voided_at, v.reason
  FROM voided v LEFT JOIN contact c ON c.id = (v.record::json ->> 'contact_id')::bigint
  WHERE v.entity = ?1 AND (?2 IS NULL OR v.id = ?2)
  ORDER BY v.voided_at DESC, v.id DESC)sql";

VoidedRecord read_voided(Query& s) {
  VoidedRecord v;
  v.entity = s.getColumn(0).getString();
  v.id = s.getColumn(1).getInt64();
  v.name = text(s.getColumn(2));
  v.direction = text(s.getColumn(3));
  v.patient = text(s.getColumn(4));
  v.via = text(s.getColumn(5));
  v.at = optional_time(s.getColumn(6));
  v.date = text(s.getColumn(7));
  v.voided_at = time(s.getColumn(8));
  v.reason = s.getColumn(9).getString();
  return v;
}

}  // namespace

void PgStore::void_record(std::string_view entity, std::int64_t id, std::string_view reason,
                          Timestamp at) {
  const Voidable* v = voidable(entity);
  if (v == nullptr) throw std::logic_error(fmt::format("no voiding a {}", entity));
  // The record as a JSON object of every column, written out as SQLite's json_object writes it
  // (json_build_object would put spaces in): no space, members in column order, a number as its
  // digits, NULL as null, and text as to_json quotes it, which escapes exactly what SQLite's
  // json_quote does (" and \, \b \f \n \r \t, other control characters as \u00xx in lower case)
  // and keeps every other character as it is. ?2 the reason, ?3 when.
  std::string members = "'{\"id\":' || to_json(id)::text";
  for (const auto& column : columns_of(v->table)) {
    members += fmt::format(" || ',\"{0}\":' || coalesce(to_json({0})::text, 'null')", column);
  }
  auto keep = prepare(fmt::format(
      "INSERT INTO voided (entity, id, record, reason, voided_at) "
      "SELECT '{0}', id, {1} || ',\"detached\":' || {2} || '}}', ?2, ?3 FROM {0} WHERE id = ?1",
      v->table, members, v->detached));
  keep.bind(1, id);
  keep.bind(2, reason);
  put(keep, 3, at);
  if (keep.exec() != 1) throw std::logic_error(fmt::format("no {} #{} to void", entity, id));
  for (const char* sql : v->let_go) {
    auto s = prepare(sql);
    s.bind(1, id);
    s.exec();
  }
}

std::optional<VoidedRecord> PgStore::voided(std::string_view entity, std::int64_t id) {
  auto s = prepare(voided_sql);
  s.bind(1, entity);
  s.bind(2, id);
  if (!s.executeStep()) return std::nullopt;
  return read_voided(s);
}

void PgStore::each_voided(std::string_view entity,
                          const std::function<void(const VoidedRecord&)>& fn) {
  auto s = prepare(voided_sql);
  s.bind(1, entity);
  s.bind_null_integer(2);
  s.in_batches();
  while (s.executeStep()) fn(read_voided(s));
}

}  // namespace refnet::store
