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
  while (s.executeStep()) {
    NetworkEdge edge;
    edge.direction = s.getColumn(0).getString();
    edge.contact_id = s.getColumn(1).getInt64();
    edge.contact_name = s.getColumn(2).getString();
    edge.role = s.getColumn(3).getString();
    edge.specialty = text(s.getColumn(4));
    edge.referrals = s.getColumn(5).getInt64();
    out.push_back(std::move(edge));
  }
  return out;
}

}  // namespace refnet::store
