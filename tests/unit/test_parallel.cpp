// Reading one snapshot on two threads (src/store/parallel.hpp, internal to the store).
#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <stdlib.h>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "store/sqlite/parallel.hpp"
#include "util/two_threads.hpp"

using refnet::store::detail::Query;
using refnet::store::detail::read_on_two_connections;
using refnet::util::on_two_threads;
using namespace std::chrono_literals;

namespace {

struct ScratchDir {
  std::filesystem::path path;
  ScratchDir() {
    std::string templ =
        (std::filesystem::temp_directory_path() / "refnet-parallel-XXXXXX").string();
    path = ::mkdtemp(templ.data());
  }
  ~ScratchDir() { std::filesystem::remove_all(path); }
};

// Holds the first task until a second has started, so that a test knows both threads ran: a
// worker waits only while the other is free to start the second task. Gives up after a while,
// so a missing second thread fails the test instead of hanging it.
class BothStarted {
 public:
  void arrive() {
    std::unique_lock lock(mutex_);
    if (++arrived_ >= 2) {
      changed_.notify_all();
      return;
    }
    both_ = changed_.wait_for(lock, 10s, [&] { return arrived_ >= 2; });
  }
  bool both() const { return both_; }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int arrived_ = 0;
  bool both_ = true;
};

// A WAL database of `rows` numbers 1..rows in table n.
void fill(const std::filesystem::path& file, int rows) {
  SQLite::Database db(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("CREATE TABLE n (k INTEGER PRIMARY KEY)");
  db.exec("BEGIN");
  SQLite::Statement insert(db, "INSERT INTO n (k) VALUES (?1)");
  for (int k = 1; k <= rows; ++k) {
    insert.bind(1, k);
    insert.exec();
    insert.reset();
  }
  db.exec("COMMIT");
}

constexpr const char* ten_rows = "SELECT k FROM n WHERE k > ?1 * 10 AND k <= ?1 * 10 + 10";

}  // namespace

TEST_CASE("on_two_threads runs every task once, on both threads") {
  constexpr std::size_t count = 100;
  std::vector<std::atomic<int>> runs(count);
  std::array<std::atomic<int>, 2> by_worker{};
  BothStarted started;
  on_two_threads(count, [&](std::size_t task, int worker) {
    if (task < 2) started.arrive();
    ++runs[task];
    ++by_worker[static_cast<std::size_t>(worker)];
  });
  CHECK(started.both());
  for (const auto& r : runs) CHECK(r == 1);
  CHECK(by_worker[0] > 0);
  CHECK(by_worker[1] > 0);
  CHECK(by_worker[0] + by_worker[1] == static_cast<int>(count));

  int none = 0;
  on_two_threads(0, [&](std::size_t, int) { ++none; });
  CHECK(none == 0);
  int one = 0;
  on_two_threads(1, [&](std::size_t task, int worker) {
    CHECK(task == 0);
    CHECK(worker == 0);  // one task needs no second thread
    ++one;
  });
  CHECK(one == 1);
}

TEST_CASE("on_two_threads rethrows a failure of either thread once both have stopped") {
  for (const int failing : {0, 1}) {
    CAPTURE(failing);
    std::vector<std::atomic<int>> runs(100);
    BothStarted started;
    CHECK_THROWS_WITH_AS(on_two_threads(runs.size(),
                                        [&](std::size_t task, int worker) {
                                          if (task < 2) started.arrive();
                                          ++runs[task];
                                          if (worker == failing) throw std::runtime_error("failed");
                                        }),
                         "failed", std::runtime_error);
    CHECK(started.both());
    for (const auto& r : runs) CHECK(r <= 1);  // none twice; how many ran is up to the threads
  }
}

TEST_CASE("read_on_two_connections reads every task on both connections, from one snapshot") {
  ScratchDir dir;
  const auto file = dir.path / "n.db";
  fill(file, 1000);
  SQLite::Database db(file.string(), SQLite::OPEN_READWRITE);

  std::array<std::int64_t, 2> sums{};
  std::array<int, 2> tasks{};
  int restarts = 0;
  BothStarted started;
  read_on_two_connections(
      db, 1000ms, ten_rows, 100,
      [&](std::size_t task, int worker, Query& s) {
        if (task < 2) started.arrive();
        const auto w = static_cast<std::size_t>(worker);
        ++tasks[w];
        s.bind(1, static_cast<int64_t>(task));
        while (s.executeStep()) sums[w] += s.getColumn(0).getInt64();
      },
      [&] { ++restarts; });
  CHECK(started.both());
  CHECK(tasks[0] > 0);
  CHECK(tasks[1] > 0);
  CHECK(sums[0] + sums[1] == 1000 * 1001 / 2);
  CHECK(restarts == 0);
  CHECK(db.execAndGet("SELECT count(*) FROM n").getInt() == 1000);  // no transaction left open
}

TEST_CASE("a commit while two connections read makes read_on_two_connections read again alone") {
  ScratchDir dir;
  const auto file = dir.path / "n.db";
  fill(file, 1000);
  SQLite::Database db(file.string(), SQLite::OPEN_READWRITE);
  SQLite::Database writer(file.string(), SQLite::OPEN_READWRITE);

  std::int64_t sum = 0;
  std::array<int, 2> tasks{};
  int restarts = 0;
  bool written = false;
  std::mutex guard;
  read_on_two_connections(
      db, 1000ms, ten_rows, 100,
      [&](std::size_t task, int worker, Query& s) {
        std::lock_guard lock(guard);
        if (!written && task == 50) {
          // Another process deletes the first ten numbers half way through the read.
          writer.exec("DELETE FROM n WHERE k <= 10");
          written = true;
        }
        ++tasks[static_cast<std::size_t>(worker)];
        s.bind(1, static_cast<int64_t>(task));
        while (s.executeStep()) sum += s.getColumn(0).getInt64();
      },
      [&] {
        ++restarts;
        sum = 0;
        tasks = {};
      });
  CHECK(restarts == 1);
  CHECK(sum == 1000 * 1001 / 2 - 55);  // the read again saw the delete, whole
  CHECK(tasks[0] == 100);              // on the first connection alone
  CHECK(tasks[1] == 0);
}

TEST_CASE("read_on_two_connections reads alone where a second connection cannot share the read") {
  const auto read_all = [](SQLite::Database& db) {
    std::int64_t sum = 0;
    std::array<int, 2> tasks{};
    read_on_two_connections(
        db, 1000ms, ten_rows, 100,
        [&](std::size_t task, int worker, Query& s) {
          ++tasks[static_cast<std::size_t>(worker)];
          s.bind(1, static_cast<int64_t>(task));
          while (s.executeStep()) sum += s.getColumn(0).getInt64();
        },
        [] { FAIL("nothing else writes"); });
    CHECK(tasks[0] == 100);
    CHECK(tasks[1] == 0);
    return sum;
  };

  SUBCASE("an in-memory database") {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
    db.exec("CREATE TABLE n (k INTEGER PRIMARY KEY)");
    db.exec("INSERT INTO n (k) VALUES (1), (2), (1000)");
    CHECK(read_all(db) == 1003);
  }
  SUBCASE("inside the caller's transaction, whose changes are not yet committed") {
    ScratchDir dir;
    const auto file = dir.path / "n.db";
    fill(file, 1000);
    SQLite::Database db(file.string(), SQLite::OPEN_READWRITE);
    db.exec("BEGIN");
    db.exec("DELETE FROM n WHERE k > 10");
    CHECK(read_all(db) == 55);
    db.exec("ROLLBACK");
  }
  SUBCASE("while a statement of the caller's is still on a row") {
    ScratchDir dir;
    const auto file = dir.path / "n.db";
    fill(file, 1000);
    SQLite::Database db(file.string(), SQLite::OPEN_READWRITE);
    SQLite::Statement pending(db, "SELECT k FROM n");
    REQUIRE(pending.executeStep());
    CHECK(read_all(db) == 1000 * 1001 / 2);
    CHECK(pending.executeStep());  // still reading, undisturbed
  }
}

TEST_CASE("a failed task leaves no transaction open on the caller's connection") {
  ScratchDir dir;
  const auto file = dir.path / "n.db";
  fill(file, 1000);
  SQLite::Database db(file.string(), SQLite::OPEN_READWRITE);
  CHECK_THROWS_AS(read_on_two_connections(
                      db, 1000ms, ten_rows, 100,
                      [&](std::size_t task, int, Query&) {
                        if (task == 7) throw std::runtime_error("task 7 failed");
                      },
                      [] {}),
                  std::runtime_error);
  db.exec("BEGIN IMMEDIATE");  // would fail inside a transaction left open
  db.exec("DELETE FROM n");
  db.exec("COMMIT");
  CHECK(db.execAndGet("SELECT count(*) FROM n").getInt() == 0);
}

TEST_CASE("cuts divides a span into equal parts, in order and within it") {
  using refnet::store::detail::cuts;
  CHECK(cuts(0, 100, 4) == std::vector<std::int64_t>{25, 50, 75});
  CHECK(cuts(1, 10, 3) == std::vector<std::int64_t>{4, 7});
  CHECK(cuts(5, 5, 4) == std::vector<std::int64_t>{5, 5, 5});  // one point: empty parts
  CHECK(cuts(0, 100, 1).empty());
  CHECK(cuts(9, 1, 4).empty());  // no span
  constexpr auto least = std::numeric_limits<std::int64_t>::min();
  constexpr auto most = std::numeric_limits<std::int64_t>::max();
  const auto whole = cuts(least, most, 4);  // a width no int64_t holds
  REQUIRE(whole.size() == 3);
  CHECK(whole[0] == least / 2 - 1);  // rounded down, as every cut is
  CHECK(whole[1] == -1);
  CHECK(whole[2] == most / 2);
}

TEST_CASE("id_ranges leave out no integer and overlap nowhere") {
  using refnet::store::detail::id_ranges;
  constexpr auto least = std::numeric_limits<std::int64_t>::min();
  constexpr auto most = std::numeric_limits<std::int64_t>::max();
  using Ranges = std::vector<std::pair<std::int64_t, std::int64_t>>;
  CHECK(id_ranges(1, 100, 4) == Ranges{{least, 24}, {25, 49}, {50, 74}, {75, most}});
  CHECK(id_ranges(7, 7, 3) == Ranges{{least, 6}, {7, most}});  // empty ranges are left out
  CHECK(id_ranges(least, most, 2) == Ranges{{least, -2}, {-1, most}});
  CHECK(id_ranges(least, least, 2) == Ranges{{least, most}});
}
