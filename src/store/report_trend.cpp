#include <string>

#include "binding.hpp"
#include "store/store.hpp"

namespace refnet::store {

using namespace detail;

void Store::each_trend_bucket(const std::vector<Timestamp>& bounds,
                              const std::function<void(const TrendCounts&)>& fn) {
  // The caller draws the buckets (local calendar months, ISO weeks, quarters) and passes their
  // bounds as one JSON array, so one prepared statement serves any number of buckets; every
  // bucket yields a row, zero or not. Each count is a range of the covering referral_steps index;
  // MATERIALIZED keeps SQLite from counting twice when the window function reads the counts.
  auto s = prepare(R"sql(
    WITH bounds AS (
      SELECT key AS i, value AS start, lead(value) OVER (ORDER BY key) AS stop
      FROM json_each(?1)),
    counts AS MATERIALIZED (
      SELECT b.i,
        (SELECT count(*) FROM referral r
         WHERE r.direction = 'in' AND r.referred_at >= b.start AND r.referred_at < b.stop) AS n_in,
        (SELECT count(*) FROM referral r
         WHERE r.direction = 'out' AND r.referred_at >= b.start AND r.referred_at < b.stop) AS n_out
      FROM bounds b WHERE b.stop IS NOT NULL)
    SELECT i, n_in, n_out, max(n_in + n_out) OVER () FROM counts ORDER BY i)sql");
  std::string array = "[";
  for (const Timestamp bound : bounds) {
    if (array.size() > 1) array += ',';
    array += '"' + domain::format_utc(bound) + '"';
  }
  array += ']';
  s.bind(1, array);
  while (s.executeStep()) {
    TrendCounts counts;
    counts.bucket = s.getColumn(0).getInt64();
    counts.referrals_in = s.getColumn(1).getInt64();
    counts.referrals_out = s.getColumn(2).getInt64();
    counts.max_total = s.getColumn(3).getInt64();
    fn(counts);
  }
}

}  // namespace refnet::store
