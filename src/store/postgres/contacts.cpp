// Contacts on PostgreSQL: read by id, NPI, name part or filter; merging; reciprocity; name
// completion.
#include <fmt/format.h>

#include "store/postgres/pg_store.hpp"
#include "store/postgres/query.hpp"
#include "store/rows.hpp"

namespace refnet::store {

using rows::read_contact;

using namespace pg;

namespace {

constexpr const char* contact_columns = R"sql(
  c.id, c.name, c.role, c.specialty, c.practice, c.npi, c.phone, c.email, c.city, c.source,
  c.event_id, e.name, c.note, c.created_at, c.archived_at, c.merged_into, c.fax,
  (SELECT string_agg(tag, chr(31) ORDER BY tag) FROM contact_tag t WHERE t.contact_id = c.id)
)sql";

}  // namespace

void PgStore::merge_contacts(std::int64_t keep, std::int64_t dup, Timestamp at) {
  const auto k = static_cast<int64_t>(keep);
  const auto d = static_cast<int64_t>(dup);
  // Fill keep's empty fields from the duplicate; keep's own values win. The duplicate's NPI
  // moves only after the duplicate is archived, so the unique index never sees two holders.
  auto fill = prepare(R"sql(
    UPDATE contact SET
      specialty = coalesce(specialty, (SELECT specialty FROM contact WHERE id = ?2)),
      practice  = coalesce(practice,  (SELECT practice  FROM contact WHERE id = ?2)),
      phone     = coalesce(phone,     (SELECT phone     FROM contact WHERE id = ?2)),
      fax       = coalesce(fax,       (SELECT fax       FROM contact WHERE id = ?2)),
      email     = coalesce(email,     (SELECT email     FROM contact WHERE id = ?2)),
      city      = coalesce(city,      (SELECT city      FROM contact WHERE id = ?2)),
      source    = coalesce(source,    (SELECT source    FROM contact WHERE id = ?2)),
      event_id  = coalesce(event_id,  (SELECT event_id  FROM contact WHERE id = ?2)),
      note      = coalesce(note,      (SELECT note      FROM contact WHERE id = ?2))
    WHERE id = ?1)sql");
  fill.bind(1, k);
  fill.bind(2, d);
  fill.exec();
  for (const char* sql : {
           "UPDATE referral SET contact_id = ?1 WHERE contact_id = ?2",
           "UPDATE touchpoint SET contact_id = ?1 WHERE contact_id = ?2",
           "INSERT INTO event_contact (event_id, contact_id) "
           "SELECT event_id, ?1 FROM event_contact WHERE contact_id = ?2 ON CONFLICT DO NOTHING",
           "DELETE FROM event_contact WHERE contact_id = ?2",
           // Tags compare case-insensitively: keep's "Spanish" absorbs dup's "spanish".
           "INSERT INTO contact_tag (contact_id, tag) "
           "SELECT ?1, d.tag FROM contact_tag d WHERE d.contact_id = ?2 AND NOT EXISTS "
           "(SELECT 1 FROM contact_tag k WHERE k.contact_id = ?1 AND lower(k.tag) = lower(d.tag)) "
           "ON CONFLICT DO NOTHING",
       }) {
    auto s = prepare(sql);
    s.bind(1, k);
    s.bind(2, d);
    s.exec();
  }
  auto archive = prepare(R"sql(
    UPDATE contact SET archived_at = coalesce(archived_at, ?3), merged_into = ?1 WHERE id = ?2)sql");
  archive.bind(1, k);
  archive.bind(2, d);
  put(archive, 3, at);
  archive.exec();
  auto npi = prepare(R"sql(
    UPDATE contact SET npi = (SELECT npi FROM contact WHERE id = ?2)
    WHERE id = ?1 AND npi IS NULL
      AND NOT EXISTS (SELECT 1 FROM contact o WHERE o.archived_at IS NULL AND o.id <> ?1
                        AND o.npi = (SELECT npi FROM contact WHERE id = ?2)))sql");
  npi.bind(1, k);
  npi.bind(2, d);
  npi.exec();
}

std::optional<Contact> PgStore::contact(std::int64_t id) {
  auto s = prepare(
      fmt::format("SELECT {} FROM contact c LEFT JOIN event e ON e.id = c.event_id WHERE c.id = ?1",
                  contact_columns));
  s.bind(1, static_cast<int64_t>(id));
  if (!s.executeStep()) return std::nullopt;
  return read_contact(s);
}

