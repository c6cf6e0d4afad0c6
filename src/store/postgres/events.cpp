// Events on PostgreSQL: read by id, name or filter, and who was met at each.
#include <fmt/format.h>

#include "store/postgres/pg_store.hpp"
#include "store/postgres/query.hpp"

namespace refnet::store {

using rows::read_event;

using namespace pg;

namespace {

constexpr const char* event_columns = R"sql(
  e.id, e.name, e.kind, e.date, e.location, e.note, e.created_at,
  (SELECT count(*) FROM event_contact m WHERE m.event_id = e.id)
)sql";

}  // namespace

void PgStore::add_event_contact(std::int64_t event_id, std::int64_t contact_id) {
  if (hold_met(event_id, contact_id)) return;
  auto s = prepare(
      "INSERT INTO event_contact (event_id, contact_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
  s.bind(1, static_cast<int64_t>(event_id));
  s.bind(2, static_cast<int64_t>(contact_id));
  s.exec();
}

std::optional<Event> PgStore::event(std::int64_t id) {
  auto s = prepare(fmt::format("SELECT {} FROM event e WHERE e.id = ?1", event_columns));
  s.bind(1, static_cast<int64_t>(id));
  if (!s.executeStep()) return std::nullopt;
  auto event = read_event(s);
  event.met = event_contacts(id);
  return event;
}

std::vector<Event> PgStore::events_named(std::string_view name) {
  auto s = prepare(fmt::format(
      "SELECT {} FROM event e WHERE lower(e.name) = lower(?1) ORDER BY e.date DESC, e.id DESC",
      event_columns));
  s.bind(1, std::string(name));
  std::vector<Event> out;
  while (s.executeStep()) out.push_back(read_event(s));
  return out;
}

std::vector<std::int64_t> PgStore::event_contacts(std::int64_t event_id) {
  auto s = prepare("SELECT contact_id FROM event_contact WHERE event_id = ?1 ORDER BY contact_id");
  s.bind(1, static_cast<int64_t>(event_id));
  std::vector<std::int64_t> out;
  while (s.executeStep()) out.push_back(s.getColumn(0).getInt64());
  return out;
}

void PgStore::each_event(const EventFilter& f, const std::function<void(const Event&)>& fn) {
  std::string sql = fmt::format("SELECT {} FROM event e WHERE true", event_columns);
  if (f.kind) sql += " AND e.kind = ?1";
  if (f.contact_id) {
    sql +=
        " AND EXISTS (SELECT 1 FROM event_contact m WHERE m.event_id = e.id"
        " AND m.contact_id = ?2)";
  }
  if (f.since) sql += " AND e.date >= ?3";
  if (f.until) sql += " AND e.date < ?4";
  sql += " ORDER BY e.date, e.id";
  auto s = prepare(sql);
  if (f.kind) put(s, 1, f.kind);
  if (f.contact_id) put(s, 2, f.contact_id);
  if (f.since) put(s, 3, f.since);
  if (f.until) put(s, 4, f.until);
  s.in_batches();
  while (s.executeStep()) fn(read_event(s));
}

}  // namespace refnet::store
