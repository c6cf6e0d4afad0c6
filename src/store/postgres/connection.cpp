// PgStore's connection: connecting, readying the schema, statements, the write lock, errors.
#include <fmt/format.h>

#include <optional>

#include "store/postgres/libpq.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/postgres/query.hpp"
#include "store/postgres/schema.hpp"
#include "store/sqlite/schema.hpp"

namespace refnet::store {

namespace {

// What refnet_meta's application_id holds: the SQLite store's PRAGMA application_id, "RFNT".
const std::string our_application_id = std::to_string(application_id);

// The advisory lock every writer takes first (refnet's application id as its key): writers go
// one at a time, as on SQLite, and nobody needs a right beyond reading and writing records.
constexpr const char* writer_lock = "SELECT pg_advisory_xact_lock(1380339284)";

std::string database_name(PGconn* conn) {
  const char* name = pg::libpq().db(conn);
  return fmt::format("PostgreSQL database {}", name == nullptr ? "?" : name);
}

}  // namespace

bool postgres_retryable(const std::exception& e) {
  const auto* server = dynamic_cast<const pg::ServerError*>(&e);
  return server != nullptr && (server->sqlstate() == "40001" || server->sqlstate() == "40P01");
}

std::optional<Error> postgres_error(const std::exception& e) {
  const auto* server = dynamic_cast<const pg::ServerError*>(&e);
  if (server == nullptr) return std::nullopt;
  const auto& state = server->sqlstate();
  const std::string what = server->what();
  // lock_not_available (lock_timeout), query_canceled (statement_timeout)
  if (state == "55P03" || state == "57014") {
    return Error(Exit::locked, "the database stayed locked by another refnet",
                 "try again in a moment, or raise database.busy_timeout in the config");
  }
  if (postgres_retryable(e)) {
    return Error(Exit::locked, fmt::format("the database gave up a transaction: {}", what),
                 "run the command again");
  }
  if (state.starts_with("23")) {
    return Error(Exit::data, fmt::format("the database refused the change: {}", what));
  }
  if (state == "42501") {
    return Error(Exit::cant_create, fmt::format("the database role may not do this: {}", what),
                 "ask the database's owner for the right (README: A practice on PostgreSQL)");
  }
  if (state == "53100") {
    return Error(Exit::io, "the disk holding the database is full; nothing was changed");
  }
  if (state.empty() || state.starts_with("08")) {
    return Error(Exit::io, fmt::format("the connection to PostgreSQL failed: {}", what),
                 "check that the server is running and reachable");
  }
  return Error(Exit::io, fmt::format("database error: {}", what));
}

PgStore::PgStore(PGconn* conn) : conn_(conn) {}

PgStore::~PgStore() {
  pg::libpq().finish(conn_);
}

std::unique_ptr<PgStore> PgStore::open(const std::string& conninfo,
                                       std::chrono::milliseconds busy_timeout, Open mode) {
  const auto& pq = pg::libpq();
  PGconn* conn = pq.connectdb(conninfo.c_str());
  if (conn == nullptr) throw Error(Exit::io, "out of memory while connecting to PostgreSQL");
  std::unique_ptr<PgStore> store(new PgStore(conn));
  if (pq.status(conn) != CONNECTION_OK) {
    // libpq's message runs over lines, indented with tabs: one line here.
    std::string message;
    for (const char* c = pq.errorMessage(conn); *c != '\0'; ++c) {
      const bool space = *c == '\n' || *c == '\t' || *c == ' ';
      if (!space) {
        message += *c;
      } else if (!message.empty() && message.back() != ' ') {
        message += ' ';
      }
    }
    while (!message.empty() && message.back() == ' ') message.pop_back();
    const bool missing = message.find("does not exist") != std::string::npos &&
                         message.find("database") != std::string::npos;
    if (missing) {
      throw Error(Exit::no_input, fmt::format("cannot open the database: {}", message),
                  "create it first (createdb, README \"A practice on PostgreSQL\"), then run "
                  "refnet init");
    }
    throw Error(Exit::io, fmt::format("cannot connect to PostgreSQL: {}", message),
                "check the server, the URL's host and port, and the password in ~/.pgpass, "
                "PGPASSWORD or PGSERVICE");
  }
  // The server's notices (an index that exists already) are no business of the user's.
  pq.setNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  try {
    // Times are stored as text in UTC; the session's zone matters only to the server's own
    // functions, which then agree with refnet's. A writer waits for the lock as long as
    // database.busy_timeout says, as on SQLite. No JIT: at a million referrals a report's
    // statements cost enough to be compiled, which took longer (60-100 ms) than it saved.
    store->exec(
        fmt::format("SET TimeZone = 'UTC'; SET client_encoding = 'UTF8'; SET lock_timeout = {}; "
                    "SET application_name = 'refnet'; SET jit = off",
                    busy_timeout.count()));
    const auto state = store->check_is_ours(mode == Open::create);
    if (mode != Open::as_is) store->migrate(mode, state);
  } catch (const pg::ServerError& e) {
    throw *postgres_error(e);
  }
  return store;
}

int PgStore::newest_version() {
  return migrations().back().version;
}

int PgStore::newest_revision() {
  return pg::revisions().back().revision;
}

int PgStore::meta_number(const char* key) {
  auto s = prepare("SELECT value FROM refnet_meta WHERE key = ?1");
  s.bind(1, key);
  if (!s.executeStep()) return 0;
  return static_cast<int>(s.getColumn(0).getInt64());
}

void PgStore::put_meta(const char* key, const std::string& value) {
  auto s = prepare(
      "INSERT INTO refnet_meta (key, value) VALUES (?1, ?2) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  s.bind(1, key);
  s.bind(2, value);
  s.exec();
}

int PgStore::schema_version() {
  return meta_number("schema_version");
}

int PgStore::revision() {
  return meta_number("postgresql_revision");
}

// refnet(1) POSTGRESQL: a database an earlier refnet made is brought to this one's schema
// by the first command that writes, or db migrate, as a file is; on a server only by its owner,
// the one role that may change the tables. A revision runs in one transaction, under the
// writers' lock, so of two refnets that find it due one runs it and the other finds it done.
void PgStore::migrate(Open mode, SchemaState found) {
  const int version = found.version;
  const int at = found.revision;
  if (version >= newest_version() && at >= newest_revision()) return;
  const auto name = database_name(conn_);
  const auto state = fmt::format("schema version {}, revision {}", version, at);
  const auto newest = fmt::format("version {}, revision {}", newest_version(), newest_revision());
  if (mode == Open::reading || mode == Open::read_only) {
    throw Error(Exit::data, fmt::format("{} has {}; this refnet reads {}", name, state, newest),
                "its owner migrates it once with: refnet db migrate (any command of theirs that "
                "writes does too)");
  }
  auto owner = prepare(
      "SELECT pg_has_role(session_user, (SELECT relowner FROM pg_class "
      "WHERE oid = 'referral'::regclass), 'USAGE')::int");
  owner.executeStep();
  if (owner.getColumn(0).getInt64() == 0) {
    throw Error(Exit::cant_create,
                fmt::format("{} has {}, older than this refnet's ({}), and only the database's "
                            "owner may migrate it",
                            name, state, newest),
                "ask its owner to run once: refnet db migrate (README \"A practice on "
                "PostgreSQL\")");
  }
  for (const auto& step : pg::revisions()) {
    if (step.revision <= at) continue;
    WriteTransaction tx(*this);
    if (revision() >= step.revision) continue;  // another refnet ran it while we waited
    exec(step.sql);
    put_meta("postgresql_revision", std::to_string(step.revision));
    put_meta("schema_version", std::to_string(step.version));
    tx.commit();
  }
}

PgStore::SchemaState PgStore::check_is_ours(bool create) {
  const auto name = database_name(conn_);
  const auto hint = "check --db, REFNET_DB and database.path (refnet config show)";
  // Making the schema is a write like any other: under the writers' lock, taken before looking,
  // so of refnet inits started at once on an empty database one makes it and the others find it.
  std::optional<WriteTransaction> tx;
  if (create) tx.emplace(*this);
  auto meta = prepare(
      "SELECT to_regclass('refnet_meta') IS NOT NULL, "
      "(SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()), "
      "(SELECT string_agg(tablename, ', ') FROM (SELECT tablename FROM pg_tables "
      "  WHERE schemaname = current_schema() ORDER BY tablename LIMIT 3) t)");
  meta.executeStep();
  const bool ours = meta.getColumn(0).getInt64() != 0;
  const auto tables = meta.getColumn(1).getInt64();
  if (!ours && tables > 0) {
    throw Error(Exit::data,
                fmt::format("{} is not a refnet database: it holds tables refnet does not know "
                            "({})",
                            name, meta.getColumn(2).getString()),
                hint);
  }
  if (!ours) {
    if (!create) {
      throw Error(Exit::no_input, fmt::format("no refnet network in {} yet", name),
                  "create it with: refnet init (or try refnet demo)");
    }
    exec(pg::schema_sql);
    exec(pg::search_schema_sql);
    created_ = true;
    put_meta("application_id", our_application_id);
    put_meta("schema_version", std::to_string(newest_version()));
    put_meta("postgresql_revision", std::to_string(newest_revision()));
    tx->commit();
    return {newest_version(), newest_revision()};
  }
  // A server may be a network away: what refnet_meta says is read in one round trip.
  auto keys = prepare(
      "SELECT max(value) FILTER (WHERE key = 'application_id'), "
      "max(value) FILTER (WHERE key = 'schema_version'), "
      "max(value) FILTER (WHERE key = 'postgresql_revision') FROM refnet_meta");
  keys.executeStep();
  if (keys.getColumn(0).isNull() || keys.getColumn(0).getString() != our_application_id) {
    throw Error(
        Exit::data,
        fmt::format("{} is not a refnet database: its refnet_meta is another program's", name),
        hint);
  }
  const SchemaState state{static_cast<int>(keys.getColumn(1).getInt64()),
                          static_cast<int>(keys.getColumn(2).getInt64())};
  if (state.version > latest_version()) {
    throw Error(Exit::data,
                fmt::format("{} has schema version {}, newer than this refnet knows ({})", name,
                            state.version, latest_version()),
                "upgrade refnet");
  }
  if (state.revision > newest_revision()) {
    throw Error(Exit::data,
                fmt::format("{} has schema revision {}, newer than this refnet knows ({})", name,
                            state.revision, newest_revision()),
                "upgrade refnet");
  }
  return state;
}

std::string PgStore::server_version() {
  const int v = pg::libpq().serverVersion(conn_);
  return fmt::format("PostgreSQL {}.{}", v / 10000, v % 10000);
}

pg::Query PgStore::prepare(std::string_view sql) {
  send_held_before(sql);
  return pg::Query(conn_, pg::numbered_parameters(sql));
}

void PgStore::exec(const std::string& sql) {
  send_held_before(sql);
  pg::run(conn_, sql);
}

std::vector<std::string> PgStore::columns_of(const char* table) {
  auto s = prepare(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
      "AND table_name = ?1 AND column_name <> 'id' ORDER BY ordinal_position");
  s.bind(1, table);
  std::vector<std::string> columns;
  while (s.executeStep()) columns.push_back(s.getColumn(0).getString());
  return columns;
}

void PgStore::begin_write() {
  exec("BEGIN");
  try {
    exec(writer_lock);
  } catch (...) {
    rollback_write();
    throw;
  }
  change_set_ = 0;
}

void PgStore::commit_write() {
  // Rows a bulk load still holds are part of the transaction, finish() or not.
  send_held();
  exec("COMMIT");
  change_set_ = -1;
}

void PgStore::rollback_write() noexcept {
  change_set_ = -1;
  try {
    exec("ROLLBACK");
  } catch (...) {  // a lost connection has nothing to roll back; a destructor must not throw
  }
}

namespace {

struct NoScope final : Store::Scope {};

}  // namespace

std::unique_ptr<Store::Scope> PgStore::fill_alone() {
  return std::make_unique<NoScope>();
}

std::unique_ptr<Store::Scope> PgStore::load_alone() {
  return std::make_unique<NoScope>();
}

}  // namespace refnet::store