std::optional<std::int64_t> PgStore::contact_id_by_npi(std::string_view npi) {
  auto s = prepare(R"sql(
    SELECT id FROM contact WHERE npi = ?1
    ORDER BY archived_at IS NOT NULL, archived_at DESC LIMIT 1)sql");
  s.bind(1, std::string(npi));
  if (!s.executeStep()) return std::nullopt;
  return s.getColumn(0).getInt64();
}

std::optional<std::int64_t> PgStore::active_contact_with_npi(std::string_view npi,
                                                             std::optional<std::int64_t> except) {
  auto s = prepare(R"sql(
    SELECT id FROM contact WHERE npi = ?1 AND archived_at IS NULL AND id IS DISTINCT FROM ?2 LIMIT 1)sql");
  s.bind(1, std::string(npi));
  put(s, 2, except);
  if (!s.executeStep()) return std::nullopt;
  return s.getColumn(0).getInt64();
}

std::vector<domain::ContactCandidate> PgStore::contacts_matching(std::string_view part) {
  return rows::contacts_matching([this](std::string_view sql) { return prepare(sql); }, part);
}

void PgStore::each_contact(const ContactFilter& f, const std::function<void(const Contact&)>& fn) {
  std::string sql =
      fmt::format("SELECT {} FROM contact c LEFT JOIN event e ON e.id = c.event_id WHERE true",
                  contact_columns);
  // Each filter adds a clause with a numbered parameter; values are bound below, never spliced.
  if (!f.include_archived) sql += " AND c.archived_at IS NULL";
  if (f.role) sql += " AND c.role = ?1";
  if (f.specialty) sql += " AND strpos(lower(c.specialty), lower(?2)) > 0";
  if (f.source) sql += " AND c.source = ?3";
  if (f.tag) {
    sql +=
        " AND EXISTS (SELECT 1 FROM contact_tag t WHERE t.contact_id = c.id"
        " AND lower(t.tag) = lower(?4))";
  }
  if (f.contact_id) sql += " AND c.id = ?5";
  if (f.since) sql += " AND c.created_at >= ?6";
  if (f.until) sql += " AND c.created_at < ?7";
  sql += " ORDER BY lower(c.name), c.id";
  auto s = prepare(sql);
  if (f.role) put(s, 1, f.role);
  if (f.specialty) put(s, 2, f.specialty);
  if (f.source) put(s, 3, f.source);
  if (f.tag) put(s, 4, f.tag);
  if (f.contact_id) put(s, 5, f.contact_id);
  if (f.since) put(s, 6, f.since);
  if (f.until) put(s, 7, f.until);
  s.in_batches();
  while (s.executeStep()) fn(read_contact(s));
}

Reciprocity PgStore::reciprocity(std::int64_t contact_id) {
  auto s = prepare(R"sql(
    SELECT
      (SELECT count(*) FROM referral WHERE contact_id = ?1 AND direction = 'in'),
      (SELECT count(*) FROM referral WHERE contact_id = ?1 AND direction = 'out'),
      (SELECT max(referred_at) FROM referral WHERE contact_id = ?1 AND direction = 'in'),
      (SELECT max(referred_at) FROM referral WHERE contact_id = ?1 AND direction = 'out'),
      (SELECT max(done_at) FROM touchpoint WHERE contact_id = ?1))sql");
  s.bind(1, static_cast<int64_t>(contact_id));
  s.executeStep();
  Reciprocity r;
  r.referrals_in = s.getColumn(0).getInt64();
  r.referrals_out = s.getColumn(1).getInt64();
  r.last_in = optional_time(s.getColumn(2));
  r.last_out = optional_time(s.getColumn(3));
  r.last_touch = optional_time(s.getColumn(4));
  return r;
}

std::vector<std::string> PgStore::contact_names(std::string_view prefix, int limit) {
  auto s = prepare(R"sql(
    SELECT name FROM contact WHERE archived_at IS NULL AND strpos(lower(name), lower(?1)) > 0
    ORDER BY strpos(lower(name), lower(?1)) <> 1, lower(name) LIMIT ?2)sql");
  s.bind(1, std::string(prefix));
  s.bind(2, limit);
  std::vector<std::string> out;
  while (s.executeStep()) out.push_back(s.getColumn(0).getString());
  return out;
}

}  // namespace refnet::store
