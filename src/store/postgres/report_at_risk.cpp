// report at-risk on PostgreSQL: each referrer's inbound referrals in the baseline and recent
// windows.
#include "store/postgres/pg_store.hpp"
#include "store/postgres/query.hpp"

namespace refnet::store {

using namespace pg;

std::vector<ReferrerVolume> PgStore::referrer_volumes(Timestamp baseline_start,
                                                      Timestamp recent_start, Timestamp end) {
  // Both windows' inbound referrals grouped per contact in one pass, before the join.
  auto s = prepare(R"sql(
    SELECT c.id, c.name, c.archived_at, k.baseline, k.recent, k.last
    FROM (SELECT contact_id,
            count(*) FILTER (WHERE referred_at < ?2) AS baseline,
            count(*) FILTER (WHERE referred_at >= ?2) AS recent,
            max(referred_at) AS last
          FROM referral WHERE direction = 'in' AND referred_at >= ?1 AND referred_at < ?3
          GROUP BY contact_id) k
    JOIN contact c ON c.id = k.contact_id)sql");
  put(s, 1, baseline_start);
  put(s, 2, recent_start);
  put(s, 3, end);
  std::vector<ReferrerVolume> out;
  while (s.executeStep()) {
    ReferrerVolume row;
    row.contact_id = s.getColumn(0).getInt64();
    row.contact_name = s.getColumn(1).getString();
    row.archived = optional_time(s.getColumn(2));
    row.baseline = s.getColumn(3).getInt64();
    row.recent = s.getColumn(4).getInt64();
    row.last_referral = optional_time(s.getColumn(5));
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace refnet::store
