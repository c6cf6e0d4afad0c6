// report digest on SQLite: who referred in the period, and whether anyone touched base since.
#include "binding.hpp"
#include "report_window.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace refnet::store {

using namespace detail;

std::vector<ReferrerTouch> SqliteStore::referrer_touches(std::optional<Timestamp> since,
                                                         Timestamp end, Timestamp as_of) {
  // Contact by contact, as referrer_counts: a range of referral_contact_history each for the
  // count and the last referral, and a seek to the end of the contact's touchpoint_contact range
  // for the last touchpoint done by as-of.
  auto s = prepare(R"sql(
    WITH counted AS MATERIALIZED (
      SELECT c.id AS contact_id, c.name AS name, c.archived_at AS archived_at,
        (SELECT count(*) FROM referral r WHERE r.contact_id = c.id AND r.direction = 'in'
           AND r.referred_at >= ?1 AND r.referred_at < ?2) AS n
      FROM contact c)
    SELECT contact_id, name, archived_at, n,
      (SELECT max(r.referred_at) FROM referral r WHERE r.contact_id = k.contact_id
         AND r.direction = 'in' AND r.referred_at >= ?1 AND r.referred_at < ?2),
      (SELECT max(t.done_at) FROM touchpoint t WHERE t.contact_id = k.contact_id
         AND t.done_at <= ?3)
    FROM counted k WHERE n > 0)sql");
  put_since(s, 1, since);
  put(s, 2, end);
  put(s, 3, as_of);
  std::vector<ReferrerTouch> out;
  while (s.executeStep()) out.push_back(rows::read_referrer_touch(s));
  return out;
}

}  // namespace refnet::store
