// report network on PostgreSQL: referral counts per direction and contact, with role and
// specialty.
#include "store/postgres/pg_store.hpp"
#include "store/postgres/query.hpp"
#include "store/postgres/report_window.hpp"

namespace refnet::store {

using namespace pg;

std::vector<NetworkEdge> PgStore::network_edges(std::optional<Timestamp> since, Timestamp end) {
  // Grouped before the join, so each contact is read once per edge, not once per referral.
  auto s = prepare(R"sql(
    SELECT e.direction, e.contact_id, c.name, c.role, c.specialty, e.referrals
    FROM (SELECT direction, contact_id, count(*) AS referrals
          FROM referral WHERE referred_at >= ?1 AND referred_at < ?2
          GROUP BY contact_id, direction) e
    JOIN contact c ON c.id = e.contact_id)sql");
  put_period(s, since, end);
  std::vector<NetworkEdge> out;
  while (s.executeStep()) out.push_back(rows::read_network_edge(s));
  return out;
}

}  // namespace refnet::store
