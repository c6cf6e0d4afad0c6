// report network on SQLite: referral counts per direction and contact, with role and specialty.
#include <algorithm>
#include <vector>

#include "binding.hpp"
#include "parallel.hpp"
#include "report_window.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace refnet::store {

using namespace detail;

std::vector<NetworkEdge> SqliteStore::network_edges(std::optional<Timestamp> since, Timestamp end) {
  // Grouped before the join, so each contact is read once per edge, not once per referral. The
  // unary + keeps the planner on the covering contact-first index (referral_contact_history), one
  // pass and no table reads, rather than the referred_at index and a table read per referral.
  // Ranges of contact ids are counted on two connections at once.
  return rows_by_id_range<NetworkEdge>(
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
      [](Query& s) { return rows::read_network_edge(s); });
}

}  // namespace refnet::store
