// A whole database into another, on SQLite: its tables' rows as stored text, and back.
#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "binding.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace refnet::store {

using rows::copied_table;
using rows::is_blob;
using rows::sql_name;

using namespace detail;

namespace {

// A read transaction: every table as one state until it ends.
struct ReadSnapshot final : Store::Scope {
  explicit ReadSnapshot(SQLite::Database& db) : db_(db) {
    db_.exec("BEGIN");
    db_.execAndGet("SELECT count(*) FROM sqlite_master");  // takes the snapshot now
  }
  ~ReadSnapshot() override {
    try {
      db_.exec("COMMIT");
    } catch (...) {  // a destructor must not throw; the connection closes soon
    }
  }
  SQLite::Database& db_;
};

struct NoScope final : Store::Scope {};

}  // namespace

std::unique_ptr<Store::Scope> SqliteStore::read_snapshot() {
  return std::make_unique<ReadSnapshot>(*db_);
}

std::unique_ptr<Store::Scope> SqliteStore::copy_in() {
  // Checked at the commit, and reset by it.
  db_->exec("PRAGMA defer_foreign_keys = ON");
  return std::make_unique<NoScope>();
}

std::vector<std::string> SqliteStore::stored_columns(std::string_view table) {
  auto s = prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid");
  s.bind(1, std::string(copied_table(table)));
  std::vector<std::string> columns;
  while (s.executeStep()) columns.push_back(s.getColumn(0).getString());
  return columns;
}

void SqliteStore::each_stored_row(std::string_view table, const std::vector<std::string>& columns,
                                  const std::function<void(const std::vector<Text>&)>& fn) {
  const auto name = copied_table(table);
  std::vector<std::string> key;
  {
    auto s = prepare("SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk");
    s.bind(1, std::string(name));
    while (s.executeStep()) key.push_back(sql_name(s.getColumn(0).getString()));
  }
  std::vector<std::string> selected;
  for (const auto& column : columns) selected.push_back(sql_name(column));
  auto s = prepare(fmt::format("SELECT {} FROM {} ORDER BY {}", fmt::join(selected, ", "),
                               sql_name(name), fmt::join(key, ", ")));
  std::vector<Text> row(columns.size());
  while (s.executeStep()) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const auto column = s.getColumn(static_cast<int>(i));
      if (column.isNull()) {
        row[i].reset();
      } else if (is_blob(name, columns[i])) {
        const auto* bytes = static_cast<const unsigned char*>(column.getBlob());
        std::string hex;
        for (int b = 0; b < column.getBytes(); ++b) hex += fmt::format("{:02x}", bytes[b]);
        row[i] = std::move(hex);
      } else {
        row[i] = column.getString();
      }
    }
    fn(row);
  }
}

void SqliteStore::put_stored_row(std::string_view table, const std::vector<std::string>& columns,
                                 const std::vector<Text>& row) {
  const auto name = copied_table(table);
  std::vector<std::string> names, places;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    names.push_back(sql_name(columns[i]));
    places.push_back(fmt::format("?{}", i + 1));
  }
  // Text goes into a column as its declared type reads it (an INTEGER column's "12" is 12).
  auto s = prepare(fmt::format("INSERT {}INTO {} ({}) VALUES ({})",
                               name == "secret" ? "OR REPLACE " : "", sql_name(name),
                               fmt::join(names, ", "), fmt::join(places, ", ")));
  std::vector<std::vector<unsigned char>> blobs;  // alive until the insert has run
  blobs.reserve(columns.size());
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const int index = static_cast<int>(i + 1);
    if (!row[i]) {
      s.bind(index);
    } else if (is_blob(name, columns[i])) {
      auto& bytes = blobs.emplace_back();
      for (std::size_t at = 0; at + 1 < row[i]->size(); at += 2) {
        bytes.push_back(static_cast<unsigned char>(std::stoi(row[i]->substr(at, 2), nullptr, 16)));
      }
      s.bind(index, bytes.data(), static_cast<int>(bytes.size()));
    } else {
      s.lend(index, *row[i]);
    }
  }
  s.exec();
}

}  // namespace refnet::store
