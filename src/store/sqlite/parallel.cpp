// One read on two connections at one snapshot (or on one when a write lands), and id ranges.
#include "parallel.hpp"

#include <sqlite3.h>

#include <array>
#include <atomic>
#include <exception>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <thread>

#include "connect.hpp"
#include "util/two_threads.hpp"

namespace refnet::store::detail {

namespace {

// A read transaction: BEGIN, so that every statement until the end reads one snapshot (the
// snapshot itself is taken at the first read). Ended by end(), or when it goes out of scope.
class Reading {
 public:
  explicit Reading(SQLite::Database& db) : db_(&db) { db.exec("BEGIN"); }
  Reading(const Reading&) = delete;
  Reading& operator=(const Reading&) = delete;
  ~Reading() {
    if (db_ == nullptr) return;
    try {
      db_->exec("ROLLBACK");  // nothing was written: this only lets go of the snapshot
    } catch (...) {           // unwinding already: the first error is the one to report
    }
  }
  void end() {
    db_->exec("COMMIT");
    db_ = nullptr;
  }

 private:
  SQLite::Database* db_;
};

// A statement of `db` stepped and not yet reset holds a snapshot of its own, which `db` keeps
// reading from: a second connection could not be sure to share it.
bool reading_already(SQLite::Database& db) {
  for (sqlite3_stmt* s = sqlite3_next_stmt(db.getHandle(), nullptr); s != nullptr;
       s = sqlite3_next_stmt(db.getHandle(), s)) {
    if (sqlite3_stmt_busy(s) != 0) return true;
  }
  return false;
}

std::int64_t data_version(SQLite::Database& db) {
  return db.execAndGet("PRAGMA data_version").getInt64();
}

// Every task on `db`, in one transaction unless the caller has one open already.
void read_alone(SQLite::Database& db, SQLite::Statement& statement, std::size_t count,
                const std::function<void(std::size_t, int, Query&)>& task) {
  std::optional<Reading> reading;
  if (sqlite3_get_autocommit(db.getHandle()) != 0) reading.emplace(db);
  bool in_use = false;
  for (std::size_t i = 0; i < count; ++i) {
    Query s(statement, in_use);
    task(i, 0, s);
  }
  if (reading) reading->end();
}

}  // namespace

void read_on_two_connections(
    SQLite::Database& db, std::chrono::milliseconds busy_timeout, const char* sql,
    std::size_t count, const std::function<void(std::size_t task, int worker, Query& s)>& task,
    const std::function<void()>& restart) {
  SQLite::Statement first(db, sql);
  // SQLite's name for the file (SQLiteCpp's getFilename() is the name it was given, ":memory:"
  // too): empty for an in-memory or temporary database, which no second connection can see.
  const char* name = sqlite3_db_filename(db.getHandle(), "main");
  const std::string file = name == nullptr ? "" : name;
  if (file.empty() || count < 2 || sqlite3_get_autocommit(db.getHandle()) == 0 ||
      reading_already(db)) {
    read_alone(db, first, count, task);
    return;
  }
  std::unique_ptr<SQLite::Database> other;
  try {
    other = connect(file, SQLite::OPEN_READONLY);
    other->setBusyTimeout(static_cast<int>(busy_timeout.count()));
  } catch (const SQLite::Exception&) {
    read_alone(db, first, count, task);
    return;
  }
  {
    // Declared after `other`, so finalized before it closes.
    SQLite::Statement second(*other, sql);
    const std::array<SQLite::Statement*, 2> statements{&first, &second};
    std::array<bool, 2> in_use{};
    const auto before = data_version(db);
    Reading reading_first(db);
    Reading reading_second(*other);
    util::on_two_threads(count, [&](std::size_t i, int worker) {
      const auto w = static_cast<std::size_t>(worker);
      Query s(*statements[w], in_use[w]);
      task(i, worker, s);
    });
    reading_first.end();
    reading_second.end();
    if (data_version(db) == before) return;
  }
  restart();
  read_alone(db, first, count, task);
}

std::vector<std::int64_t> cuts(std::int64_t first, std::int64_t last, int slices) {
  // Unsigned, where the width of any two 64-bit numbers fits, and multiplied only by parts of
  // it that cannot overflow: width * i / n = (width / n) * i + (width % n) * i / n.
  std::vector<std::int64_t> points;
  if (slices < 2 || last < first) return points;
  const auto n = static_cast<std::uint64_t>(slices);
  const std::uint64_t width = static_cast<std::uint64_t>(last) - static_cast<std::uint64_t>(first);
  for (std::uint64_t i = 1; i < n; ++i) {
    const std::uint64_t step = width / n * i + width % n * i / n;
    points.push_back(static_cast<std::int64_t>(static_cast<std::uint64_t>(first) + step));
  }
  return points;
}

std::vector<std::pair<std::int64_t, std::int64_t>> id_ranges(std::int64_t first, std::int64_t last,
                                                             int slices) {
  std::vector<std::pair<std::int64_t, std::int64_t>> ranges;
  auto low = std::numeric_limits<std::int64_t>::min();
  for (const auto cut : cuts(first, last, slices)) {
    if (cut == low) continue;  // an empty range; cut - 1 would not exist for the least integer
    ranges.emplace_back(low, cut - 1);
    low = cut;
  }
  ranges.emplace_back(low, std::numeric_limits<std::int64_t>::max());
  return ranges;
}

}  // namespace refnet::store::detail
