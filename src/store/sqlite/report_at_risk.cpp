// report at-risk on SQLite: each referrer's inbound referrals in the baseline and recent windows.
#include "binding.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace refnet::store {

using namespace detail;

std::vector<ReferrerVolume> SqliteStore::referrer_volumes(Timestamp baseline_start,
                                                          Timestamp recent_start, Timestamp end) {
  // Contact by contact: each count and the last date is a range of referral_contact_history, so
  // the inbound referrals of the windows are read once each and no row is sorted or grouped.
  auto s = prepare(R"sql(
    WITH counted AS MATERIALIZED (
      SELECT c.id AS contact_id, c.name, c.archived_at,
        (SELECT count(*) FROM referral r WHERE r.contact_id = c.id AND r.direction = 'in'
           AND r.referred_at >= ?1 AND r.referred_at < ?2) AS baseline,
        (SELECT count(*) FROM referral r WHERE r.contact_id = c.id AND r.direction = 'in'
           AND r.referred_at >= ?2 AND r.referred_at < ?3) AS recent
      FROM contact c)
    SELECT contact_id, name, archived_at, baseline, recent,
      (SELECT max(r.referred_at) FROM referral r WHERE r.contact_id = k.contact_id
         AND r.direction = 'in' AND r.referred_at >= ?1 AND r.referred_at < ?3)
    FROM counted k WHERE baseline + recent > 0)sql");
  put(s, 1, baseline_start);
  put(s, 2, recent_start);
  put(s, 3, end);
  std::vector<ReferrerVolume> out;
  while (s.executeStep()) out.push_back(rows::read_referrer_volume(s));
  return out;
}

}  // namespace refnet::store
