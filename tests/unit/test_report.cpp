// What every report shares (src/report/report.cpp): the order of names, which is SQLite's
// NOCASE order so that no report's order changed when reports began sorting their own rows, and
// the rounding of figures.
#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "report/report.hpp"

using refnet::report::compare_names;

namespace {

int nocase_compare(std::string_view a, std::string_view b) {
  const auto order = compare_names(a, b);
  return order < 0 ? -1 : order > 0 ? 1 : 0;
}

}  // namespace

TEST_CASE("report: names compare with ASCII letters only, and puts a prefix first") {
  CHECK(nocase_compare("Ann", "ann") == 0);
  CHECK(nocase_compare("ann", "Bob") < 0);
  CHECK(nocase_compare("Bob", "ann") > 0);
  CHECK(nocase_compare("Ann", "Anna") < 0);
  CHECK(nocase_compare("", "a") < 0);
  CHECK(nocase_compare("", "") == 0);
  CHECK(nocase_compare("_x", "Ax") < 0);         // '_' is before 'a', though after 'A'
  CHECK(nocase_compare("Émile", "émile") != 0);  // no folding outside ASCII
  CHECK(nocase_compare("zoe", "Zoë") < 0);       // 'e' before the first byte of 'ë'
  CHECK(nocase_compare("\xff", "a") > 0);        // bytes compare unsigned
}

TEST_CASE("report: names order as SQLite's ORDER BY ... COLLATE NOCASE does") {
  // Random names of letters in both cases, digits, punctuation and UTF-8, many alike.
  const std::vector<std::string> pieces{"a", "A", "b", "B", "z", "Z", "_",    "[",  "`",  "{",
                                        " ", "0", "9", "é", "É", "ë", "\xff", "an", "AN", "Ann"};
  std::uint64_t x = 7;
  const auto next = [&] {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>(x >> 33);
  };
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
  SQLite::Statement insert(db, "INSERT INTO t (name) VALUES (?1)");
  std::vector<std::pair<std::string, std::int64_t>> names;
  for (int i = 0; i < 2000; ++i) {
    std::string name;
    for (std::size_t n = next() % 4; n > 0; --n) name += pieces[next() % pieces.size()];
    insert.bind(1, name);
    insert.exec();
    insert.reset();
    names.emplace_back(name, db.getLastInsertRowid());
  }
  std::vector<std::int64_t> by_sqlite;
  SQLite::Statement select(db, "SELECT id FROM t ORDER BY name COLLATE NOCASE, id");
  while (select.executeStep()) by_sqlite.push_back(select.getColumn(0).getInt64());

  std::sort(names.begin(), names.end(), [](const auto& a, const auto& b) {
    const int by_name = nocase_compare(a.first, b.first);
    return by_name != 0 ? by_name < 0 : a.second < b.second;
  });
  std::vector<std::int64_t> by_us;
  for (const auto& [name, id] : names) by_us.push_back(id);
  CHECK(by_us == by_sqlite);
}

TEST_CASE("report: figures round to one decimal, halves away from zero") {
  using refnet::report::round_to_tenth;
  CHECK(round_to_tenth(12.25) == 12.3);
  CHECK(round_to_tenth(100.0 * 2 / 3) == 66.7);
  CHECK(round_to_tenth(100.0 * 1 / 16) == 6.3);  // 6.25
  CHECK(round_to_tenth(-0.25) == -0.3);
  CHECK(round_to_tenth(843.7499999999999) == 843.7);  // below the half, whatever SQLite said
  CHECK(round_to_tenth(0) == 0);
}
