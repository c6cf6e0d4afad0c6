// report summary on PostgreSQL: the period's single figures, off the kept day counts; top
// referrers.
#include <fmt/format.h>

#include <chrono>
#include <string>
#include <string_view>

#include "store/postgres/overdue.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/postgres/query.hpp"
#include "store/postgres/report_window.hpp"
#include "store/postgres/schema.hpp"  // open_status, ended_status

namespace refnet::store {

using namespace pg;

namespace {

std::string summary_sql(bool at_present) {
  // The period's referrals each way, and the loops closed among them, are the kept counts of its
  // whole UTC days (referral_day) plus the part days at either end, ?1 to ?5 and ?6 to ?2. A loop
  // counts as closed only when it closed after the referral was made (CMS50) and by as-of (?3):
  // the kept counts hold every closing, so the closings after as-of are taken away, found on
  // referral_ended (closed_at is set only with status closed, so the coalesce is closed_at).
  // "Open" is the state at as-of: still open now, or ended (closed, declined, cancelled,
  // no-show) only after as-of. The planned follow-ups due soon (to ?4) are those open at as-of,
  // as the overdue list has them (the past-due ones are its count).
  return fmt::format(R"sql(
    WITH edges AS (
      SELECT count(*) FILTER (WHERE direction = 'in') AS referrals_in,
             count(*) FILTER (WHERE direction = 'out') AS referrals_out,
             count(*) FILTER (WHERE closed_at >= referred_at AND closed_at <= ?3) AS closed
      FROM referral
      WHERE (referred_at >= ?1 AND referred_at < ?5) OR (referred_at >= ?6 AND referred_at < ?2)),
    days AS (
      SELECT coalesce(sum(referrals) FILTER (WHERE direction = 'in'), 0)::bigint AS referrals_in,
             coalesce(sum(referrals) FILTER (WHERE direction = 'out'), 0)::bigint AS referrals_out,
             coalesce(sum(closed), 0)::bigint AS closed
      FROM referral_day WHERE day >= substr(?5, 1, 10) AND day < substr(?6, 1, 10))
    SELECT
      days.referrals_in + edges.referrals_in,
      days.referrals_out + edges.referrals_out,
      days.closed + edges.closed
      - (SELECT count(*) FROM referral
         WHERE {1} AND coalesce(closed_at, declined_at, cancelled_at, no_show_at) > ?3
           AND closed_at >= referred_at AND referred_at >= ?5 AND referred_at < ?6),
      (SELECT count(*) FROM referral WHERE {0} AND referred_at <= ?3)
      + (SELECT count(*) FROM referral
         WHERE {1} AND coalesce(closed_at, declined_at, cancelled_at, no_show_at) > ?3
           AND referred_at <= ?3),
      (SELECT count(*) FROM contact
       WHERE created_at >= ?1 AND created_at < ?2 AND (merged_into IS NULL OR archived_at > ?3)),
      ({2})
    FROM edges, days)sql",
                     pg::open_status, pg::ended_status,
                     open_plans_sql(at_present, "?3", "t.due >= ?3 AND t.due < ?4"));
}

}  // namespace

SummaryCounts PgStore::summary_counts(std::optional<Timestamp> since, Timestamp end, AsOf as_of,
                                      Timestamp followup_horizon) {
  static const std::string now_sql = summary_sql(true);
  static const std::string then_sql = summary_sql(false);
  auto s = prepare(as_of.present ? now_sql : then_sql);
  put_period(s, since, end);
  put(s, 3, as_of.at);
  put(s, 4, followup_horizon);
  rows::put_whole_days(s, 5, since, end);
  return rows::read_summary_counts(s);
}

std::vector<TopReferrer> PgStore::referrer_counts(std::optional<Timestamp> since, Timestamp end) {
  static const std::string sql = fmt::format(R"sql(
    SELECT c.id, c.name, k.n FROM ({}) k JOIN contact c ON c.id = k.contact_id)sql",
                                             inbound_per_contact);
  auto s = prepare(sql);
  put_period(s, since, end);
  std::vector<TopReferrer> out;
  while (s.executeStep()) {
    out.push_back(
        {s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt64()});
  }
  return out;
}

}  // namespace refnet::store
