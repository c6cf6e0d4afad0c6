#include "parallel.hpp"

#include <sqlite3.h>

#include <array>
#include <atomic>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <thread>

#include "connect.hpp"

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

void on_two_threads(std::size_t count,
                    const std::function<void(std::size_t task, int worker)>& task) {
  std::atomic<std::size_t> next{0};
  std::array<std::exception_ptr, 2> failed;
  const auto work = [&](int worker) {
    try {
      for (std::size_t i = next++; i < count; i = next++) task(i, worker);
    } catch (...) {
      failed[static_cast<std::size_t>(worker)] = std::current_exception();
      next = count;  // the other worker stops after the task it is on
    }
  };
  {
    std::optional<std::jthread> helper;
    if (count > 1) {
      try {
        helper.emplace(work, 1);
      } catch (const std::system_error&) {  // no thread to be had: this one does it all
      }
    }
    work(0);
  }  // the helper is joined here
  for (const auto& failure : failed) {
    if (failure) std::rethrow_exception(failure);
  }
}

void read_on_two_connections(
    SQLite::Database& db, std::chrono::milliseconds busy_timeout, const char* sql,
    std::size_t count, const std::function<void(std::size_t task, int worker, Query& s)>& task,
    const std::function<void()>& restart) {
  SQLite::Statement first(db, sql);
  // SQLite's name for the file (SQLiteCpp's getFilename() is the name it was given, ":memory:"
  // too): empty for an in-memory or temporary database, which no second connection can see.
  const char* name = sqlite3_db_filename(db.getHandle(), "main");
  const std::string file = name == nullptr ? "" : name;
  if (file.empty() || count < 2 || sqlite3_get_autocommit(db.getHandle()) == 0) {
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
    on_two_threads(count, [&](std::size_t i, int worker) {
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

}  // namespace refnet::store::detail
