// SqliteStore's connection: opening (private files, WAL), migrating, statements, transactions.
#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <fmt/std.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "binding.hpp"
#include "connect.hpp"
#include "store/sqlite/schema.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace refnet::store {

namespace {

namespace fs = std::filesystem;

// Creates each missing folder of the chain 0700, whatever the umask (as the XDG base directory
// spec asks of ~/.local/share), so no folder refnet made is open to other users.
void make_private_folder(const fs::path& folder) {
  if (folder.empty() || fs::exists(folder)) return;
  make_private_folder(folder.parent_path());
  if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST) {
    throw Error(Exit::cant_create,
                fmt::format("cannot create folder {}: {}", folder.string(), std::strerror(errno)),
                "choose another place with --db or REFNET_DB");
  }
  if (::chmod(folder.c_str(), 0700) != 0) {
    throw Error(Exit::cant_create, fmt::format("cannot set mode 0700 on {}: {}", folder.string(),
                                               std::strerror(errno)));
  }
}

// Creates an empty database file 0600, whatever the umask: it holds patient references.
void make_private_file(const fs::path& file) {
  const int fd = ::open(file.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return;
    throw Error(Exit::cant_create,
                fmt::format("cannot create database {}: {}", file.string(), std::strerror(errno)),
                "choose another place with --db or REFNET_DB");
  }
  const int rc = ::fchmod(fd, 0600);
  ::close(fd);
  if (rc != 0) {
    throw Error(Exit::cant_create,
                fmt::format("cannot set mode 0600 on {}: {}", file.string(), std::strerror(errno)));
  }
}

// A Store and its connection are used from one thread: SQLite need not lock a mutex on every
// call (2.3% of the time of a million-referral demo went to those locks).
constexpr int connection_flags = SQLITE_OPEN_NOMUTEX;

// The page size of a new database. Against SQLite's default of 4 KiB, 8 KiB pages made a
// million-referral demo 1.5 s faster (fewer, larger writes) and left single commands as they
// were; 16 KiB saved 3 s but slowed `refer` by 2-3 ms, as each command checkpoints its pages
// into the file when it closes. SQLite sets it only before a file's first table (and not in
// WAL); an existing database keeps the size it has.
constexpr int page_size = 8192;

// Sets WAL, which lets the nightly report read while the user writes. On a file another
// connection is filling in rollback mode (a demo, see SqliteStore::RollbackJournal) the switch
// needs the file to itself, and SQLite gives up at once instead of calling the busy handler: wait
// here instead, as long as the busy timeout allows, as for any writer.
void set_wal(SQLite::Database& db, std::chrono::milliseconds busy_timeout) {
  using std::chrono::milliseconds;
  const auto deadline = std::chrono::steady_clock::now() + busy_timeout;
  for (;;) {
    // Reading the file may wait in the busy handler too: only for the time that is left.
    const auto left =
        std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    db.setBusyTimeout(static_cast<int>(std::max(left, milliseconds(0)).count()));
    try {
      db.exec("PRAGMA journal_mode = WAL");
      break;
    } catch (const SQLite::Exception& e) {
      if ((e.getErrorCode() & 0xff) != SQLITE_BUSY || left <= milliseconds(0)) {
        db.setBusyTimeout(static_cast<int>(busy_timeout.count()));
        throw;
      }
    }
    std::this_thread::sleep_for(std::min(milliseconds(20), std::max(left, milliseconds(1))));
  }
  db.setBusyTimeout(static_cast<int>(busy_timeout.count()));
}

}  // namespace

namespace detail {

std::unique_ptr<SQLite::Database> connect(const std::string& name, int flags) {
  // SQLite counts every allocation under a global mutex, for sqlite3_memory_used(), which refnet
  // never asks: 4% of the instructions of a 50,000-referral demo. Set before the first connection
  // (sqlite3_config refuses once SQLite is initialised, and nothing else here initialises it).
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  static_cast<void>(configured);
  return std::make_unique<SQLite::Database>(name, flags | connection_flags);
}

}  // namespace detail

