// Bulk loads on SQLite: secondary indexes and counting triggers dropped, then rebuilt by finish().
#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "kept_counts.hpp"
#include "search_index.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace refnet::store {

namespace {

// Enough for the indexes of a million referrals to be built without thrashing; SQLite takes
// the memory only as it needs it.
constexpr std::int64_t bulk_cache_kib = 256 * 1024;
// The sorter's memory while the indexes are built (see finish()): the size of each sorted run.
// Small runs sort inside the CPU's caches. Building the ten indexes of a million referrals and
// their touchpoints in sqlite3 took 7.7-8.2 s with 1 MiB, 8.2 s with 2 MiB and 9.9-10.1 s with
// 16 MiB, interleaved on this project's 2-core machine; 256 and 512 KiB were no faster.
constexpr std::int64_t sort_cache_kib = 1024;

std::string quoted_identifier(const std::string& name) {
  std::string out = "\"";
  for (const char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

SqliteStore::DeferredIndexes::DeferredIndexes(SqliteStore& store,
                                              std::initializer_list<std::string_view> tables)
    : store_(&store) {
  auto& db = *store_->db_;
  cache_size_ = db.execAndGet("PRAGMA cache_size").getInt64();
  db.exec(fmt::format("PRAGMA cache_size = {}", -bulk_cache_kib));
  // Unique indexes stay: they enforce a rule, not just speed. Index names and definitions come
  // from the schema itself, never from input, and cannot be bound as parameters.
  std::vector<std::string> names;
  SQLite::Statement list(db, R"sql(
    SELECT name, sql FROM sqlite_master
    WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'
    ORDER BY name)sql");
  for (const auto table : tables) {
    list.bind(1, std::string(table));
    while (list.executeStep()) {
      names.push_back(list.getColumn(0).getString());
      definitions_.push_back(list.getColumn(1).getString());
    }
    list.reset();
  }
  for (const auto& name : names) db.exec("DROP INDEX " + quoted_identifier(name));

  // Drops the triggers on `table` named `prefix`_..., keeping their definitions for finish();
  // says whether there were any.
  SQLite::Statement triggers(db, R"sql(
    SELECT name, sql FROM sqlite_master
    WHERE type = 'trigger' AND tbl_name = ?1 AND substr(name, 1, length(?2) + 1) = ?2 || '_'
    ORDER BY name)sql");
  const auto drop_triggers = [&](std::string_view table, const std::string& prefix) {
    triggers.bind(1, std::string(table));
    triggers.bind(2, prefix);
    std::vector<std::string> dropped;
    while (triggers.executeStep()) {
      dropped.push_back(triggers.getColumn(0).getString());
      triggers_.push_back(triggers.getColumn(1).getString());
    }
    triggers.reset();
    for (const auto& name : dropped) db.exec("DROP TRIGGER " + quoted_identifier(name));
    return !dropped.empty();
  };
  for (const auto table : tables) {
    // A trigger counting each row into a table of kept counts costs more per row than counting
    // them all once at the end (about 3.6 s against 1 s for a million referrals).
    for (const auto& kept : detail::kept_counts) {
      if (kept.table != table) continue;
      drop_triggers(kept.table, std::string(kept.counts));
      recounts_.push_back(&kept);
    }
    // So do the search index's triggers (schema 15), each row a statement of its own
    // (README "Performance").
    if (drop_triggers(table, fmt::format("{}{}", detail::search_trigger_prefix, table))) {
      refill_search_ = true;
    }
  }
}

void SqliteStore::DeferredIndexes::finish() {
  auto& db = *store_->db_;
  // Each index build sorts every row. Given less memory than the whole sort, SQLite's sorter
  // writes sorted runs to a temporary file and merges them on helper threads: on this project's
  // 2-core machine the indexes of a million referrals took 22 s to build instead of 33 s with
  // the whole sort in 256 MiB on one thread.
  db.exec(fmt::format("PRAGMA cache_size = {}", -sort_cache_kib));
  db.exec(fmt::format("PRAGMA threads = {}", std::max(1U, std::thread::hardware_concurrency())));
  for (const auto& sql : definitions_) db.exec(sql);
  definitions_.clear();
  for (const auto* kept : recounts_) {
    db.exec(fmt::format("DELETE FROM {}", quoted_identifier(std::string(kept->counts))));
    kept->fill(db);
  }
  recounts_.clear();
  if (refill_search_) detail::refill_search(db);
  refill_search_ = false;
  for (const auto& sql : triggers_) db.exec(sql);
  triggers_.clear();
}

SqliteStore::DeferredIndexes::~DeferredIndexes() {
  try {
    store_->db_->exec("PRAGMA threads = 0");
    store_->db_->exec(fmt::format("PRAGMA cache_size = {}", cache_size_));
  } catch (...) {  // a destructor must not throw; the next connection starts with the defaults
  }
}

}  // namespace refnet::store
