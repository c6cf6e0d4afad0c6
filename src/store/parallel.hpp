#pragma once

// Internal to the store: one read of the database spread over both cores, for the reports that
// go through a million rows. SQLite runs one statement on one thread, and one connection runs one
// statement at a time, so the read is cut into tasks (ranges of an index) and a second connection
// reads some of them while the first reads the rest.

#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <cstddef>
#include <functional>

#include "binding.hpp"

namespace refnet::store::detail {

// Runs task(0) to task(count - 1), each once, on the calling thread (worker 0) and on one more
// (worker 1): each takes the next task when it is free, so tasks of unequal size even out. The
// worker number lets a task keep state of its own thread without locks. The first exception
// stops both from taking further tasks and is rethrown once both have stopped; when the system
// gives no second thread, the calling thread runs every task.
void on_two_threads(std::size_t count,
                    const std::function<void(std::size_t task, int worker)>& task);

// Runs task(0) to task(count - 1) as on_two_threads, worker 0 reading through `db` and worker 1
// through a second, read-only connection to the same file, each with `sql` prepared on it and
// handed to the task in a Query that resets when the task ends.
//
// Both connections read one snapshot of the database. Each reads in a transaction of its own,
// and PRAGMA data_version (which changes whenever another connection commits) is compared from
// before the two begin to after both end: when something was committed between, the two may
// have seen different data, so restart() is called to drop what the tasks gathered and every
// task runs again on `db` alone, in one transaction. That costs a report twice its time only
// when a write lands while it reads.
//
// Also on `db` alone: an in-memory database, one already in a transaction, or a file a second
// connection cannot open.
void read_on_two_connections(
    SQLite::Database& db, std::chrono::milliseconds busy_timeout, const char* sql,
    std::size_t count, const std::function<void(std::size_t task, int worker, Query& s)>& task,
    const std::function<void()>& restart);

}  // namespace refnet::store::detail
