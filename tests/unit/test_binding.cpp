// The store's binding helpers (src/store/binding.hpp, internal to the store).
#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "domain/time.hpp"
#include "domain/vocabulary.hpp"
#include "store/sqlite/binding.hpp"

using namespace refnet;
using refnet::store::detail::Query;
using namespace std::chrono_literals;

namespace {

const domain::Timestamp t0 = std::chrono::sys_days(std::chrono::year(2026) / 11 / 27) + 9h;

}  // namespace

TEST_CASE("lent text and times are read where they lie, then let go with the Query") {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
  SQLite::Statement cached(db, "SELECT ?1, ?2, ?3, ?4, ?5");
  bool in_use = false;
  {
    const std::string text = "Ann Lee";
    const std::optional<std::string> note = "note";
    Query q(cached, in_use);
    CHECK(in_use);
    q.lend(1, text);
    store::detail::put(q, 2, note);
    store::detail::put(q, 3, t0);
    store::detail::put(q, 4, std::optional<domain::Timestamp>());
    q.lend_literal(5, domain::to_string(domain::Direction::out));
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getString() == "Ann Lee");
    CHECK(q.getColumn(1).getString() == "note");
    CHECK(q.getColumn(2).getString() == "2026-11-27T09:00:00Z");
    CHECK(q.getColumn(3).isNull());
    CHECK(q.getColumn(4).getString() == "out");
  }
  CHECK_FALSE(in_use);
  // The cached statement keeps no pointer into values that are gone: its parameters are NULL.
  CHECK(cached.getExpandedSQL() == "SELECT NULL, NULL, NULL, NULL, NULL");
}

TEST_CASE("more times than a Query has room for are bound as copies") {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
  std::string sql = "SELECT ?1";
  for (int i = 2; i <= 20; ++i) sql += ", ?" + std::to_string(i);
  Query q(std::make_unique<SQLite::Statement>(db, sql));
  for (int i = 1; i <= 20; ++i) q.bind_time(i, t0 + std::chrono::hours(i));
  REQUIRE(q.executeStep());
  for (int i = 1; i <= 20; ++i) {
    CAPTURE(i);
    CHECK(q.getColumn(i - 1).getString() == domain::format_utc(t0 + std::chrono::hours(i)));
  }
}

TEST_CASE("text_view and optional_time read each row's values, NULL as nothing") {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
  db.exec("CREATE TABLE t (n INTEGER PRIMARY KEY, a TEXT, b TEXT)");
  db.exec(
      "INSERT INTO t VALUES (1, 'Ann Lee', '2026-11-27T09:00:00Z'), (2, '', NULL),"
      " (3, NULL, '2026-11-27T10:00:00Z'), (4, 'x', 'soon')");
  // Ten columns: past the Columns a Query keeps, the eighth on.
  Query q(std::make_unique<SQLite::Statement>(
      db, "SELECT a, b, n, 0, 0, 0, 0, 0, 0, a FROM t ORDER BY n"));
  REQUIRE(q.executeStep());
  CHECK(q.text_view(0) == "Ann Lee");
  CHECK(q.text_view(9) == "Ann Lee");
  CHECK(q.text_view(2) == "1");  // a number, as text
  CHECK(store::detail::optional_time(q, 1) == t0);
  REQUIRE(q.executeStep());
  CHECK(q.text_view(0) == "");  // empty, not NULL
  CHECK(q.text_view(9) == "");
  CHECK(q.text_view(1) == std::nullopt);
  CHECK(store::detail::optional_time(q, 1) == std::nullopt);
  REQUIRE(q.executeStep());
  CHECK(q.text_view(0) == std::nullopt);
  CHECK(q.text_view(9) == std::nullopt);
  CHECK(store::detail::optional_time(q, 1) == t0 + 1h);
  REQUIRE(q.executeStep());
  // Not the form the store writes: the database was changed by hand or damaged.
  CHECK_THROWS_WITH_AS(store::detail::optional_time(q, 1),
                       "the database holds a malformed time: 'soon'", Error);
  CHECK_FALSE(q.executeStep());
}
