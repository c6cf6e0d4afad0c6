#include <algorithm>
#include <vector>

#include "binding.hpp"
#include "collate.hpp"
#include "parallel.hpp"
#include "report_window.hpp"
#include "store/store.hpp"

namespace refnet::store {

using namespace detail;

void Store::each_network_edge(std::optional<Timestamp> since, Timestamp end,
                              const std::function<void(const NetworkEdge&)>& fn) {
  // Grouped before the join, so each contact is read once per edge, not once per referral. The
  // unary + keeps the planner on the covering contact-first index (referral_contact_history), one
  // pass and no table reads, rather than the referred_at index and a table read per referral.
  // Ranges of contact ids are counted on two connections at once, and the edges put in the order
  // one ORDER BY gave them before.
  auto edges = rows_by_id_range<NetworkEdge>(
      *db_, busy_timeout_, referral_contact_bounds, R"sql(
        SELECT e.direction, e.contact_id, c.name, c.role, c.specialty, e.referrals
        FROM (SELECT direction, contact_id, count(*) AS referrals
              FROM referral
              WHERE contact_id BETWEEN ?3 AND ?4 AND +referred_at >= ?1 AND +referred_at < ?2
              GROUP BY contact_id, direction) e
        JOIN contact c ON c.id = e.contact_id)sql",
      contact_slices,
      [&](Query& s, std::int64_t low, std::int64_t high) {
        put_period_and_ids(s, since, end, low, high);
      },
      [](Query& s) {
        NetworkEdge edge;
        edge.direction = s.getColumn(0).getString();
        edge.contact_id = s.getColumn(1).getInt64();
        edge.contact_name = s.getColumn(2).getString();
        edge.role = s.getColumn(3).getString();
        edge.specialty = text(s.getColumn(4));
        edge.referrals = s.getColumn(5).getInt64();
        return edge;
      });

  // Most referrals first, then by name as COLLATE NOCASE orders it, by id, in before out.
  std::sort(edges.begin(), edges.end(), [](const NetworkEdge& a, const NetworkEdge& b) {
    if (a.referrals != b.referrals) return a.referrals > b.referrals;
    if (const int by_name = nocase_compare(a.contact_name, b.contact_name); by_name != 0) {
      return by_name < 0;
    }
    if (a.contact_id != b.contact_id) return a.contact_id < b.contact_id;
    return a.direction < b.direction;
  });
  for (const auto& edge : edges) fn(edge);
}

}  // namespace refnet::store
