// report turnaround on SQLite: each referral's time to every later step, on two connections.
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
#include "store/sqlite/sqlite_store.hpp"

namespace refnet::store {

using namespace detail;

// How the turnaround report's durations are read from a million referrals. The referral_steps
// index (schema 8) holds each referral's direction, time, urgency and the times of its four later
// steps, ordered by direction and time: ranges of it cover the period without reading the table,
// and each step's duration is worked out here, where reading the times costs less than SQLite's
// unixepoch() did. Each direction's range is cut into slices that two connections read at once,
// in one snapshot (parallel.hpp): reading and working out the values was nine tenths of the
// time.
//
// (Schemas 2-7 kept a partial index per step ordered by turnaround, on virtual columns; building
// those four took 11 s of each million-referral bulk load, and the report read 0.8 s.)

namespace {

constexpr std::array<std::string_view, 4> steps{"acknowledged", "scheduled", "seen", "closed"};
constexpr std::array<std::string_view, 2> directions{"in", "out"};

// Each direction's range is cut into this many slices of equal time, read by two connections at
// once (see parallel.hpp): enough that the one that finishes first can take another.
constexpr int slices = 8;

using Values = std::array<std::vector<std::int64_t>, steps.size()>;
constexpr int urgency_bits = StepDurations::urgency_bits;
static_assert(domain::urgencies.size() <= std::size_t{1} << urgency_bits);

// A range of one direction's referral times: from nothing means from the first.
struct Slice {
  std::size_t direction = 0;
  std::optional<Timestamp> from;
  Timestamp to;
};

}  // namespace

StepDurations SqliteStore::step_durations(std::optional<Timestamp> since, Timestamp end,
                                          Timestamp as_of) {
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

  // What the two connections gathered, in one array per direction and step.
  StepDurations out;
  for (std::size_t d = 0; d < directions.size(); ++d) {
    for (std::size_t i = 0; i < steps.size(); ++i) {
      auto& values = gathered[0][d][i];
      auto& more = gathered[1][d][i];
      values.insert(values.end(), more.begin(), more.end());
      std::vector<std::int64_t>().swap(more);  // given back now, not when the report ends
      out.values[d][i] = std::move(values);
    }
  }
  return out;
}

}  // namespace refnet::store