std::string sqlite_version() {
  return std::string("SQLite ") + sqlite3_libversion();
}

std::optional<Error> sqlite_error(const std::exception& e) {
  const auto* sqlite = dynamic_cast<const SQLite::Exception*>(&e);
  if (sqlite == nullptr) return std::nullopt;
  const int code = sqlite->getErrorCode();
  const int primary = code & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return Error(Exit::locked, "the database is locked by another refnet or sqlite3 process",
                 "try again in a moment, or raise database.busy_timeout in the config");
  }
  if (primary == SQLITE_CONSTRAINT) {
    return Error(Exit::data, fmt::format("the database refused the change: {}", sqlite->what()));
  }
  if (primary == SQLITE_CANTOPEN) {
    return Error(Exit::cant_create, fmt::format("cannot open the database: {}", sqlite->what()));
  }
  if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) {
    return Error(Exit::io,
                 fmt::format("the database file is damaged or not a database: {}", sqlite->what()),
                 "check it with: refnet db check");
  }
  if (primary == SQLITE_READONLY) {
    return Error(Exit::cant_create,
                 "the database cannot be written: it, its folder or its -wal "
                 "and -shm files are read-only here",
                 "check their permissions and the file system (refnet db path shows where)");
  }
  if (primary == SQLITE_FULL) {
    return Error(Exit::io, "the disk holding the database is full; nothing was changed",
                 "free some space and run the command again");
  }
  if (primary == SQLITE_IOERR) {
    return Error(Exit::io, "the database could not be read or written (an I/O error)",
                 "check the disk, then check the file with: refnet db check");
  }
  if (primary == SQLITE_NOMEM) return Error(Exit::io, "out of memory while reading the database");
  return Error(Exit::io, fmt::format("database error: {}", sqlite->what()));
}

SqliteStore::SqliteStore(std::unique_ptr<SQLite::Database> db) : db_(std::move(db)) {}
SqliteStore::~SqliteStore() {
  statements_.clear();  // finalize statements before the connection closes
}

std::unique_ptr<SqliteStore> SqliteStore::open(const fs::path& path,
                                               std::chrono::milliseconds busy_timeout, Open mode) {
  const bool exists = fs::exists(path);
  if (!exists && mode != Open::create) {
    throw Error(Exit::no_input, fmt::format("no database at {}", path.string()),
                "create it with: refnet init (or try refnet demo)");
  }
  if (mode == Open::read_only) return open_read_only(path, busy_timeout);
  if (!exists) {
    make_private_folder(path.parent_path());
    make_private_file(path);
  }
  try {
    auto db = detail::connect(path.string(), SQLite::OPEN_READWRITE);
    db->setBusyTimeout(static_cast<int>(busy_timeout.count()));
    std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(db)));
    store->busy_timeout_ = busy_timeout;
    store->created_ = !exists;
    store->db_->exec("PRAGMA foreign_keys = ON");
    // Takes effect only in a file with nothing in it yet; see page_size.
    store->db_->exec(fmt::format("PRAGMA page_size = {}", page_size));
    // Whose file this is, and whether this refnet reads its schema, is known before anything is
    // written to it, WAL mode included: another program's file is left byte for byte.
    store->check_is_ours(path);
    if (mode == Open::as_is) return store;  // a backup copies the file as it is
    if (mode == Open::reading) {
      // refnet(1) FILES: only a command that writes, or db migrate, migrates.
      if (const int version = store->schema_version(); version < newest_version()) {
        throw Error(Exit::data,
                    fmt::format("{} has schema version {}; this refnet reads version {}",
                                path.string(), version, newest_version()),
                    "migrate it once with: refnet db migrate (any command that writes does too)");
      }
      return store;
    }
    set_wal(*store->db_, busy_timeout);
    store->db_->exec("PRAGMA synchronous = NORMAL");
    store->migrate();
    return store;
  } catch (const SQLite::Exception& e) {
    const int primary = e.getErrorCode() & 0xff;
    if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) {
      // Say which file: the usual cause is --db, REFNET_DB or database.path naming another file.
      throw Error(
          Exit::io,
          fmt::format("{} is not a refnet database: SQLite says \"{}\"", path.string(), e.what()),
          "check --db, REFNET_DB and database.path (refnet config show), or restore a backup");
    }
    throw *sqlite_error(e);
  }
}

