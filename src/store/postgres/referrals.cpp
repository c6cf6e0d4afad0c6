// Referrals on PostgreSQL: read by id or filter, and the open ids for shell completion.
#include <fmt/format.h>

#include "store/postgres/pg_store.hpp"
#include "store/postgres/query.hpp"
#include "store/postgres/schema.hpp"  // open_status

namespace refnet::store {

using rows::read_referral;

using namespace pg;

namespace {

constexpr const char* referral_columns = R"sql(
  r.id, r.direction, r.contact_id, c.name, r.patient, r.reason, r.urgency, r.status,
  r.referred_at, r.acknowledge_due, r.acknowledged_at, r.scheduled_at, r.seen_at, r.closed_at,
  r.declined_at, r.cancelled_at, r.no_show_at, r.report_due, r.decline_reason, r.note,
  r.created_at, c.npi, r.appointment_at
)sql";

}  // namespace

std::optional<Referral> PgStore::referral(std::int64_t id) {
  auto s = prepare(
      fmt::format("SELECT {} FROM referral r JOIN contact c ON c.id = r.contact_id WHERE r.id = ?1",
                  referral_columns));
  s.bind(1, static_cast<int64_t>(id));
  if (!s.executeStep()) return std::nullopt;
  return read_referral(s);
}

void PgStore::each_referral(const ReferralFilter& f,
                            const std::function<void(const Referral&)>& fn) {
  std::string sql =
      fmt::format("SELECT {} FROM referral r JOIN contact c ON c.id = r.contact_id WHERE true",
                  referral_columns);
  if (f.direction) sql += " AND r.direction = ?1";
  if (f.status) sql += " AND r.status = ?2";
  if (f.open_only) {
    sql += fmt::format(" AND {}", pg::open_status);
  }
  if (f.contact_id) sql += " AND r.contact_id = ?3";
  if (f.since) sql += " AND r.referred_at >= ?4";
  if (f.until) sql += " AND r.referred_at < ?5";
  // Overdue as `report overdue` counts it: an acknowledgement or a report past its due time, or
  // an appointment passed with no outcome recorded.
  if (f.overdue_at) {
    sql +=
        " AND ((r.status = 'new' AND r.acknowledge_due < ?6)"
        " OR (r.status = 'seen' AND r.report_due < ?6)"
        " OR (r.status = 'scheduled' AND r.appointment_at < ?6))";
  }
  if (f.patient) sql += " AND r.patient = ?12";
  if (f.appointments_since) {
    sql +=
        " AND r.appointment_at IS NOT NULL AND (r.status = 'scheduled' OR r.appointment_at >= ?11)";
  }
  if (f.role) sql += " AND c.role = ?7";
  if (f.specialty) sql += " AND strpos(lower(c.specialty), lower(?8)) > 0";
  if (f.source) sql += " AND c.source = ?9";
  if (f.tag) {
    sql +=
        " AND EXISTS (SELECT 1 FROM contact_tag t WHERE t.contact_id = c.id"
        " AND lower(t.tag) = lower(?10))";
  }
  sql += " ORDER BY r.referred_at, r.id";
  auto s = prepare(sql);
  if (f.direction) s.bind(1, std::string(domain::to_string(*f.direction)));
  if (f.status) s.bind(2, std::string(domain::to_string(*f.status)));
  if (f.contact_id) put(s, 3, f.contact_id);
  if (f.since) put(s, 4, f.since);
  if (f.until) put(s, 5, f.until);
  if (f.overdue_at) put(s, 6, f.overdue_at);
  if (f.role) put(s, 7, f.role);
  if (f.specialty) put(s, 8, f.specialty);
  if (f.source) put(s, 9, f.source);
  if (f.tag) put(s, 10, f.tag);
  if (f.appointments_since) put(s, 11, f.appointments_since);
  if (f.patient) put(s, 12, f.patient);
  s.in_batches();
  while (s.executeStep()) fn(read_referral(s));
}

std::vector<std::int64_t> PgStore::open_referral_ids(int limit) {
  auto s = prepare(
      fmt::format("SELECT id FROM referral WHERE {} ORDER BY id DESC LIMIT ?1", pg::open_status));
  s.bind(1, limit);
  std::vector<std::int64_t> out;
  while (s.executeStep()) out.push_back(s.getColumn(0).getInt64());
  return out;
}

}  // namespace refnet::store
