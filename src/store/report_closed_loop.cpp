#include "binding.hpp"
#include "refnet/store/store.hpp"
#include "report_window.hpp"

namespace refnet::store {

using namespace detail;

void Store::each_closed_loop(std::optional<Timestamp> since, Timestamp end, Timestamp as_of,
                             const std::function<void(const ClosedLoopCount&)>& fn) {
  // The CMS50 rule: a loop is closed when the report came back after the referral was made. The
  // status machine never dates a closing before its referral, but an import can, so the rule is
  // checked here. Counted per direction and contact once; the overall rows sum those. The unary
  // + keeps the planner off the referred_at index: a long period through it means a table read
  // per referral, while one pass over referral_contact_history reads no table row at all.
  auto s = prepare(R"sql(
    WITH per_contact AS MATERIALIZED (
      SELECT direction, contact_id, count(*) AS referrals,
             sum(status = 'closed' AND closed_at >= referred_at AND closed_at <= ?3) AS closed
      FROM referral
      WHERE +referred_at >= ?1 AND +referred_at < ?2
      GROUP BY direction, contact_id)
    SELECT scope, direction, contact_id, name, referrals, closed,
           round(100.0 * closed / referrals, 1) AS rate
    FROM (
      SELECT 'overall' AS scope, 0 AS scope_order, direction, NULL AS contact_id, NULL AS name,
             sum(referrals) AS referrals, sum(closed) AS closed
      FROM per_contact GROUP BY direction
      UNION ALL
      SELECT 'contact', 1, p.direction, p.contact_id, c.name, p.referrals, p.closed
      FROM per_contact p JOIN contact c ON c.id = p.contact_id)
    ORDER BY scope_order, direction = 'in', referrals DESC, name COLLATE NOCASE, contact_id)sql");
  put_since(s, 1, since);
  put(s, 2, end);
  put(s, 3, as_of);
  while (s.executeStep()) {
    ClosedLoopCount row;
    row.scope = s.getColumn(0).getString();
    row.direction = s.getColumn(1).getString();
    row.contact_id = integer(s.getColumn(2));
    row.contact_name = text(s.getColumn(3));
    row.referrals = s.getColumn(4).getInt64();
    row.closed = s.getColumn(5).getInt64();
    row.rate_percent = s.getColumn(6).getDouble();
    fn(row);
  }
}

}  // namespace refnet::store
