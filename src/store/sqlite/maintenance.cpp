// db check, db backup and db restore on SQLite: integrity, foreign keys, kept counts, a private
// online copy, the image an encrypted backup encrypts, and the checks before a restore.
#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <memory>

#include "io/private_file.hpp"
#include "kept_counts.hpp"
#include "store/sqlite/schema.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace refnet::store {

std::vector<std::string> SqliteStore::integrity_problems() {
  std::vector<std::string> problems;
  SQLite::Statement s(*db_, "PRAGMA integrity_check");
  while (s.executeStep()) {
    std::string line = s.getColumn(0).getString();
    if (line != "ok") problems.push_back(std::move(line));
  }
  return problems;
}

std::vector<std::string> SqliteStore::foreign_key_problems() {
  std::vector<std::string> problems;
  SQLite::Statement s(*db_, "PRAGMA foreign_key_check");
  while (s.executeStep()) {
    problems.push_back(
        fmt::format("{} row {}: no parent in {}", s.getColumn(0).getString(),
                    s.getColumn(1).isNull() ? std::string("?") : s.getColumn(1).getString(),
                    s.getColumn(2).getString()));
  }
  return problems;
}

std::vector<std::string> SqliteStore::count_problems() {
  // The per-day counts of migration 7 against a count of the referrals themselves.
  std::vector<std::string> problems;
  SQLite::Statement s(*db_, fmt::format(R"sql(
    SELECT direction, day, sum(kept), sum(kept_closed), sum(made), sum(made_closed) FROM (
      SELECT direction, day, referrals AS kept, closed AS kept_closed, 0 AS made, 0 AS made_closed
      FROM referral_day
      UNION ALL
      SELECT direction, day, 0, 0, referrals, closed FROM ({}))
    GROUP BY direction, day
    HAVING sum(kept) <> sum(made) OR sum(kept_closed) <> sum(made_closed)
    ORDER BY day, direction)sql",
                                        detail::referral_day_recount));
  while (s.executeStep()) {
    problems.push_back(fmt::format(
        "referral_day {} {}: kept {} referrals, {} closed; the referrals say {}, {} closed",
        s.getColumn(1).getString(), s.getColumn(0).getString(), s.getColumn(2).getInt64(),
        s.getColumn(3).getInt64(), s.getColumn(4).getInt64(), s.getColumn(5).getInt64()));
  }
  // summary takes the closings after as-of off the kept counts through referral_ended, which
  // holds only ended referrals: a closing time on any other is what no command writes (ended
  // states are final, import refuses a step the status never passed) but sqlite3 could.
  SQLite::Statement closings(*db_, R"sql(
    SELECT id, status FROM referral WHERE closed_at IS NOT NULL AND status <> 'closed' ORDER BY id)sql");
  while (closings.executeStep()) {
    problems.push_back(
        fmt::format("referral {} has a closing time but is {}: only a closed one may",
                    closings.getColumn(0).getInt64(), closings.getColumn(1).getString()));
  }
  return problems;
}

void SqliteStore::backup_to(const std::filesystem::path& file) {
  // The copy holds the same patient references, so it is made private before SQLite writes to it.
  io::create_new_private(file);
  try {
    db_->backup(file.c_str(), SQLite::Database::Save);
  } catch (const SQLite::Exception& e) {
    ::unlink(file.c_str());  // no half-written backup is left to be mistaken for a good one
    throw Error(Exit::cant_create,
                fmt::format("cannot write the backup {}: {}", file.string(), e.what()));
  } catch (...) {
    ::unlink(file.c_str());  // no half-written backup is left to be mistaken for a good one
    throw;
  }
}

std::uint64_t SqliteStore::write_image(
    const std::function<void(std::span<const unsigned char>)>& write) {
  // sqlite3_serialize reads every page in one read transaction, through the write-ahead log, so
  // the image is the database as of one moment while others go on writing. It is held in memory
  // (the size of the database) and never written to a file.
  sqlite3_int64 size = 0;
  unsigned char* image = sqlite3_serialize(db_->getHandle(), "main", &size, 0);
  if (image == nullptr) {
    throw Error(Exit::io, "cannot read the database to back it up: out of memory");
  }
  const std::unique_ptr<unsigned char, decltype(&sqlite3_free)> owned(image, sqlite3_free);
  constexpr std::size_t piece = 1 << 20;
  const auto total = static_cast<std::size_t>(size);
  for (std::size_t at = 0; at < total; at += piece) {
    write(std::span<const unsigned char>(image + at, std::min(piece, total - at)));
  }
  return static_cast<std::uint64_t>(size);
}

CopyCheck SqliteStore::check_copy(const std::filesystem::path& file) {
  CopyCheck check;
  try {
    // Read-write so a copy in WAL mode can be opened; nothing is written to it.
    SQLite::Database db(file.string(), SQLite::OPEN_READWRITE);
    const int id = db.execAndGet("PRAGMA application_id").getInt();
    check.schema_version = db.execAndGet("PRAGMA user_version").getInt();
    // Before schema version 11 a refnet database had no application id: it is told by its tables.
    const bool refnet = id == application_id ||
                        (id == 0 && check.schema_version >= 1 &&
                         db.execAndGet("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                       "AND name IN ('contact', 'referral', 'touchpoint')")
                                 .getInt() == 3);
    if (!refnet) {
      check.problems.push_back("it is an SQLite database, but not a refnet one");
      return check;
    }
    if (check.schema_version > newest_version()) {
      check.problems.push_back(fmt::format(
          "it has schema version {}, newer than this refnet knows ({}); upgrade refnet first",
          check.schema_version, newest_version()));
    }
    SQLite::Statement s(db, "PRAGMA integrity_check");
    while (s.executeStep()) {
      std::string line = s.getColumn(0).getString();
      if (line != "ok") check.problems.push_back(std::move(line));
    }
  } catch (const SQLite::Exception& e) {
    check.problems.push_back(fmt::format("SQLite cannot read it: {}", e.what()));
  }
  return check;
}

void SqliteStore::release_for_replace(const std::filesystem::path& path,
                                      std::chrono::milliseconds busy_timeout) {
  try {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
    db.setBusyTimeout(static_cast<int>(busy_timeout.count()));
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    // Leaving WAL needs the file to itself: it fails while any other connection has it open,
    // and afterwards no -wal or -shm file is left to be mixed up with the new database.
    db.setBusyTimeout(0);
    const auto mode = db.execAndGet("PRAGMA journal_mode = DELETE").getString();
    if (mode != "delete") throw Error(Exit::locked, "another process is using the database");
  } catch (const SQLite::Exception& e) {
    if (const int primary = e.getErrorCode() & 0xff;
        primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
      throw Error(Exit::locked, "another refnet or sqlite3 process is using the database",
                  "let it finish, then restore again");
    }
    throw *sqlite_error(e);
  }
}

}  // namespace refnet::store
