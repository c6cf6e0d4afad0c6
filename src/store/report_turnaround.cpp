#include <algorithm>
#include <array>
#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "binding.hpp"
#include "domain/vocabulary.hpp"
#include "parallel.hpp"
#include "report_window.hpp"
#include "store/store.hpp"

namespace refnet::store {

using namespace detail;

// How the turnaround report reads a million referrals. The referral_steps index (schema 8) holds
// each referral's direction, time, urgency and the times of its four later steps, ordered by
// direction and time: ranges of it cover the period without reading the table, and each step's
// turnaround is worked out here, where reading the times costs less than SQLite's unixepoch()
// did. Each direction's range is cut into slices that two connections read at once, in one
// snapshot (parallel.hpp): reading and working out the values was nine tenths of the time. A
// percentile needs every value of its group, so the values are kept (8 bytes each, at most one
// per referral and step) and only the two ranks asked for are put in place, also on two threads.
//
// A percentile is the nearest rank: of n values in ascending order, the p-th percentile is the
// value at rank ceil(p * n / 100), always an observed value, never an interpolation. The median
// (rank ceil(n / 2)) is the lower middle value when n is even.
//
// (Schemas 2-7 kept a partial index per step ordered by turnaround, on virtual columns; building
// those four took 11 s of each million-referral bulk load, and the report read 0.8 s.)

namespace {

constexpr std::array<std::string_view, 4> steps{"acknowledged", "scheduled", "seen", "closed"};
constexpr std::array<std::string_view, 2> directions{"in", "out"};

// Each direction's range is cut into this many slices of equal time, read by two connections at
// once (see parallel.hpp): enough that the one that finishes first can take another.
constexpr int slices = 8;

// A turnaround is kept as its seconds with the index of its urgency in the low bits: ordering
// these orders by seconds, and one array per step holds every urgency, so the percentile of them
// all is read without copying them together, and each urgency's after putting it in one part.
constexpr int urgency_bits = 2;
constexpr std::int64_t urgency_mask = (1 << urgency_bits) - 1;
static_assert(domain::urgencies.size() <= std::size_t{1} << urgency_bits);

using Values = std::array<std::vector<std::int64_t>, steps.size()>;

struct Ranked {
  std::int64_t n = 0;
  std::int64_t median_secs = 0;
  std::int64_t p90_secs = 0;
};

// The values at the ranks of the median and of the 90th percentile (see above), found by
// selection: the values end up partly reordered.
Ranked ranked(std::vector<std::int64_t>::iterator first, std::vector<std::int64_t>::iterator last) {
  const auto n = static_cast<std::int64_t>(last - first);
  if (n == 0) return {};
  const auto p90 = first + ((9 * n + 9) / 10 - 1);
  std::nth_element(first, p90, last);
  // Everything before the 90th percentile's place is no larger than it, and the median is there.
  const auto median = first + ((n + 1) / 2 - 1);
  std::nth_element(first, median, p90);
  return {n, *median >> urgency_bits, *p90 >> urgency_bits};
}

// [urgency] then all of them.
using StepRanks = std::array<Ranked, domain::urgencies.size() + 1>;

StepRanks rank(std::vector<std::int64_t>& values) {
  StepRanks ranks;
  ranks.back() = ranked(values.begin(), values.end());
  auto from = values.begin();
  for (std::size_t u = 0; u < domain::urgencies.size(); ++u) {
    const auto to = std::partition(from, values.end(), [u](std::int64_t v) {
      return static_cast<std::size_t>(v & urgency_mask) == u;
    });
    ranks[u] = ranked(from, to);
    from = to;
  }
  return ranks;
}

// A range of one direction's referral times: from nothing means from the first.
struct Slice {
  std::size_t direction = 0;
  std::optional<Timestamp> from;
  Timestamp to;
};

}  // namespace

void Store::each_turnaround(std::optional<Timestamp> since, Timestamp end, Timestamp as_of,
                            const std::function<void(const TurnaroundStat&)>& fn) {
  // Hours to one decimal, as the report has always shown them.
  const auto hours = [&](std::int64_t secs) {
    return round_to_tenth(static_cast<double>(secs) / 3600.0);
  };
  // The first or last referral time of a direction in the period, to cut it into slices.
  const auto edge = [&](std::string_view direction, const char* sql) -> std::optional<Timestamp> {
    auto s = prepare(sql);
    s.lend_literal(1, direction);
    put_since(s, 2, since);
    put(s, 3, end);
    if (!s.executeStep()) return std::nullopt;
    return optional_time(s, 0);
  };

  // [worker][direction]: what each connection gathered, put together once both are done.
  std::array<std::array<Values, directions.size()>, 2> gathered;
  std::vector<Slice> work;
  for (std::size_t d = 0; d < directions.size(); ++d) {
    const auto first = edge(directions[d], R"sql(
      SELECT referred_at FROM referral WHERE direction = ?1 AND referred_at >= ?2 AND referred_at < ?3
      ORDER BY referred_at LIMIT 1)sql");
    const auto last = edge(directions[d], R"sql(
      SELECT referred_at FROM referral WHERE direction = ?1 AND referred_at >= ?2 AND referred_at < ?3
      ORDER BY referred_at DESC LIMIT 1)sql");
    if (!first || !last) continue;
    // No step has more values than there are referrals: room for that many is asked for up
    // front, so that no array grows by copying itself (Linux gives memory a page at a time, as
    // it is first written). The counts are kept per UTC day (referral_day), so the days at the
    // ends are counted whole; were they ever wrong, the arrays would only grow as before.
    auto count = prepare(R"sql(
      SELECT coalesce(sum(referrals), 0) FROM referral_day
      WHERE direction = ?1 AND day >= substr(?2, 1, 10) AND day <= substr(?3, 1, 10))sql");
    count.lend_literal(1, directions[d]);
    put(count, 2, *first);
    put(count, 3, *last);
    count.executeStep();
    const auto most =
        static_cast<std::size_t>(std::max<std::int64_t>(count.getColumn(0).getInt64(), 0));
    for (auto& by_worker : gathered) {
      for (auto& values : by_worker[d]) values.reserve(most);
    }
    // The outer ends stay the period's, so the slices cover exactly what one range would.
    std::optional<Timestamp> from = since;
    for (const auto cut :
         cuts(first->time_since_epoch().count(), last->time_since_epoch().count(), slices)) {
      const Timestamp at{std::chrono::seconds(cut)};
      work.push_back({d, from, at});
      from = at;
    }
    work.push_back({d, from, end});
  }

  read_on_two_connections(
      *db_, busy_timeout_, R"sql(
        SELECT urgency, referred_at, acknowledged_at, scheduled_at, seen_at, closed_at
        FROM referral WHERE direction = ?1 AND referred_at >= ?2 AND referred_at < ?3)sql",
      work.size(),
      [&](std::size_t task, int worker, Query& s) {
        const auto& slice = work[task];
        auto& values = gathered[static_cast<std::size_t>(worker)][slice.direction];
        s.lend_literal(1, directions[slice.direction]);
        put_since(s, 2, slice.from);
        put(s, 3, slice.to);
        while (s.executeStep()) {
          const auto urgency = s.text_view(0);
          const auto found = std::find(domain::urgencies.begin(), domain::urgencies.end(), urgency);
          if (found == domain::urgencies.end()) continue;  // the table's CHECK allows no other
          const auto tag = static_cast<std::int64_t>(found - domain::urgencies.begin());
          const auto referred = stored_time(s.text_view(1).value_or(""));  // NOT NULL
          for (std::size_t i = 0; i < steps.size(); ++i) {
            const auto at = optional_time(s, static_cast<int>(i) + 2);
            // A step dated before its referral is left out, and so is one after as-of.
            if (!at || *at < referred || *at > as_of) continue;
            values[i].push_back((*at - referred).count() << urgency_bits | tag);
          }
        }
      },
      [&] {
        for (auto& by_direction : gathered) {
          for (auto& values : by_direction) {
            for (auto& step : values) step.clear();
          }
        }
      });

  // [direction][step]
  std::array<std::array<StepRanks, steps.size()>, directions.size()> ranks;
  on_two_threads(directions.size() * steps.size(), [&](std::size_t task, int) {
    const auto d = task / steps.size();
    const auto i = task % steps.size();
    auto& values = gathered[0][d][i];
    auto& more = gathered[1][d][i];
    values.insert(values.end(), more.begin(), more.end());
    std::vector<std::int64_t>().swap(more);  // given back now, not when the report ends
    ranks[d][i] = rank(values);
  });

  // Rows in the report's order: per direction the urgencies, then all of them, each in lifecycle
  // order.
  for (std::size_t d = 0; d < directions.size(); ++d) {
    for (std::size_t u = 0; u < ranks[d][0].size(); ++u) {
      for (std::size_t i = 0; i < steps.size(); ++i) {
        const auto& g = ranks[d][i][u];
        if (g.n == 0) continue;
        TurnaroundStat row;
        row.direction = std::string(directions[d]);
        row.urgency = u < domain::urgencies.size() ? std::string(domain::urgencies[u]) : "all";
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
