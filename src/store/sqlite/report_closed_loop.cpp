// report closed-loop on SQLite: referrals and closed loops per direction and contact.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "binding.hpp"
#include "parallel.hpp"
#include "report_window.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace refnet::store {

using namespace detail;

std::vector<ClosedLoopCount> SqliteStore::closed_loop_counts(std::optional<Timestamp> since,
                                                             Timestamp end, Timestamp as_of) {
  // The CMS50 rule: a loop is closed when the report came back after the referral was made. The
  // status machine never dates a closing before its referral, but an import can, so the rule is
  // checked here. Counted per direction and contact; a referral whose contact is missing keeps
  // its count, with no name.
  //
  // Each contact's referrals lie together in referral_contact_history, which holds every column
  // the count needs: ranges of contact ids are counted on two connections at once (the whole
  // index in one pass took 0.44 s of a 0.5 s budget at a million referrals). The unary + keeps
  // the planner on that index.
  return rows_by_id_range<ClosedLoopCount>(
      *db_, busy_timeout_, referral_contact_bounds, R"sql(
        SELECT g.direction, g.contact_id, c.name, g.referrals, g.closed
        FROM (SELECT direction, contact_id, count(*) AS referrals,
                     sum(status = 'closed' AND closed_at >= referred_at AND closed_at <= ?5)
                       AS closed
              FROM referral
              WHERE contact_id BETWEEN ?3 AND ?4 AND +referred_at >= ?1 AND +referred_at < ?2
              GROUP BY contact_id, direction) g
        LEFT JOIN contact c ON c.id = g.contact_id)sql",
      contact_slices,
      [&](Query& s, std::int64_t low, std::int64_t high) {
        put_period_and_ids(s, since, end, low, high);
        put(s, 5, as_of);
      },
      [](Query& s) { return rows::read_closed_loop_count(s); });
}

}  // namespace refnet::store
