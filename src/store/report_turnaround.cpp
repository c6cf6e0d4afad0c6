#include <fmt/format.h>

#include <array>
#include <map>
#include <string_view>
#include <tuple>

#include "binding.hpp"
#include "refnet/domain/vocabulary.hpp"
#include "refnet/store/store.hpp"

namespace refnet::store {

using namespace detail;

// How the turnaround report reads a million referrals without sorting them. Each step after a
// referral has a <step>_secs column (seconds from the referral, NULL until it happens) and a
// partial index ordered (direction, urgency, <step>_secs) (schema version 2), so:
//  - a group's size is a range count on that index;
//  - its k-th smallest value is reached by walking the index slice with OFFSET k - 1, and the
//    slices of the three urgencies are merged, not sorted, for the "all" row.
// A percentile is the nearest rank: of n values in ascending order, the p-th percentile is the
// value at rank ceil(p * n / 100), always an observed value, never an interpolation. The median
// (rank ceil(n / 2)) is the lower middle value when n is even. The counts statement turns each
// rank into the OFFSET that reaches it: from the smallest value for the median, from the largest
// for the 90th percentile, so that walk is a tenth of the slice.

namespace {

constexpr std::array<std::string_view, 4> steps{"acknowledged", "scheduled", "seen", "closed"};
constexpr std::array<std::string_view, 2> directions{"in", "out"};

// Which conditions a statement checks. A step by as-of implies a referral by as-of, so the end
// of the period (?2) is checked only when --until ends it earlier; and when no step in the
// database is later than as-of (the usual "as of now"), as-of is not checked either. Every check
// left out is one comparison less for each of a million index entries.
struct Checks {
  bool since = false;
  bool until = false;
  bool as_of = false;
};

// What every statement of a step filters on: referrals made in [?1, ?2) whose step happened, not
// before the referral, by ?3 (all Unix seconds). The partial index's own condition comes first,
// so the index serves.
std::string step_filter(std::string_view step, Checks checks) {
  std::string filter = fmt::format("{}_secs >= 0", step);
  if (checks.as_of) filter += fmt::format(" AND referred_epoch + {}_secs <= ?3", step);
  if (checks.since) filter += " AND referred_epoch >= ?1";
  if (checks.until) filter += " AND referred_epoch < ?2";
  return filter;
}

// Per direction and urgency, then per direction over every urgency: the size and the offsets of
// the median and of the 90th percentile (see above).
std::string counts_sql(std::string_view step, Checks checks) {
  std::string groups;
  for (const auto direction : directions) {
    for (const auto urgency : domain::urgencies) {
      groups += fmt::format("{}('{}', '{}')", groups.empty() ? "" : ", ", direction, urgency);
    }
  }
  return fmt::format(R"sql(
    WITH g(direction, urgency) AS (VALUES {0}),
    n AS MATERIALIZED (
      SELECT direction, urgency,
             (SELECT count(*) FROM referral r
              WHERE r.direction = g.direction AND r.urgency = g.urgency AND {1}) AS n
      FROM g),
    sizes AS (
      SELECT direction, urgency, n FROM n
      UNION ALL
      SELECT direction, 'all', sum(n) FROM n GROUP BY direction)
    SELECT direction, urgency, n, (n + 1) / 2 - 1 AS median_offset,
           n - (9 * n + 9) / 10 AS p90_offset_from_top
    FROM sizes WHERE n > 0)sql",
                     groups, step_filter(step, checks));
}

// The value at OFFSET ?6 of one direction (?4) and urgency (?5), read along the step's index.
std::string pick_sql(std::string_view step, Checks checks, bool from_top) {
  return fmt::format(R"sql(
    SELECT round({0}_secs / 3600.0, 1) FROM referral
    WHERE direction = ?4 AND urgency = ?5 AND {1}
    ORDER BY {0}_secs {2} LIMIT 1 OFFSET ?6)sql",
                     step, step_filter(step, checks), from_top ? "DESC" : "ASC");
}

// The same over every urgency of a direction: the compound ORDER BY merges the three ordered
// index slices.
std::string pick_all_sql(std::string_view step, Checks checks, bool from_top) {
  std::string arms;
  for (const auto urgency : domain::urgencies) {
    if (!arms.empty()) arms += " UNION ALL ";
    arms += fmt::format("SELECT {0}_secs AS secs FROM referral WHERE direction = ?4 "
                        "AND urgency = '{1}' AND {2}",
                        step, urgency, step_filter(step, checks));
  }
  return fmt::format("SELECT round(secs / 3600.0, 1) FROM ({0} ORDER BY 1 {1} LIMIT 1 OFFSET ?6)",
                     arms, from_top ? "DESC" : "ASC");
}

struct Group {
  std::int64_t n = 0;
  std::int64_t median_offset = 0;
  std::int64_t p90_offset_from_top = 0;
};

}  // namespace

void Store::each_turnaround(std::optional<Timestamp> since, Timestamp end, Timestamp as_of,
                            const std::function<void(const TurnaroundStat&)>& fn) {
  const auto epoch = [](Timestamp t) { return static_cast<int64_t>(t.time_since_epoch().count()); };
  // The latest step in the database, read from the end of its index.
  const bool step_after_as_of = [&] {
    auto latest = prepare("SELECT max(last_step_at) FROM referral");
    return latest.executeStep() && !latest.getColumn(0).isNull() &&
           latest.getColumn(0).getString() > domain::format_utc(as_of);
  }();
  const Checks checks{since.has_value(), epoch(end) <= epoch(as_of), step_after_as_of};
  const auto bind_period = [&](Query& s) {
    if (checks.since) s.bind(1, epoch(*since));
    if (checks.until) s.bind(2, epoch(end));
    if (checks.as_of) s.bind(3, epoch(as_of));
  };

  // (direction, urgency, step index) → the group's size and offsets: at most 32 rows.
  std::map<std::tuple<std::string, std::string, std::size_t>, Group> groups;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    auto s = prepare(counts_sql(steps[i], checks));
    bind_period(s);
    while (s.executeStep()) {
      groups[{s.getColumn(0).getString(), s.getColumn(1).getString(), i}] =
          Group{s.getColumn(2).getInt64(), s.getColumn(3).getInt64(), s.getColumn(4).getInt64()};
    }
  }

  const auto pick = [&](std::string_view step, const std::string& direction,
                        const std::string& urgency, bool from_top, std::int64_t offset) {
    auto s = prepare(urgency == "all" ? pick_all_sql(step, checks, from_top)
                                       : pick_sql(step, checks, from_top));
    bind_period(s);
    s.bind(4, direction);
    if (urgency != "all") s.bind(5, urgency);
    s.bind(6, static_cast<int64_t>(offset));
    return s.executeStep() ? s.getColumn(0).getDouble() : 0.0;
  };

  for (const auto direction_view : directions) {
    const std::string direction(direction_view);
    for (const std::string urgency : {"routine", "urgent", "emergent", "all"}) {
      for (std::size_t i = 0; i < steps.size(); ++i) {
        const auto found = groups.find({direction, urgency, i});
        if (found == groups.end()) continue;
        const Group& g = found->second;
        TurnaroundStat row;
        row.direction = direction;
        row.urgency = urgency;
        row.step = std::string(steps[i]);
        row.count = g.n;
        row.median_hours = pick(steps[i], direction, urgency, false, g.median_offset);
        row.p90_hours = pick(steps[i], direction, urgency, true, g.p90_offset_from_top);
        fn(row);
      }
    }
  }
}

}  // namespace refnet::store
