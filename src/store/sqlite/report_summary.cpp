// report summary on SQLite: the period's single figures, off the kept day counts; top referrers.
#include <fmt/format.h>

#include <chrono>
#include <string>

#include "binding.hpp"
#include "report_window.hpp"
#include "store/sqlite/overdue.hpp"
#include "store/sqlite/schema.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace refnet::store {

using namespace detail;

namespace {

std::string summary_sql(bool at_present) {
  // The period's referrals each way, and the loops closed among them, are the kept counts of its
  // whole UTC days (referral_day, migration 7) plus the part days at either end off
  // referral_steps. A loop counts as closed only when it closed after the referral was made
  // (CMS50) and by as-of: the kept counts hold every closing, so the closings after as-of are
  // taken away, found on referral_ended (closed_at is set only with status closed, so the
  // coalesce is closed_at; the unary + keeps the planner off the referred_at index).
  // "Open" is the state at as-of: still open now, or ended (closed, declined, cancelled,
  // no-show) only after as-of. The planned follow-ups due soon are those open at as-of, as the
  // overdue list has them (the past-due ones are its count). Each other figure is its own subquery
  // on its own index.
  return fmt::format(R"sql(
    WITH edges AS (
      SELECT direction, closed_at >= referred_at AND closed_at <= ?3 AS closed FROM referral
      WHERE direction IN ('in','out') AND referred_at >= ?1 AND referred_at < ?5
      UNION ALL
      SELECT direction, closed_at >= referred_at AND closed_at <= ?3 FROM referral
      WHERE direction IN ('in','out') AND referred_at >= ?6 AND referred_at < ?2),
    days AS (
      SELECT direction, referrals, closed FROM referral_day
      WHERE day >= substr(?5, 1, 10) AND day < substr(?6, 1, 10))
    SELECT
      (SELECT coalesce(sum(referrals), 0) FROM days WHERE direction = 'in')
      + (SELECT count(*) FROM edges WHERE direction = 'in'),
      (SELECT coalesce(sum(referrals), 0) FROM days WHERE direction = 'out')
      + (SELECT count(*) FROM edges WHERE direction = 'out'),
      (SELECT coalesce(sum(closed), 0) FROM days) + (SELECT coalesce(sum(closed), 0) FROM edges)
      - (SELECT count(*) FROM referral
         WHERE {1} AND coalesce(closed_at, declined_at, cancelled_at, no_show_at) > ?3
           AND closed_at >= referred_at AND +referred_at >= ?5 AND +referred_at < ?6),
      (SELECT count(*) FROM referral WHERE {0} AND referred_at <= ?3)
      + (SELECT count(*) FROM referral
         WHERE {1} AND coalesce(closed_at, declined_at, cancelled_at, no_show_at) > ?3
           AND referred_at <= ?3),
      (SELECT count(*) FROM contact
       WHERE created_at >= ?1 AND created_at < ?2 AND (merged_into IS NULL OR archived_at > ?3)),
      ({2}))sql",
                     open_status_condition, ended_status_condition,
                     open_plans_sql(at_present, "?3", "t.due >= ?3 AND t.due < ?4"));
}

}  // namespace

SummaryCounts SqliteStore::summary_counts(std::optional<Timestamp> since, Timestamp end, AsOf as_of,
                                          Timestamp followup_horizon) {
  static const std::string now_sql = summary_sql(true);
  static const std::string then_sql = summary_sql(false);
  auto s = prepare(as_of.present ? now_sql : then_sql);
  put_since(s, 1, since);
  put(s, 2, end);
  put(s, 3, as_of.at);
  put(s, 4, followup_horizon);
  rows::put_whole_days(s, 5, since, end);
  return rows::read_summary_counts(s);
}

std::vector<TopReferrer> SqliteStore::referrer_counts(std::optional<Timestamp> since,
                                                      Timestamp end) {
  // Contact by contact: a range of the covering referral_contact_history index each, whatever the
  // length of the period, and no sorting of referrals to group them.
  auto s = prepare(R"sql(
    WITH counted AS MATERIALIZED (
      SELECT c.id AS contact_id, c.name AS name,
        (SELECT count(*) FROM referral r WHERE r.contact_id = c.id AND r.direction = 'in'
           AND r.referred_at >= ?1 AND r.referred_at < ?2) AS n
      FROM contact c)
    SELECT contact_id, name, n FROM counted WHERE n > 0)sql");
  put_since(s, 1, since);
  put(s, 2, end);
  std::vector<TopReferrer> out;
  while (s.executeStep()) {
    out.push_back(
        {s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt64()});
  }
  return out;
}

}  // namespace refnet::store
