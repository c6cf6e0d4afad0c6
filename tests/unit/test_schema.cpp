// The schema as the migrations leave it, kept readable in src/store/sqlite/schema.sql: this test
// fails when the file and the migrations differ, and `make schema` writes the file again.

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "store/sqlite/schema.hpp"
#include "store/sqlite/sqlite_store.hpp"

using refnet::store::SqliteStore;

namespace {

// Every table with its indexes and triggers after it, in the order the tables were made.
std::string dump(SqliteStore& store) {
  const int version = store.schema_version();
  std::string out = fmt::format(
      "-- The schema of a refnet database at version {}, as the migrations in schema.cpp leave "
      "it.\n"
      "-- Written by `make schema` and checked by tests/unit/test_schema.cpp: change the\n"
      "-- migrations, never this file.\n"
      "PRAGMA user_version = {};\n",
      version, version);
  SQLite::Statement s(store.database(), R"sql(
    SELECT sql FROM sqlite_schema AS o WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'
    ORDER BY (SELECT min(rowid) FROM sqlite_schema t WHERE t.type = 'table' AND t.name = o.tbl_name),
             type <> 'table', type, name)sql");
  while (s.executeStep()) out += "\n" + s.getColumn(0).getString() + ";\n";
  return out;
}

std::string schema_file() {
  return std::string(REFNET_SOURCE_DIR) + "/src/store/sqlite/schema.sql";
}

}  // namespace

TEST_CASE("schema.sql is the schema the migrations make") {
  auto store = SqliteStore::open_memory();
  const auto expected = dump(*store);
  if (std::getenv("REFNET_WRITE_SCHEMA") != nullptr) {
    std::ofstream(schema_file(), std::ios::binary | std::ios::trunc) << expected;
  }
  std::ifstream in(schema_file(), std::ios::binary);
  REQUIRE_MESSAGE(in, "no ", schema_file(), ": write it with `make schema`");
  std::ostringstream kept;
  kept << in.rdbuf();
  CHECK_MESSAGE(kept.str() == expected, "src/store/sqlite/schema.sql differs from the migrations; ",
                "write it again with `make schema`");
}
