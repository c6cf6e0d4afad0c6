// report trend on SQLite: referrals in and out per bucket, the bounds passed as one JSON array.
#include <string>

#include "binding.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace refnet::store {

using namespace detail;

std::vector<TrendCounts> SqliteStore::referral_counts(const std::vector<Timestamp>& bounds) {
  // The caller draws the buckets (local calendar months, ISO weeks, quarters) and passes their
  // bounds as one JSON array, so one prepared statement serves any number of buckets; every
  // bucket yields a row, zero or not. Each count is a range of the covering referral_steps index.
  auto s = prepare(R"sql(
    WITH bounds AS (
      SELECT key AS i, value AS start, lead(value) OVER (ORDER BY key) AS stop
      FROM json_each(?1))
    SELECT
      (SELECT count(*) FROM referral r
       WHERE r.direction = 'in' AND r.referred_at >= b.start AND r.referred_at < b.stop),
      (SELECT count(*) FROM referral r
       WHERE r.direction = 'out' AND r.referred_at >= b.start AND r.referred_at < b.stop)
    FROM bounds b WHERE b.stop IS NOT NULL ORDER BY b.i)sql");
  std::string array = "[";
  for (const Timestamp bound : bounds) {
    if (array.size() > 1) array += ',';
    array += '"' + domain::format_utc(bound) + '"';
  }
  array += ']';
  s.bind(1, array);
  std::vector<TrendCounts> out;
  while (s.executeStep()) {
    out.push_back({s.getColumn(0).getInt64(), s.getColumn(1).getInt64()});
  }
  return out;
}

}  // namespace refnet::store
