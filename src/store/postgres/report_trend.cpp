// report trend on PostgreSQL: referrals in and out per bucket, the bounds passed as one array.
#include <string>

#include "store/postgres/pg_store.hpp"
#include "store/postgres/query.hpp"

namespace refnet::store {

using namespace pg;

std::vector<TrendCounts> PgStore::referral_counts(const std::vector<Timestamp>& bounds) {
  // The caller draws the buckets (local calendar months, ISO weeks, quarters) and passes their
  // bounds as one array, so one statement serves any number of buckets; every bucket yields a
  // row, zero or not. Each count is a range of the referral_steps index.
  auto s = prepare(R"sql(
    WITH bounds AS (
      SELECT i, start, lead(start) OVER (ORDER BY i) AS stop
      FROM unnest(?1::text[]) WITH ORDINALITY AS b(start, i))
    SELECT
      (SELECT count(*) FROM referral r
       WHERE r.direction = 'in' AND r.referred_at >= b.start AND r.referred_at < b.stop),
      (SELECT count(*) FROM referral r
       WHERE r.direction = 'out' AND r.referred_at >= b.start AND r.referred_at < b.stop)
    FROM bounds b WHERE b.stop IS NOT NULL ORDER BY b.i)sql");
  std::string array = "{";
  for (const Timestamp bound : bounds) {
    if (array.size() > 1) array += ',';
    array += domain::format_utc(bound);  // digits, '-', ':', 'T' and 'Z': nothing to quote
  }
  array += '}';
  s.bind(1, array);
  std::vector<TrendCounts> out;
  while (s.executeStep()) {
    out.push_back({s.getColumn(0).getInt64(), s.getColumn(1).getInt64()});
  }
  return out;
}

}  // namespace refnet::store
