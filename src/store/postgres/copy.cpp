// A whole database into another, on PostgreSQL: its tables' rows as stored text, and back.
#include <fmt/format.h>

#include "store/postgres/pg_store.hpp"
#include "store/postgres/query.hpp"

namespace refnet::store {

using rows::copied_table;
using rows::is_blob;
using rows::sql_name;

using namespace pg;

namespace {

// One transaction that sees every table as it stood when it began.
struct ReadSnapshot final : Store::Scope {
  explicit ReadSnapshot(PGconn* conn) : conn_(conn) {
    run(conn_, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }
  ~ReadSnapshot() override {
    try {
      run(conn_, "COMMIT");
    } catch (...) {  // a destructor must not throw; the connection closes soon
    }
  }
  PGconn* conn_;
};

struct NoScope final : Store::Scope {};

}  // namespace

std::unique_ptr<Store::Scope> PgStore::read_snapshot() {
  return std::make_unique<ReadSnapshot>(conn_);
}

std::unique_ptr<Store::Scope> PgStore::copy_in() {
  // Both last until the transaction ends: foreign keys checked at the commit, and the audit's
  // owner keeps each entry's actor (the audit_actor trigger; for anyone else it is ignored).
  exec("SET CONSTRAINTS ALL DEFERRED");
  exec("SET LOCAL refnet.copy = 'on'");
  return std::make_unique<NoScope>();
}

std::vector<std::string> PgStore::stored_columns(std::string_view table) {
  auto s = prepare(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
      "AND table_name = ?1 ORDER BY ordinal_position");
  s.bind(1, copied_table(table));
  std::vector<std::string> columns;
  while (s.executeStep()) columns.push_back(s.getColumn(0).getString());
  return columns;
}

void PgStore::each_stored_row(std::string_view table, const std::vector<std::string>& columns,
                              const std::function<void(const std::vector<Text>&)>& fn) {
  const auto name = copied_table(table);
  std::vector<std::string> key;
  {
    auto s = prepare(R"sql(
      SELECT a.attname FROM pg_index i
      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
      WHERE i.indrelid = to_regclass(?1) AND i.indisprimary
      ORDER BY array_position(i.indkey::int2[], a.attnum))sql");
    s.bind(1, name);
    while (s.executeStep()) key.push_back(sql_name(s.getColumn(0).getString()));
  }
  std::vector<std::string> selected;
  for (const auto& column : columns) selected.push_back(sql_name(column));
  auto s = prepare(fmt::format("SELECT {} FROM {} ORDER BY {}", fmt::join(selected, ", "),
                               sql_name(name), fmt::join(key, ", ")));
  s.in_batches();
  std::vector<Text> row(columns.size());
  while (s.executeStep()) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const auto column = s.getColumn(static_cast<int>(i));
      if (column.isNull()) {
        row[i].reset();
      } else if (is_blob(name, columns[i])) {
        row[i] = column.getString().substr(2);  // bytea's text form: \x and the hex digits
      } else {
        row[i] = column.getString();
      }
    }
    fn(row);
  }
}

void PgStore::put_stored_row(std::string_view table, const std::vector<std::string>& columns,
                             const std::vector<Text>& row) {
  const auto name = copied_table(table);
  std::vector<std::string> names, places;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    names.push_back(sql_name(columns[i]));
    places.push_back(fmt::format("?{}", i + 1));
  }
  auto s = prepare(fmt::format("INSERT INTO {} ({}) VALUES ({}){}", sql_name(name),
                               fmt::join(names, ", "), fmt::join(places, ", "),
                               name == "secret"
                                   ? " ON CONFLICT (purpose) DO UPDATE SET value = excluded.value, "
                                     "created_at = excluded.created_at"
                                   : ""));
  // Each value as text the server reads as its column's type (bigint, text, bytea).
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const int index = static_cast<int>(i + 1);
    if (row[i] && is_blob(name, columns[i])) {
      s.bind_untyped(index, "\\x" + *row[i]);
    } else {
      s.bind_untyped(index, row[i]);
    }
  }
  s.exec();
}

}  // namespace refnet::store
