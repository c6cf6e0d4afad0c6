#include <fmt/format.h>

#include <string>

#include "binding.hpp"
#include "refnet/store/schema.hpp"
#include "refnet/store/store.hpp"
#include "report_window.hpp"

namespace refnet::store {

using namespace detail;

SummaryCounts Store::summary_counts(std::optional<Timestamp> since, Timestamp end,
                                    Timestamp as_of, Timestamp followup_horizon) {
  // Each figure is its own subquery so each reads the one index made for it (migration 2): the
  // period's counts are two ranges of referral_period (one per direction) and never read the table.
  // A loop counts as closed only when it closed after the referral was made (CMS50) and by as-of.
  // "Open" is the state at as-of: still open now, or ended (closed, declined, cancelled,
  // no-show) only after as-of.
  static const std::string sql = fmt::format(R"sql(
    SELECT p.n_in, p.n_out, p.n_closed,
      (SELECT count(*) FROM referral WHERE {0} AND referred_at <= ?3)
      + (SELECT count(*) FROM referral
         WHERE {1} AND coalesce(closed_at, declined_at, cancelled_at, no_show_at) > ?3
           AND referred_at <= ?3),
      (SELECT count(*) FROM contact
       WHERE created_at >= ?1 AND created_at < ?2 AND merged_into IS NULL),
      (SELECT count(*) FROM touchpoint
       WHERE done_at IS NULL AND satisfied_by IS NULL AND dismissed_at IS NULL AND due < ?3),
      (SELECT count(*) FROM touchpoint
       WHERE done_at IS NULL AND satisfied_by IS NULL AND dismissed_at IS NULL
         AND due >= ?3 AND due < ?4)
    FROM (SELECT coalesce(sum(direction = 'in'), 0) AS n_in,
                 coalesce(sum(direction = 'out'), 0) AS n_out,
                 coalesce(sum(closed_at >= referred_at AND closed_at <= ?3), 0) AS n_closed
          FROM referral
          WHERE direction IN ('in','out') AND referred_at >= ?1 AND referred_at < ?2) p)sql",
                                             open_status_condition, ended_status_condition);
  auto s = prepare(sql);
  put_since(s, 1, since);
  put(s, 2, end);
  put(s, 3, as_of);
  put(s, 4, followup_horizon);
  SummaryCounts counts;
  if (s.executeStep()) {
    counts.referrals_in = s.getColumn(0).getInt64();
    counts.referrals_out = s.getColumn(1).getInt64();
    counts.closed = s.getColumn(2).getInt64();
    counts.open = s.getColumn(3).getInt64();
    counts.new_contacts = s.getColumn(4).getInt64();
    counts.followups_past_due = s.getColumn(5).getInt64();
    counts.followups_due_soon = s.getColumn(6).getInt64();
  }
  return counts;
}

void Store::each_top_referrer(std::optional<Timestamp> since, Timestamp end, int limit,
                              const std::function<void(const TopReferrer&)>& fn) {
  // Contact by contact: a range of the narrow referral_contact_direction index each, whatever the
  // length of the period, and no sorting of referrals to group them.
  auto s = prepare(R"sql(
    WITH counted AS MATERIALIZED (
      SELECT c.id AS contact_id, c.name AS name,
        (SELECT count(*) FROM referral r WHERE r.contact_id = c.id AND r.direction = 'in'
           AND r.referred_at >= ?1 AND r.referred_at < ?2) AS n
      FROM contact c)
    SELECT contact_id, name, n FROM counted
    WHERE n > 0
    ORDER BY n DESC, name COLLATE NOCASE, contact_id
    LIMIT ?3)sql");
  put_since(s, 1, since);
  put(s, 2, end);
  s.bind(3, limit);
  while (s.executeStep()) {
    TopReferrer top;
    top.contact_id = s.getColumn(0).getInt64();
    top.contact_name = s.getColumn(1).getString();
    top.referrals = s.getColumn(2).getInt64();
    fn(top);
  }
}

}  // namespace refnet::store
