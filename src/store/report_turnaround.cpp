#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <string_view>
#include <tuple>
#include <vector>

#include "binding.hpp"
#include "refnet/domain/vocabulary.hpp"
#include "refnet/store/store.hpp"

namespace refnet::store {

using namespace detail;

// How the turnaround report reads a million referrals without sorting them. Each step after a
// referral has a <step>_secs column (seconds from the referral, NULL until it happens) and a
// partial index ordered (direction, urgency, <step>_secs) (schema versions 2 and 6), so the
// values of one direction and urgency come off that index already in ascending order: one walk
// per slice reads them all, and the slices of the three urgencies are merged, not sorted, for
// the "all" row. Only the values of one step and direction are held at a time (8 bytes each).
//
// A percentile is the nearest rank: of n values in ascending order, the p-th percentile is the
// value at rank ceil(p * n / 100), always an observed value, never an interpolation. The median
// (rank ceil(n / 2)) is the lower middle value when n is even.
//
// (Until this version each group was a count on the index, then a walk with OFFSET to each rank:
// about 2.2 index entries per value, against 1 here. On the demo's million referrals the report
// took 1.2-1.5 s that way.)

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

// The seconds to one step of one direction (?4) and urgency (?5), ascending, along the step's
// index.
std::string values_sql(std::string_view step, Checks checks) {
  return fmt::format(
      "SELECT {0}_secs FROM referral WHERE direction = ?4 AND urgency = ?5 AND {1} "
      "ORDER BY {0}_secs",
      step, step_filter(step, checks));
}

// The values at the ranks of the median and of the 90th percentile (see above).
struct Ranked {
  std::int64_t n = 0;
  std::int64_t median_secs = 0;
  std::int64_t p90_secs = 0;
};

Ranked ranked(const std::vector<std::int64_t>& ascending) {
  const auto n = static_cast<std::int64_t>(ascending.size());
  if (n == 0) return {};
  return {n, ascending[static_cast<std::size_t>((n + 1) / 2 - 1)],
          ascending[static_cast<std::size_t>((9 * n + 9) / 10 - 1)]};
}

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

  // Hours to one decimal by SQLite's round(), as the report has always shown them.
  const auto hours = [&](std::int64_t secs) {
    auto s = prepare("SELECT round(?1 / 3600.0, 1)");
    s.bind(1, static_cast<int64_t>(secs));
    s.executeStep();
    return s.getColumn(0).getDouble();
  };

  // (direction, urgency, step index) → the group's size and values: at most 32 groups.
  std::map<std::tuple<std::string, std::string, std::size_t>, Ranked> groups;
  std::array<std::vector<std::int64_t>, domain::urgencies.size()> slices;
  std::vector<std::int64_t> merged;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const std::string sql = values_sql(steps[i], checks);
    for (const auto direction : directions) {
      for (std::size_t u = 0; u < domain::urgencies.size(); ++u) {
        slices[u].clear();
        auto s = prepare(sql);
        if (checks.since) s.bind(1, epoch(*since));
        if (checks.until) s.bind(2, epoch(end));
        if (checks.as_of) s.bind(3, epoch(as_of));
        s.bind(4, std::string(direction));
        s.bind(5, std::string(domain::urgencies[u]));
        while (s.executeStep()) slices[u].push_back(s.getColumn(0).getInt64());
        groups[{std::string(direction), std::string(domain::urgencies[u]), i}] = ranked(slices[u]);
      }
      merged.clear();
      for (const auto& slice : slices) {
        const auto middle = merged.insert(merged.end(), slice.begin(), slice.end());
        std::inplace_merge(merged.begin(), middle, merged.end());
      }
      groups[{std::string(direction), "all", i}] = ranked(merged);
    }
  }

  for (const auto direction_view : directions) {
    const std::string direction(direction_view);
    for (const std::string urgency : {"routine", "urgent", "emergent", "all"}) {
      for (std::size_t i = 0; i < steps.size(); ++i) {
        const auto found = groups.find({direction, urgency, i});
        if (found == groups.end() || found->second.n == 0) continue;
        const Ranked& g = found->second;
        TurnaroundStat row;
        row.direction = direction;
        row.urgency = urgency;
        row.step = std::string(steps[i]);
        row.count = g.n;
        row.median_hours = hours(g.median_secs);
        row.p90_hours = hours(g.p90_secs);
        fn(row);
      }
    }
  }
}

}  // namespace refnet::store
