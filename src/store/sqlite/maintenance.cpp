// db check and db backup on SQLite: integrity, foreign keys, kept counts, a private online copy.
#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "kept_counts.hpp"
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
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int error = errno;
    throw Error(Exit::cant_create,
                fmt::format("cannot create {}: {}", file.string(), std::strerror(error)),
                error == EEXIST ? "refnet never overwrites a file: remove it or choose another name"
                                : "choose another place for the backup");
  }
  const bool private_mode = ::fchmod(fd, 0600) == 0;
  ::close(fd);
  try {
    if (!private_mode)
      throw Error(Exit::cant_create, fmt::format("cannot set mode 0600 on {}", file.string()));
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

}  // namespace refnet::store
