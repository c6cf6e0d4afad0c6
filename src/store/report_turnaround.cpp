#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include "binding.hpp"
#include "refnet/domain/vocabulary.hpp"
#include "refnet/store/store.hpp"

namespace refnet::store {

using namespace detail;

// How the turnaround report reads a million referrals. The referral_steps index (schema 8) holds
// each referral's direction, time, urgency and the times of its four later steps, ordered by
// direction and time: one range per direction covers the period without reading the table, and
// each step's turnaround is worked out here, where reading the times costs less than SQLite's
// unixepoch() did. A percentile needs every value of its group, so the values are kept (8 bytes
// each, at most one per referral and step) and only the two ranks asked for are put in place.
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

struct Ranked {
  std::int64_t n = 0;
  std::int64_t median_secs = 0;
  std::int64_t p90_secs = 0;
};

// The values at the ranks of the median and of the 90th percentile (see above), found by
// selection: the values end up partly reordered.
Ranked ranked(std::vector<std::int64_t>& values) {
  const auto n = static_cast<std::int64_t>(values.size());
  if (n == 0) return {};
  const auto p90 = values.begin() + ((9 * n + 9) / 10 - 1);
  std::nth_element(values.begin(), p90, values.end());
  // Everything before the 90th percentile's place is no larger than it, and the median is there.
  const auto median = values.begin() + ((n + 1) / 2 - 1);
  std::nth_element(values.begin(), median, p90);
  return {n, *median, *p90};
}

}  // namespace

void Store::each_turnaround(std::optional<Timestamp> since, Timestamp end, Timestamp as_of,
                            const std::function<void(const TurnaroundStat&)>& fn) {
  // Hours to one decimal by SQLite's round(), as the report has always shown them.
  const auto hours = [&](std::int64_t secs) {
    auto s = prepare("SELECT round(?1 / 3600.0, 1)");
    s.bind(1, static_cast<int64_t>(secs));
    s.executeStep();
    return s.getColumn(0).getDouble();
  };

  // [urgency][step] → seconds from referral to step, of the direction being read.
  std::array<std::array<std::vector<std::int64_t>, steps.size()>, domain::urgencies.size()> secs;
  std::vector<std::int64_t> all;
  for (const auto direction : directions) {
    for (auto& by_step : secs) {
      for (auto& values : by_step) values.clear();
    }
    auto s = prepare(R"sql(
      SELECT urgency, referred_at, acknowledged_at, scheduled_at, seen_at, closed_at
      FROM referral WHERE direction = ?1 AND referred_at >= ?2 AND referred_at < ?3)sql");
    s.bind(1, std::string(direction));
    if (since) {
      put(s, 2, *since);
    } else {
      s.bind(2, "");  // before every time
    }
    put(s, 3, end);
    while (s.executeStep()) {
      const auto urgency_column = s.getColumn(0);
      const char* urgency_text = urgency_column.getText();  // before getBytes(), as SQLite asks
      const std::string_view urgency(urgency_text,
                                     static_cast<std::size_t>(urgency_column.getBytes()));
      const auto found = std::find(domain::urgencies.begin(), domain::urgencies.end(), urgency);
      if (found == domain::urgencies.end()) continue;  // the table's CHECK allows no other
      auto& by_step = secs[static_cast<std::size_t>(found - domain::urgencies.begin())];
      const auto referred = time(s.getColumn(1));
      for (std::size_t i = 0; i < steps.size(); ++i) {
        const auto column = s.getColumn(static_cast<int>(i) + 2);
        if (column.isNull()) continue;
        const auto at = time(column);
        // A step dated before its referral is left out, and so is one after as-of.
        if (at < referred || at > as_of) continue;
        by_step[i].push_back((at - referred).count());
      }
    }

    // Rows in the report's order: urgencies, then all of them, each in lifecycle order.
    const auto emit = [&](std::string_view urgency, std::size_t step, const Ranked& g) {
      if (g.n == 0) return;
      TurnaroundStat row;
      row.direction = std::string(direction);
      row.urgency = std::string(urgency);
      row.step = std::string(steps[step]);
      row.count = g.n;
      row.median_hours = hours(g.median_secs);
      row.p90_hours = hours(g.p90_secs);
      fn(row);
    };
    std::array<Ranked, steps.size()> overall;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      all.clear();
      for (const auto& by_step : secs) all.insert(all.end(), by_step[i].begin(), by_step[i].end());
      overall[i] = ranked(all);
    }
    for (std::size_t u = 0; u < domain::urgencies.size(); ++u) {
      for (std::size_t i = 0; i < steps.size(); ++i) {
        emit(domain::urgencies[u], i, ranked(secs[u][i]));
      }
    }
    for (std::size_t i = 0; i < steps.size(); ++i) emit("all", i, overall[i]);
  }
}

}  // namespace refnet::store
