#include "binding.hpp"
#include "store/store.hpp"

namespace refnet::store {

using namespace detail;

void Store::each_at_risk(const AtRiskQuery& query,
                         const std::function<void(const AtRiskReferrer&)>& fn) {
  // The expected recent count is the baseline count scaled by the windows' lengths, so a 90-day
  // window is judged against a quarter of a 365-day baseline's volume. Grades read the rounded
  // drop, the figure the report shows. A referrer with no referral in either window, or fewer
  // baseline referrals than the minimum (a new one), is not judged; a steady or growing one has
  // a drop below every threshold.
  //
  // Contact by contact: each count and the last date is a range of referral_contact_history, so
  // the inbound referrals of the windows are read once each and no row is sorted or grouped.
  auto s = prepare(R"sql(
    WITH counted AS MATERIALIZED (
      SELECT c.id AS contact_id,
        (SELECT count(*) FROM referral r WHERE r.contact_id = c.id AND r.direction = 'in'
           AND r.referred_at >= ?1 AND r.referred_at < ?2) AS baseline,
        (SELECT count(*) FROM referral r WHERE r.contact_id = c.id AND r.direction = 'in'
           AND r.referred_at >= ?2 AND r.referred_at < ?3) AS recent
      FROM contact c),
    volume AS (
      SELECT contact_id, baseline, recent,
        (SELECT max(r.referred_at) FROM referral r WHERE r.contact_id = k.contact_id
           AND r.direction = 'in' AND r.referred_at >= ?1 AND r.referred_at < ?3) AS last_referral
      FROM counted k WHERE baseline >= ?4),
    judged AS (
      SELECT contact_id, baseline, recent, last_referral,
             round(baseline * ?5, 1) AS expected,
             round(100.0 * (baseline * ?5 - recent) / (baseline * ?5), 1) AS drop_percent
      FROM volume),
    graded AS (
      SELECT CASE WHEN drop_percent >= ?6 THEN 'critical'
                  WHEN drop_percent >= ?7 THEN 'high'
                  WHEN drop_percent >= ?8 THEN 'medium' END AS grade, *
      FROM judged)
    SELECT g.grade, g.contact_id, c.name, g.baseline, g.recent, g.expected, g.drop_percent,
           g.last_referral
    FROM graded g JOIN contact c ON c.id = g.contact_id
    WHERE g.grade IS NOT NULL AND (c.archived_at IS NULL OR c.archived_at >= ?3)
    ORDER BY g.grade = 'critical' DESC, g.drop_percent DESC, g.expected DESC,
             c.name COLLATE NOCASE, c.id)sql");
  const auto recent_seconds = static_cast<double>((query.end - query.recent_start).count());
  const auto baseline_seconds =
      static_cast<double>((query.recent_start - query.baseline_start).count());
  put(s, 1, query.baseline_start);
  put(s, 2, query.recent_start);
  put(s, 3, query.end);
  s.bind(4, static_cast<int64_t>(query.min_baseline));
  s.bind(5, baseline_seconds > 0 ? recent_seconds / baseline_seconds : 0.0);
  s.bind(6, query.critical_drop);
  s.bind(7, query.high_drop);
  s.bind(8, query.medium_drop);
  while (s.executeStep()) {
    AtRiskReferrer row;
    row.grade = s.getColumn(0).getString();
    row.contact_id = s.getColumn(1).getInt64();
    row.contact_name = s.getColumn(2).getString();
    row.baseline = s.getColumn(3).getInt64();
    row.recent = s.getColumn(4).getInt64();
    row.expected = s.getColumn(5).getDouble();
    row.drop_percent = s.getColumn(6).getDouble();
    row.last_referral = optional_time(s.getColumn(7));
    fn(row);
  }
}

}  // namespace refnet::store
