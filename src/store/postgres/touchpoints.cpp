// Touchpoints on PostgreSQL: read by id or filter, a contact's open plans, and a touchpoint's
// state.
#include <fmt/format.h>

#include "store/postgres/pg_store.hpp"
#include "store/postgres/query.hpp"

namespace refnet::store {

using rows::read_touchpoint;

using namespace pg;

namespace {

constexpr const char* touchpoint_columns = R"sql(
  t.id, t.contact_id, c.name, t.referral_id, t.via, t.note, t.created_at, t.done_at, t.due,
  t.satisfied_by, t.dismissed_at, t.origin, c.npi
)sql";

constexpr const char* open_plan =
    "t.done_at IS NULL AND t.satisfied_by IS NULL AND t.dismissed_at IS NULL";

}  // namespace

std::optional<Touchpoint> PgStore::touchpoint(std::int64_t id) {
  auto s = prepare(fmt::format(
      "SELECT {} FROM touchpoint t JOIN contact c ON c.id = t.contact_id WHERE t.id = ?1",
      touchpoint_columns));
  s.bind(1, static_cast<int64_t>(id));
  if (!s.executeStep()) return std::nullopt;
  return read_touchpoint(s);
}

std::vector<domain::PlannedFollowup> PgStore::open_plans(std::int64_t contact_id) {
  auto s = prepare(fmt::format(R"sql(
    SELECT t.id, t.contact_id, t.created_at, t.due FROM touchpoint t
    WHERE t.contact_id = ?1 AND t.due IS NOT NULL AND {} ORDER BY t.due, t.id)sql",
                               open_plan));
  s.bind(1, static_cast<int64_t>(contact_id));
  std::vector<domain::PlannedFollowup> out;
  while (s.executeStep()) {
    out.push_back({s.getColumn(0).getInt64(), s.getColumn(1).getInt64(), time(s.getColumn(2)),
                   time(s.getColumn(3))});
  }
  return out;
}

void PgStore::each_touchpoint(const TouchpointFilter& f,
                              const std::function<void(const Touchpoint&)>& fn) {
  std::string sql =
      fmt::format("SELECT {} FROM touchpoint t JOIN contact c ON c.id = t.contact_id WHERE true",
                  touchpoint_columns);
  if (f.contact_id) sql += " AND t.contact_id = ?1";
  if ((f.planned_only && !f.plans_closed_since) || f.overdue_at) {
    sql += fmt::format(" AND t.due IS NOT NULL AND {}", open_plan);
  } else if (f.planned_only) {
    // When a plan closed: done, dismissed, or the day the touchpoint that satisfied it was done.
    sql += fmt::format(
        " AND t.due IS NOT NULL AND ({} OR coalesce(t.done_at, t.dismissed_at, (SELECT s.done_at "
        "FROM touchpoint s WHERE s.id = t.satisfied_by)) >= ?11)",
        open_plan);
  }
  if (f.since) sql += " AND coalesce(t.done_at, t.due) >= ?2";
  if (f.until) sql += " AND coalesce(t.done_at, t.due) < ?3";
  if (f.overdue_at) sql += " AND t.due < ?4";
  if (f.via) sql += " AND t.via = ?5";
  if (f.role) sql += " AND c.role = ?6";
  if (f.specialty) sql += " AND strpos(lower(c.specialty), lower(?7)) > 0";
  if (f.source) sql += " AND c.source = ?8";
  if (f.tag) {
    sql +=
        " AND EXISTS (SELECT 1 FROM contact_tag g WHERE g.contact_id = c.id"
        " AND lower(g.tag) = lower(?9))";
  }
  if (f.referral_id) sql += " AND t.referral_id = ?10";
  sql += " ORDER BY coalesce(t.done_at, t.due), t.id";
  auto s = prepare(sql);
  if (f.contact_id) put(s, 1, f.contact_id);
  if (f.since) put(s, 2, f.since);
  if (f.until) put(s, 3, f.until);
  if (f.overdue_at) put(s, 4, f.overdue_at);
  if (f.via) put(s, 5, f.via);
  if (f.role) put(s, 6, f.role);
  if (f.specialty) put(s, 7, f.specialty);
  if (f.source) put(s, 8, f.source);
  if (f.tag) put(s, 9, f.tag);
  if (f.referral_id) put(s, 10, f.referral_id);
  if (f.planned_only && f.plans_closed_since) put(s, 11, f.plans_closed_since);
  s.in_batches();
  while (s.executeStep()) fn(read_touchpoint(s));
}

}  // namespace refnet::store