std::unique_ptr<SqliteStore> SqliteStore::open_read_only(const fs::path& path,
                                                         std::chrono::milliseconds busy_timeout) {
  try {
    auto db = detail::connect(path.string(), SQLite::OPEN_READONLY);
    db->setBusyTimeout(static_cast<int>(busy_timeout.count()));
    std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(db)));
    if (const int version = store->schema_version(); version != newest_version()) {
      throw Error(Exit::data,
                  fmt::format("the database has schema version {}, this refnet expects {}", version,
                              newest_version()),
                  "any other refnet command migrates it");
    }
    return store;
  } catch (const SQLite::Exception& e) {
    throw *sqlite_error(e);
  }
}

std::unique_ptr<SqliteStore> SqliteStore::open_memory() {
  auto db = detail::connect(":memory:", SQLite::OPEN_READWRITE);
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(db)));
  store->db_->exec("PRAGMA foreign_keys = ON");
  store->migrate();
  return store;
}

std::vector<std::string> SqliteStore::columns_of(const char* table) {
  std::vector<std::string> columns;
  auto s = prepare("SELECT name FROM pragma_table_info(?1) WHERE name <> 'id' ORDER BY cid");
  s.bind(1, table);
  while (s.executeStep()) columns.push_back(s.getColumn(0).getString());
  return columns;
}

int SqliteStore::newest_version() {
  return migrations().back().version;
}

int SqliteStore::schema_version() {
  return db_->execAndGet("PRAGMA user_version").getInt();
}

void SqliteStore::check_is_ours(const fs::path& path) {
  const auto hint = "check --db, REFNET_DB and database.path (refnet config show)";
  if (const int id = db_->execAndGet("PRAGMA application_id").getInt();
      id != 0 && id != application_id) {
    throw Error(Exit::data,
                fmt::format("{} is not a refnet database: it belongs to another program "
                            "(application id 0x{:08X})",
                            path.string(), static_cast<unsigned>(id)),
                hint);
  }
  // Before schema version 11 refnet set no application id: a file with tables, none of them
  // refnet's, is another program's (an empty one is a database refnet may set up).
  SQLite::Statement tables(*db_, R"sql(
    SELECT count(*), sum(name IN ('contact', 'referral', 'touchpoint')),
           (SELECT group_concat(name, ', ') FROM (SELECT name FROM sqlite_master
             WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name LIMIT 3))
    FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%')sql");
  tables.executeStep();
  if (tables.getColumn(0).getInt() > 0 && tables.getColumn(1).getInt() < 3) {
    throw Error(Exit::data,
                fmt::format("{} is not a refnet database: it holds tables refnet does not know "
                            "({})",
                            path.string(), tables.getColumn(2).getString()),
                hint);
  }
  if (const int current = schema_version(); current > latest_version()) {
    throw Error(Exit::data,
                fmt::format("the database has schema version {}, newer than this refnet knows ({})",
                            current, latest_version()),
                "upgrade refnet");
  }
}

void SqliteStore::migrate() {
  const int current = schema_version();
  if (current > latest_version()) {
    throw Error(Exit::data,
                fmt::format("the database has schema version {}, newer than this refnet knows ({})",
                            current, latest_version()),
                "upgrade refnet");
  }
  for (const auto& migration : migrations()) {
    if (migration.version <= current) continue;
    WriteTransaction tx(*this);
    // Another process may have migrated while we waited for the lock.
    if (schema_version() >= migration.version) continue;
    db_->exec(migration.sql);
    db_->exec(fmt::format("PRAGMA user_version = {}", migration.version));
    tx.commit();
  }
}

detail::Query SqliteStore::prepare(std::string_view sql) {
  // Looked up without copying the text: bulk loads prepare the same INSERT a million times.
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    std::string text(sql);
    auto statement = std::make_unique<SQLite::Statement>(*db_, text);
    it = statements_.emplace(std::move(text), Cached{std::move(statement)}).first;
  } else if (it->second.in_use) {
    return detail::Query(std::make_unique<SQLite::Statement>(*db_, std::string(sql)));
  } else {
    it->second.statement->clearBindings();  // the Query that used it last has reset it
  }
  return detail::Query(*it->second.statement, it->second.in_use);
}

