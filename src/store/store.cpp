// The store interface's own parts: write transactions, and which backend opens a database.
#include "store/store.hpp"

#include <fmt/format.h>

#include <atomic>

#include "store/postgres/pg_store.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace refnet::store {

Store::WriteTransaction::WriteTransaction(Store& store) : store_(&store) {
  store_->begin_write();
}

Store::WriteTransaction::~WriteTransaction() {
  if (!done_) store_->rollback_write();
}

namespace {
std::atomic<std::size_t> committed_transactions{0};
}  // namespace

void Store::WriteTransaction::commit() {
  store_->commit_write();
  done_ = true;
  ++committed_transactions;
}

std::size_t Store::WriteTransaction::committed() {
  return committed_transactions;
}

std::unique_ptr<Store> open(const std::filesystem::path& location,
                            std::chrono::milliseconds busy_timeout, Store::Open mode) {
  return SqliteStore::open(location, busy_timeout, mode);
}

std::unique_ptr<Store> open_server(const std::string& conninfo,
                                   std::chrono::milliseconds busy_timeout, Store::Open mode) {
  return PgStore::open(conninfo, busy_timeout, mode);
}

CopyCounts copy_database(Store& from, Store& to) {
  const auto snapshot = from.read_snapshot();
  Store::WriteTransaction tx(to);
  for (const auto table : copied_tables) {
    if (table == "secret" || table == "contact_tag" || table == "event_contact") continue;
    if (to.has_rows(table)) {
      throw Error(Exit::data,
                  fmt::format("the database to copy into already holds {} rows; a copy goes "
                              "only into a new, empty database",
                              table),
                  "make a new one (refnet --db LOCATION init) and copy into that");
    }
  }
  const auto receiving = to.copy_in();
  CopyCounts counts;
  for (const auto table : copied_tables) {
    const auto columns = from.stored_columns(table);
    std::int64_t rows = 0;
    from.each_stored_row(table, columns, [&](const std::vector<Text>& row) {
      to.put_stored_row(table, columns, row);
      ++rows;
    });
    counts.tables.emplace_back(std::string(table), rows);
  }
  tx.commit();
  return counts;
}

std::string engine_version() {
  return sqlite_version();
}

CopyCheck check_copy(const std::filesystem::path& file) {
  return SqliteStore::check_copy(file);
}

void release_for_replace(const std::filesystem::path& location,
                         std::chrono::milliseconds busy_timeout) {
  SqliteStore::release_for_replace(location, busy_timeout);
}

std::optional<Error> as_error(const std::exception& e) {
  if (auto error = sqlite_error(e)) return error;
  return postgres_error(e);
}

bool retryable(const std::exception& e) {
  return postgres_retryable(e);
}

}  // namespace refnet::store
