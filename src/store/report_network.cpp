#include "binding.hpp"
#include "refnet/store/store.hpp"
#include "report_window.hpp"

namespace refnet::store {

using namespace detail;

void Store::each_network_edge(std::optional<Timestamp> since, Timestamp end,
                              const std::function<void(const NetworkEdge&)>& fn) {
  // Grouped before the join, so each contact is read once per edge, not once per referral. The
  // unary + keeps the planner on a covering (direction, contact) index, one pass and no table
  // reads, rather than the referred_at index and a table read per referral.
  auto s = prepare(R"sql(
    SELECT e.direction, e.contact_id, c.name, c.role, c.specialty, e.referrals
    FROM (SELECT direction, contact_id, count(*) AS referrals
          FROM referral WHERE +referred_at >= ?1 AND +referred_at < ?2
          GROUP BY direction, contact_id) e
    JOIN contact c ON c.id = e.contact_id
    ORDER BY e.referrals DESC, c.name COLLATE NOCASE, c.id, e.direction)sql");
  put_since(s, 1, since);
  put(s, 2, end);
  while (s.executeStep()) {
    NetworkEdge edge;
    edge.direction = s.getColumn(0).getString();
    edge.contact_id = s.getColumn(1).getInt64();
    edge.contact_name = s.getColumn(2).getString();
    edge.role = s.getColumn(3).getString();
    edge.specialty = text(s.getColumn(4));
    edge.referrals = s.getColumn(5).getInt64();
    fn(edge);
  }
}

}  // namespace refnet::store