SQLite::Database& SqliteStore::database() {
  return *db_;
}

SqliteStore::RollbackJournal::RollbackJournal(SqliteStore& store) : store_(&store) {
  auto& db = *store_->db_;
  // Leaving WAL needs the file to itself: another connection's lock fails this at once.
  db.setBusyTimeout(0);
  try {
    taken_ = db.execAndGet("PRAGMA journal_mode = DELETE").getString() == "delete";
  } catch (const SQLite::Exception& e) {
    db.setBusyTimeout(static_cast<int>(store_->busy_timeout_.count()));
    if ((e.getErrorCode() & 0xff) != SQLITE_BUSY) throw;
    // busy: the load runs in WAL, as any write does
  }
  db.setBusyTimeout(static_cast<int>(store_->busy_timeout_.count()));
  // NORMAL is safe from power loss in WAL only; the rollback journal needs FULL for that.
  if (taken_) db.exec("PRAGMA synchronous = FULL");
}

SqliteStore::RollbackJournal::~RollbackJournal() {
  if (!taken_) return;
  try {
    store_->db_->exec("PRAGMA journal_mode = WAL");
    store_->db_->exec("PRAGMA synchronous = NORMAL");
  } catch (...) {  // a destructor must not throw; the next open sets WAL
  }
}

SqliteStore::UncheckedKeys::UncheckedKeys(SqliteStore& store) : store_(&store) {
  store_->db_->exec("PRAGMA foreign_keys = OFF");
  if (store_->db_->execAndGet("PRAGMA foreign_keys").getInt() != 0) {
    throw std::logic_error("foreign keys can only be switched off outside a transaction");
  }
}

SqliteStore::UncheckedKeys::~UncheckedKeys() {
  try {
    store_->db_->exec("PRAGMA foreign_keys = ON");
  } catch (...) {  // a destructor must not throw; every open switches them on again
  }
}

// BEGIN IMMEDIATE takes the write lock up front, so a reader never deadlocks half way through a
// change.
void SqliteStore::begin_write() {
  db_->exec("BEGIN IMMEDIATE");
  change_set_ = 0;
}

void SqliteStore::commit_write() {
  db_->exec("COMMIT");
  change_set_ = -1;
}

void SqliteStore::rollback_write() noexcept {
  change_set_ = -1;
  try {
    db_->exec("ROLLBACK");
  } catch (...) {  // nothing to roll back after a failed BEGIN; a destructor must not throw
  }
}

std::unique_ptr<Store::BulkLoad> SqliteStore::bulk_load(
    std::initializer_list<std::string_view> tables) {
  return std::make_unique<DeferredIndexes>(*this, tables);
}

namespace {

// A demo filling a new file alone: the rollback journal instead of WAL, foreign keys unchecked.
struct FillingAlone final : Store::Scope {
  explicit FillingAlone(SqliteStore& store) : journal(store), unchecked(store) {}
  SqliteStore::RollbackJournal journal;
  SqliteStore::UncheckedKeys unchecked;
};

}  // namespace

std::unique_ptr<Store::Scope> SqliteStore::fill_alone() {
  return std::make_unique<FillingAlone>(*this);
}

namespace {

// An import loading alone: the rollback journal instead of WAL, foreign keys still checked.
struct LoadingAlone final : Store::Scope {
  explicit LoadingAlone(SqliteStore& store) : journal(store) {}
  SqliteStore::RollbackJournal journal;
};

}  // namespace

std::unique_ptr<Store::Scope> SqliteStore::load_alone() {
  return std::make_unique<LoadingAlone>(*this);
}

}  // namespace refnet::store
