// Voided records on SQLite (refnet(1) void): moved whole into `voided` (migration 14).
#include <fmt/format.h>

#include <span>
#include <stdexcept>
#include <string>

#include "binding.hpp"
#include "error.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace refnet::store {

using namespace detail;

namespace {

// Each voidable table: what its voided record keeps of what pointed at it, under "detached", so
// it can be told (and put back by unvoid_record) later: the touchpoints about a referral, the
// plans a touchpoint satisfied, the contacts whose event it was and those met there; then what
// lets go of it. ?1 is the id. The statements run in order in the caller's transaction, after
// the record (every stored column, read off the table as unvoid_record writes them back) is
// kept.
struct Voidable {
  const char* table;
  const char* detached;  // a JSON object
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

constexpr Voidable voidables[] = {
    {"referral",
     "json_object('touchpoints', "
     "(SELECT json_group_array(t.id) FROM touchpoint t WHERE t.referral_id = ?1))",
     referral_let_go},
    {"touchpoint",
     "json_object('satisfied', "
     "(SELECT json_group_array(p.id) FROM touchpoint p WHERE p.satisfied_by = ?1))",
     touchpoint_let_go},
    {"event",
     "json_object('contacts', (SELECT json_group_array(c.id) FROM contact c WHERE c.event_id = "
     "?1), "
     "'met', (SELECT json_group_array(ec.contact_id) FROM event_contact ec "
     "WHERE ec.event_id = ?1))",
     event_let_go},
};

// How a voided record is listed: the fields of VoidedRecord off its JSON, the contact's name from
// the contact table (contacts are never voided). ?1 is the entity, ?2 an id or NULL for all.
constexpr const char* voided_sql = R"sql(
  SELECT v.entity, v.id,
         CASE v.entity WHEN 'event' THEN json_extract(v.record, '$.name') ELSE c.name END,
         json_extract(v.record, '$.direction'), json_extract(v.record, '$.patient'),
         json_extract(v.record, '$.via'),
         coalesce(json_extract(v.record, '$.referred_at'), json_extract(v.record, '$.done_at'),
                  json_extract(v.record, '$.due')),
         json_extract(v.record, '$.date'), v.voided_at, v.reason
  FROM voided v LEFT JOIN contact c ON c.id = json_extract(v.record, '$.contact_id')
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

void SqliteStore::void_record(std::string_view entity, std::int64_t id, std::string_view reason,
                              Timestamp at) {
  const Voidable* v = nullptr;
  for (const auto& candidate : voidables) {
    if (entity == candidate.table) v = &candidate;
  }
  if (v == nullptr) throw std::logic_error(fmt::format("no voiding a {}", entity));
  // The record as a JSON object of every column; ?2 the reason, ?3 when.
  std::string members = "'id', id";
  for (const auto& column : columns_of(v->table)) members += fmt::format(", '{0}', {0}", column);
  auto keep = prepare(fmt::format(
      "INSERT INTO voided (entity, id, record, reason, voided_at) "
      "SELECT '{0}', id, json_object({1}, 'detached', {2}), ?2, ?3 FROM {0} WHERE id = ?1",
      v->table, members, v->detached));
  keep.bind(1, static_cast<int64_t>(id));
  keep.bind(2, std::string(reason));
  put(keep, 3, at);
  keep.exec();
  if (db_->getChanges() != 1) throw std::logic_error(fmt::format("no {} #{} to void", entity, id));
  for (const char* sql : v->let_go) {
    auto s = prepare(sql);
    s.bind(1, static_cast<int64_t>(id));
    s.exec();
  }
}

std::optional<VoidedRecord> SqliteStore::voided(std::string_view entity, std::int64_t id) {
  auto s = prepare(voided_sql);
  s.bind(1, std::string(entity));
  s.bind(2, static_cast<int64_t>(id));
  if (!s.executeStep()) return std::nullopt;
  return read_voided(s);
}

void SqliteStore::each_voided(std::string_view entity,
                              const std::function<void(const VoidedRecord&)>& fn) {
  auto s = prepare(voided_sql);
  s.bind(1, std::string(entity));
  s.bind(2);
  while (s.executeStep()) fn(read_voided(s));
}

}  // namespace refnet::store
