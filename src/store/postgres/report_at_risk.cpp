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
  while (s.executeStep()) out.push_back(rows::read_referrer_volume(s));
  return out;
}

ContactWindows PgStore::contact_windows(Timestamp baseline_start, Timestamp recent_start,
                                        Timestamp end) {
  // A parallel pass over a year and more of referrals costs as much again as the statement's
  // other work (about 170 ms at a million referrals): one pass, each window's figures split by
  // FILTER, instead of three.
  auto s = prepare(R"sql(
    SELECT c.id, c.name, c.archived_at, k.*
    FROM (SELECT contact_id,
            count(*) FILTER (WHERE direction = 'in' AND referred_at < ?2),
            count(*) FILTER (WHERE direction = 'out' AND referred_at < ?2),
            max(referred_at) FILTER (WHERE direction = 'in' AND referred_at < ?2),
            max(referred_at) FILTER (WHERE direction = 'out' AND referred_at < ?2),
            count(*) FILTER (WHERE direction = 'in' AND referred_at >= ?2),
            count(*) FILTER (WHERE direction = 'out' AND referred_at >= ?2),
            max(referred_at) FILTER (WHERE direction = 'in' AND referred_at >= ?2),
            max(referred_at) FILTER (WHERE direction = 'out' AND referred_at >= ?2)
          FROM referral WHERE referred_at >= ?1 AND referred_at < ?3
          GROUP BY contact_id) k
    JOIN contact c ON c.id = k.contact_id)sql");
  put(s, 1, baseline_start);
  put(s, 2, recent_start);
  put(s, 3, end);
  ContactWindows out;
  // Columns 4-7 are the baseline window's, 8-11 the recent one's.
  while (s.executeStep()) {
    auto before = rows::read_reciprocity_row(s, 4);
    auto recent = rows::read_reciprocity_row(s, 8);
    if (before.referrals_in > 0 || recent.referrals_in > 0) {
      ReferrerVolume v;
      v.contact_id = before.contact_id;
      v.contact_name = before.contact_name;
      v.archived = optional_time(s.getColumn(2));
      v.baseline = before.referrals_in;
      v.recent = recent.referrals_in;
      v.last_referral = recent.last_in ? recent.last_in : before.last_in;
      out.volumes.push_back(std::move(v));
    }
    if (before.referrals_in + before.referrals_out > 0) out.before.push_back(std::move(before));
    if (recent.referrals_in + recent.referrals_out > 0) out.recent.push_back(std::move(recent));
  }
  return out;
}

}  // namespace refnet::store
