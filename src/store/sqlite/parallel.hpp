// Internal to the store: one read spread over two connections, and id ranges to cut it by.
#pragma once

// Internal to the store: one read of the database spread over both cores, for the reports that
// go through a million rows. SQLite runs one statement on one thread, and one connection runs one
// statement at a time, so the read is cut into tasks (ranges of an index) and a second connection
// reads some of them while the first reads the rest.

#include <SQLiteCpp/SQLiteCpp.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <utility>
#include <vector>

#include "binding.hpp"

namespace refnet::store::detail {

// Runs task(0) to task(count - 1) as util::on_two_threads, worker 0 reading through `db` and worker
// 1 through a second, read-only connection to the same file, each with `sql` prepared on it and
// handed to the task in a Query that resets when the task ends.
//
// Both connections read one snapshot of the database. Each reads in a transaction of its own,
// and PRAGMA data_version (which changes whenever another connection commits) is compared from
// before the two begin to after both end: when something was committed between, the two may
// have seen different data, so restart() is called to drop what the tasks gathered and every
// task runs again on `db` alone, in one transaction. That costs a report twice its time only
// when a write lands while it reads.
//
// Also on `db` alone: an in-memory database, one already in a transaction or with a statement
// still being read (each holds a snapshot a second connection cannot be sure to share), or a
// file a second connection cannot open.
void read_on_two_connections(
    SQLite::Database& db, std::chrono::milliseconds busy_timeout, const char* sql,
    std::size_t count, const std::function<void(std::size_t task, int worker, Query& s)>& task,
    const std::function<void()>& restart);

// Where to cut the span from `first` to `last` into `slices` parts of equal width: slices - 1
// points, in order, none before `first` or after `last`. A range whose parts are [lowest, cut 1),
// [cut 1, cut 2) ... [cut n, highest] covers exactly what the whole range does.
std::vector<std::int64_t> cuts(std::int64_t first, std::int64_t last, int slices);

// Every 64-bit integer, in `slices` ranges [low, high] (for BETWEEN) cut between `first` and
// `last` as cuts() does: the ids of a table, from its first to its last, for the tasks of
// read_on_two_connections. The outer ranges reach the least and the greatest integer, so the
// ranges together leave out no row, whatever ids were added since.
std::vector<std::pair<std::int64_t, std::int64_t>> id_ranges(std::int64_t first, std::int64_t last,
                                                             int slices);

// For the per-contact reports: their ranges of contact ids, of every contact or of every
// referral's contact (bounds for rows_by_id_range), and how many, so that the connection that
// finishes first can take another.
inline constexpr const char* contact_bounds =
    "SELECT (SELECT min(id) FROM contact), (SELECT max(id) FROM contact)";
inline constexpr const char* referral_contact_bounds =
    "SELECT (SELECT min(contact_id) FROM referral), (SELECT max(contact_id) FROM referral)";
inline constexpr int contact_slices = 16;

// The rows of `sql` over every id, read in `slices` ranges (id_ranges) by
// read_on_two_connections, in one vector in no particular order. `bounds_sql` gives the first
// and the last id to cut between, or NULL when there is none (and so no row). bind(s, low, high)
// binds a task's range and whatever else `sql` needs; make(s) gives the Row of the row `s` is on.
template <typename Row, typename Bind, typename Make>
std::vector<Row> rows_by_id_range(SQLite::Database& db, std::chrono::milliseconds busy_timeout,
                                  const char* bounds_sql, const char* sql, int slices,
                                  const Bind& bind, const Make& make) {
  std::vector<std::pair<std::int64_t, std::int64_t>> ranges;
  {  // done with before the read, whose snapshot it would otherwise hold
    SQLite::Statement bounds(db, bounds_sql);
    if (!bounds.executeStep() || bounds.getColumn(0).isNull()) return {};
    ranges = id_ranges(bounds.getColumn(0).getInt64(), bounds.getColumn(1).getInt64(), slices);
  }
  std::array<std::vector<Row>, 2> gathered;  // per worker
  read_on_two_connections(
      db, busy_timeout, sql, ranges.size(),
      [&](std::size_t task, int worker, Query& s) {
        bind(s, ranges[task].first, ranges[task].second);
        auto& rows = gathered[static_cast<std::size_t>(worker)];
        while (s.executeStep()) rows.push_back(make(s));
      },
      [&] {
        for (auto& rows : gathered) rows.clear();
      });
  auto& rows = gathered[0];
  rows.insert(rows.end(), std::make_move_iterator(gathered[1].begin()),
              std::make_move_iterator(gathered[1].end()));
  return std::move(rows);
}

}  // namespace refnet::store::detail
