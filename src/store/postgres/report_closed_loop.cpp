// report closed-loop on PostgreSQL: referrals and closed loops per direction and contact.
#include "store/postgres/pg_store.hpp"
#include "store/postgres/query.hpp"
#include "store/postgres/report_window.hpp"

namespace refnet::store {

using namespace pg;

std::vector<ClosedLoopCount> PgStore::closed_loop_counts(std::optional<Timestamp> since,
                                                         Timestamp end, Timestamp as_of) {
  // The CMS50 rule: a loop is closed when the report came back after the referral was made. The
  // status machine never dates a closing before its referral, but an import can, so the rule is
  // checked here. Counted per direction and contact before the join; a referral whose contact is
  // missing keeps its count, with no name.
  auto s = prepare(R"sql(
    SELECT g.direction, g.contact_id, c.name, g.referrals, g.closed
    FROM (SELECT direction, contact_id, count(*) AS referrals,
            count(*) FILTER (WHERE status = 'closed' AND closed_at >= referred_at
                               AND closed_at <= ?3) AS closed
          FROM referral WHERE referred_at >= ?1 AND referred_at < ?2
          GROUP BY contact_id, direction) g
    LEFT JOIN contact c ON c.id = g.contact_id)sql");
  put_period(s, since, end);
  put(s, 3, as_of);
  std::vector<ClosedLoopCount> out;
  while (s.executeStep()) out.push_back(rows::read_closed_loop_count(s));
  return out;
}

}  // namespace refnet::store
