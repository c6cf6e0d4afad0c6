#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "domain/vocabulary.hpp"
#include "error.hpp"
#include "record/records.hpp"
#include "record/rules.hpp"
#include "store/sqlite/schema.hpp"
#include "store/sqlite/search_index.hpp"
#include "store/sqlite/sqlite_store.hpp"

using namespace refnet;
using namespace refnet::store;
using namespace std::chrono_literals;

namespace {

const domain::Timestamp t0 = std::chrono::sys_days(std::chrono::year(2026) / 11 / 27) + 9h;

std::int64_t insert_contact(SqliteStore& store, const ContactFields& fields,
                            domain::Timestamp created) {
  Contact contact;
  static_cast<ContactFields&>(contact) = fields;
  contact.created = created;
  return store.add_contact(contact);
}

std::int64_t add_contact(SqliteStore& store, const std::string& name) {
  ContactFields fields;
  fields.name = name;
  return insert_contact(store, fields, t0);
}

void update_contact(SqliteStore& store, std::int64_t id, const ContactFields& fields) {
  auto contact = *store.contact(id);
  static_cast<ContactFields&>(contact) = fields;
  store.save_contact(contact);
}

void archive_contact(SqliteStore& store, std::int64_t id, domain::Timestamp at) {
  auto contact = *store.contact(id);
  contact.archived = at;
  store.save_contact(contact);
}

std::int64_t insert_referral(SqliteStore& store, Referral r, domain::Timestamp created) {
  r.created = created;
  return store.add_referral(r);
}

// An inbound referral from `contact` for patient P-1, made at `referred`, due two days later.
Referral inbound(std::int64_t contact, domain::Timestamp referred) {
  Referral r;
  r.direction = domain::Direction::in;
  r.contact_id = contact;
  r.patient = "P-1";
  r.referred = referred;
  r.acknowledge_due = referred + 48h;
  return r;
}

void change_status(SqliteStore& store, std::int64_t id, const StatusChange& change) {
  auto referral = *store.referral(id);
  refnet::record::apply_status(referral, change);
  store.save_referral(referral);
}

// Runs raw SQL and says whether SQLite accepted it (constraints are the point of these tests).
bool accepts(SqliteStore& store, const std::string& sql) {
  try {
    store.database().exec(sql);
    return true;
  } catch (const SQLite::Exception&) {
    return false;
  }
}

// A database file at schema `version`, as refnet wrote it then, with `rows` inserted.
void write_database_at(const std::filesystem::path& file, int version, const char* rows) {
  SQLite::Database db(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  for (const auto& m : migrations()) {
    if (m.version > version) break;
    db.exec(m.sql);
  }
  db.exec(fmt::format("PRAGMA user_version = {}", version));
  db.exec(rows);
}

struct ScratchDir {
  std::filesystem::path path;
  ScratchDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "refnet-store-XXXXXX").string();
    path = ::mkdtemp(templ.data());
  }
  ~ScratchDir() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST_CASE("a new database is migrated to the latest schema") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  CHECK(store.schema_version() == SqliteStore::newest_version());
  CHECK(SqliteStore::newest_version() == migrations().back().version);
  for (std::size_t i = 0; i < migrations().size(); ++i) {
    CHECK(migrations()[i].version == static_cast<int>(i + 1));
  }
}

TEST_CASE("a version 1 database is migrated forward and keeps its data") {
  ScratchDir dir;
  const auto file = dir.path / "v1.db";
  {
    SQLite::Database db(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(migrations().front().sql);
    db.exec("PRAGMA user_version = 1");
    db.exec("INSERT INTO contact (name, created_at) VALUES ('Dr. Old', '2025-01-01T00:00:00Z')");
  }
  auto store_owner = SqliteStore::open(file, 1000ms, Store::Open::existing);
  auto& store = *store_owner;
  CHECK(store.schema_version() == SqliteStore::newest_version());
  CHECK(store.contact(1)->name == "Dr. Old");
}

// A new file gets 8 KiB pages; a database made with SQLite's 4 KiB default keeps them (only a
// VACUUM could change them, and SQLite refuses to in WAL).
TEST_CASE("a new database has 8 KiB pages and an existing one keeps its own") {
  ScratchDir dir;
  const auto page_size = [](SqliteStore& store) {
    return store.database().execAndGet("PRAGMA page_size").getInt();
  };
  {
    auto store_owner = SqliteStore::open(dir.path / "new.db", 1000ms, Store::Open::create);
    auto& store = *store_owner;
    CHECK(page_size(store) == 8192);
  }
  const auto old = dir.path / "old.db";
  {
    SQLite::Database db(old.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(migrations().front().sql);
    db.exec("PRAGMA user_version = 1");
    REQUIRE(db.execAndGet("PRAGMA page_size").getInt() == 4096);
  }
  auto store_owner = SqliteStore::open(old, 1000ms, Store::Open::existing);
  auto& store = *store_owner;
  CHECK(store.schema_version() == SqliteStore::newest_version());
  CHECK(page_size(store) == 4096);
}

TEST_CASE("a database from a newer refnet is refused") {
  ScratchDir dir;
  const auto file = dir.path / "future.db";
  {
    SQLite::Database db(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA user_version = 999");
  }
  CHECK_THROWS_AS(SqliteStore::open(file, 1000ms, Store::Open::existing), Error);
}

TEST_CASE("opening a missing database without create is an error that creates nothing") {
  ScratchDir dir;
  const auto file = dir.path / "missing" / "refnet.db";
  try {
    SqliteStore::open(file, 1000ms, Store::Open::existing);
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.code() == Exit::no_input);
  }
  CHECK_FALSE(std::filesystem::exists(file.parent_path()));
}

TEST_CASE("a created database and its folder are private whatever the umask") {
  ScratchDir dir;
  const auto file = dir.path / "deep" / "refnet.db";
  const auto old = ::umask(0);
  { auto store = SqliteStore::open(file, 1000ms, Store::Open::create); }
  ::umask(old);
  using std::filesystem::perms;
  CHECK((std::filesystem::status(file).permissions() & perms::all) ==
        (perms::owner_read | perms::owner_write));
  CHECK((std::filesystem::status(file.parent_path()).permissions() & perms::all) ==
        perms::owner_all);
}

TEST_CASE("enumerated columns accept exactly the vocabulary") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  for (auto role : domain::roles) {
    CHECK(accepts(store, "INSERT INTO contact (name, role, created_at) VALUES ('x', '" +
                             std::string(role) + "', 't')"));
  }
  for (auto source : domain::sources) {
    CHECK(accepts(store, "INSERT INTO contact (name, source, created_at) VALUES ('x', '" +
                             std::string(source) + "', 't')"));
  }
  CHECK_FALSE(
      accepts(store, "INSERT INTO contact (name, role, created_at) VALUES ('x', 'doctor', 't')"));
  CHECK_FALSE(
      accepts(store, "INSERT INTO contact (name, source, created_at) VALUES ('x', 'fax', 't')"));
  CHECK_FALSE(accepts(store, "INSERT INTO contact (name, created_at) VALUES ('  ', 't')"));
  for (auto kind : domain::event_kinds) {
    CHECK(accepts(store, "INSERT INTO event (name, kind, date, created_at) VALUES ('e', '" +
                             std::string(kind) + "', '2026-01-02', 't')"));
  }
  CHECK_FALSE(accepts(
      store,
      "INSERT INTO event (name, kind, date, created_at) VALUES ('e', 'party', '2026-01-02', 't')"));
  for (auto urgency : domain::urgencies) {
    CHECK(accepts(store,
                  "INSERT INTO referral (direction, contact_id, patient, urgency, referred_at, "
                  "acknowledge_due, created_at) VALUES ('in', 1, 'p', '" +
                      std::string(urgency) + "', 't', 't', 't')"));
  }
  for (auto status : domain::all_statuses) {
    const std::string word(domain::to_string(status));
    CHECK(accepts(store,
                  "INSERT INTO referral (direction, contact_id, patient, status, decline_reason, "
                  "referred_at, acknowledge_due, created_at) VALUES ('out', 1, 'p', '" +
                      word + "', 'r', 't', 't', 't')"));
  }
  CHECK_FALSE(accepts(store,
                      "INSERT INTO referral (direction, contact_id, patient, referred_at, "
                      "acknowledge_due, created_at) VALUES ('sideways', 1, 'p', 't', 't', 't')"));
  CHECK_FALSE(accepts(store,
                      "INSERT INTO referral (direction, contact_id, patient, status, "
                      "referred_at, acknowledge_due, created_at) VALUES ('in', 1, 'p', 'declined', "
                      "'t', 't', 't')"));
  for (auto via : domain::vias) {
    CHECK(accepts(store,
                  "INSERT INTO touchpoint (contact_id, via, created_at, done_at) VALUES (1, '" +
                      std::string(via) + "', 't', 't')"));
  }
  CHECK_FALSE(accepts(
      store,
      "INSERT INTO touchpoint (contact_id, via, created_at, done_at) VALUES (1, 'fax', 't', 't')"));
  CHECK_FALSE(accepts(
      store, "INSERT INTO touchpoint (contact_id, via, created_at) VALUES (1, 'call', 't')"));
}

TEST_CASE("foreign keys are enforced") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  CHECK_FALSE(accepts(store,
                      "INSERT INTO referral (direction, contact_id, patient, referred_at, "
                      "acknowledge_due, created_at) VALUES ('in', 42, 'p', 't', 't', 't')"));
}

TEST_CASE(
    "foreign keys go unchecked only while UncheckedKeys lives, and never inside a transaction") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  const auto keys = [&] { return store.database().execAndGet("PRAGMA foreign_keys").getInt(); };
  const std::string orphan =
      "INSERT INTO referral (direction, contact_id, patient, referred_at, "
      "acknowledge_due, created_at) VALUES ('in', 42, 'p', 't', 't', 't')";
  {
    const SqliteStore::UncheckedKeys unchecked(store);
    CHECK(keys() == 0);
    CHECK(accepts(store, orphan));
  }
  CHECK(keys() == 1);
  CHECK(store.foreign_key_problems().size() == 1);  // db check still finds what went unchecked
  CHECK_FALSE(accepts(store, orphan));
  {
    Store::WriteTransaction tx(store);
    CHECK_THROWS_AS(SqliteStore::UncheckedKeys{store}, std::logic_error);
    CHECK(keys() == 1);
  }
}

TEST_CASE("last_id is the largest id of a table, 0 when it is empty") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  CHECK(store.last_id("contact") == 0);
  add_contact(store, "Ann Lee");
  store.database().exec("INSERT INTO contact (id, name, created_at) VALUES (40, 'Bob Stone', 't')");
  CHECK(store.last_id("contact") == 40);
  CHECK(store.last_id("referral") == 0);
  CHECK(store.has_rows("contact"));
  CHECK_FALSE(store.has_rows("touchpoint"));
  CHECK_THROWS_AS(store.last_id("contact; DROP TABLE contact"), Error);
  CHECK_THROWS_AS(store.has_rows("secret"), Error);
  // db copy asks whether the trail and the voided records are empty too.
  CHECK_FALSE(store.has_rows("voided"));
  CHECK_FALSE(store.has_rows("audit"));
}

TEST_CASE("two active contacts cannot share an NPI, an archived one can") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  ContactFields a;
  a.name = "A";
  a.npi = "1234567893";
  const auto first = insert_contact(store, a, t0);
  CHECK_THROWS(insert_contact(store, a, t0));
  archive_contact(store, first, t0);
  CHECK_NOTHROW(insert_contact(store, a, t0));
  CHECK_FALSE(
      accepts(store, "INSERT INTO contact (name, npi, created_at) VALUES ('x', '123', 't')"));
}

TEST_CASE("the audit trail is append-only and diffs old against new") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  const auto id = add_contact(store, "Dr. Ann Lee");
  const auto before = refnet::record::contact().snapshot(*store.contact(id));
  auto fields = static_cast<ContactFields>(*store.contact(id));
  fields.role = "pcp";
  fields.npi = "1234567893";
  update_contact(store, id, fields);
  store.audit("edit", "contact", id, before, refnet::record::contact().snapshot(*store.contact(id)),
              "tester", t0, std::nullopt);
  CHECK_FALSE(accepts(store, "UPDATE audit SET actor = 'mallory'"));
  CHECK_FALSE(accepts(store, "DELETE FROM audit"));
  int entries = 0;
  store.each_audit(std::nullopt, std::nullopt, std::nullopt, [&](const AuditEntry& a) {
    ++entries;
    REQUIRE(a.changes.size() == 2);
    CHECK(a.changes[0].field == "role");
    CHECK(a.changes[0].old_value == "\"other\"");
    CHECK(a.changes[0].new_value == "\"pcp\"");
    CHECK(a.changes[1].field == "npi");
    CHECK_FALSE(a.changes[1].old_value.has_value());
  });
  CHECK(entries == 1);
}

TEST_CASE("name matching is literal and case-insensitive") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  add_contact(store, "Dr. Ann Lee");
  add_contact(store, "100% Care_Clinic");
  CHECK(store.contacts_matching("ANN").size() == 1);
  CHECK(store.contacts_matching("%").size() == 1);
  CHECK(store.contacts_matching("_").size() == 1);
  CHECK(store.contacts_matching("zzz").empty());
}

TEST_CASE("merging moves history to the contact kept") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  const auto keep = add_contact(store, "Dr. Ann Lee");
  ContactFields dup_fields;
  dup_fields.name = "Ann Lee MD";
  dup_fields.phone = "555-0100";
  dup_fields.tags = {"diabetes"};
  const auto dup = insert_contact(store, dup_fields, t0);
  Referral r;
  r.contact_id = dup;
  r.patient = "MRN-1";
  r.referred = t0;
  r.acknowledge_due = t0 + 48h;
  const auto referral = insert_referral(store, r, t0);
  store.merge_contacts(keep, dup, t0);
  CHECK(store.referral(referral)->contact_id == keep);
  const auto kept = *store.contact(keep);
  CHECK(kept.phone == "555-0100");
  CHECK(kept.tags == std::vector<std::string>{"diabetes"});
  const auto merged = *store.contact(dup);
  CHECK(merged.archived.has_value());
  CHECK(merged.merged_into == keep);
}

TEST_CASE("the report queries count a period in SQL") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  const auto ann = add_contact(store, "Ann Lee");
  const auto bob = add_contact(store, "Bob Stone");
  auto refer = [&](std::int64_t contact, domain::Direction direction, domain::Timestamp when) {
    Referral r;
    r.contact_id = contact;
    r.direction = direction;
    r.patient = "P";
    r.referred = when;
    r.acknowledge_due = when + 48h;
    return insert_referral(store, r, when);
  };
  const auto in1 = refer(ann, domain::Direction::in, t0 - 240h);
  refer(ann, domain::Direction::in, t0 - 120h);
  refer(bob, domain::Direction::out, t0 - 72h);
  refer(bob, domain::Direction::out, t0 + 1h);  // after as-of: never counted
  StatusChange closed;
  closed.to = domain::Status::closed;
  closed.at = t0 - 200h;
  change_status(store, in1, closed);

  const auto end = t0 + 1s;
  const auto counts = store.summary_counts(t0 - 168h, end, t0, t0 + 168h);
  CHECK(counts.referrals_in == 1);
  CHECK(counts.referrals_out == 1);
  CHECK(counts.closed == 0);  // the closed one was made before the period
  CHECK(counts.open == 2);    // the second inbound and the first outbound
  const auto all_time = store.summary_counts(std::nullopt, end, t0, t0 + 168h);
  CHECK(all_time.referrals_in == 2);
  CHECK(all_time.closed == 1);
  // As of before the closing, the first referral was still open.
  CHECK(store.summary_counts(std::nullopt, t0 - 210h, t0 - 210h, t0).open == 1);

  auto rows = store.reciprocity_counts(std::nullopt, end);
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.referrals_in + a.referrals_out > b.referrals_in + b.referrals_out;
  });
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].contact_name == "Ann Lee");
  CHECK(rows[0].referrals_in == 2);
  CHECK(rows[0].last_in == t0 - 120h);
  CHECK_FALSE(rows[0].last_out);
  CHECK(rows[1].referrals_out == 1);

  const auto buckets = store.referral_counts({t0 - 336h, t0 - 168h, t0 - 24h, end});
  REQUIRE(buckets.size() == 3);
  CHECK(buckets[0].referrals_in == 1);
  CHECK(buckets[1].referrals_in == 1);
  CHECK(buckets[1].referrals_out == 1);
  CHECK(buckets[2].referrals_in + buckets[2].referrals_out == 0);  // an empty bucket still counts
}

namespace {

// A small deterministic generator: the same referrals on every run.
struct Lcg {
  std::uint64_t state = 42;
  std::int64_t below(std::int64_t n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::int64_t>((state >> 33) % static_cast<std::uint64_t>(n));
  }
};

// Referrals either way over ten days, many within minutes of a UTC midnight; some closed, a few
// of those closed before they were made (an import can say so) or long after.
void add_referrals_around_midnights(SqliteStore& store, std::int64_t contact, int count) {
  Lcg random;
  const domain::Timestamp start = std::chrono::floor<std::chrono::days>(t0) - 240h;
  for (int i = 0; i < count; ++i) {
    Referral r;
    r.contact_id = contact;
    r.direction = random.below(3) == 0 ? domain::Direction::out : domain::Direction::in;
    r.patient = fmt::format("P{}", i);
    const auto day = std::chrono::hours(24 * random.below(10));
    const auto near_midnight = random.below(2) == 0;
    r.referred = start + day +
                 (near_midnight ? std::chrono::seconds(random.below(600) - 300)
                                : std::chrono::seconds(random.below(86400)));
    r.acknowledge_due = r.referred + 48h;
    const auto id = insert_referral(store, r, r.referred);
    if (random.below(2) == 0) {
      StatusChange closed;
      closed.to = domain::Status::closed;
      closed.at = r.referred + std::chrono::seconds(random.below(20 * 86400) - 86400);
      change_status(store, id, closed);
    }
  }
}

// What summary counted before the kept counts: every referral of the period, off the table.
std::array<std::int64_t, 3> counted_off_the_referrals(SqliteStore& store, const std::string& since,
                                                      const std::string& end,
                                                      const std::string& as_of) {
  SQLite::Statement s(store.database(), R"sql(
    SELECT coalesce(sum(direction = 'in'), 0), coalesce(sum(direction = 'out'), 0),
           coalesce(sum(closed_at >= referred_at AND closed_at <= ?3), 0)
    FROM referral WHERE referred_at >= ?1 AND referred_at < ?2)sql");
  s.bind(1, since);
  s.bind(2, end);
  s.bind(3, as_of);
  REQUIRE(s.executeStep());
  return {s.getColumn(0).getInt64(), s.getColumn(1).getInt64(), s.getColumn(2).getInt64()};
}

}  // namespace

TEST_CASE("the kept per-day referral counts follow every write") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  const auto ann = add_contact(store, "Ann Lee");
  const auto bob = add_contact(store, "Bob Stone");
  add_referrals_around_midnights(store, ann, 300);
  CHECK(store.count_problems().empty());
  CHECK(store.database().execAndGet("SELECT sum(referrals) FROM referral_day").getInt() == 300);

  store.merge_contacts(bob, ann, t0);  // moves every referral: no day changes
  CHECK(store.count_problems().empty());
  // What no command does but sqlite3 can: the triggers keep the counts all the same.
  store.database().exec(
      "UPDATE referral SET referred_at = '2026-11-20T23:59:59Z' WHERE id % 7 = 0");
  store.database().exec("UPDATE referral SET direction = 'out' WHERE id % 5 = 0");
  store.database().exec("UPDATE referral SET closed_at = NULL, status = 'new' WHERE id % 11 = 0");
  store.database().exec("DELETE FROM touchpoint WHERE referral_id % 3 = 0");
  store.database().exec("DELETE FROM referral WHERE id % 3 = 0");
  CHECK(store.count_problems().empty());

  // A closing time on a referral that is not closed is found too: summary relies on none.
  auto& db = store.database();
  const auto open_id =
      db.execAndGet("SELECT min(id) FROM referral WHERE status = 'new'").getInt64();
  const auto closed_id =
      db.execAndGet("SELECT min(id) FROM referral WHERE status = 'closed'").getInt64();
  db.exec(fmt::format("UPDATE referral SET closed_at = referred_at WHERE id = {}", open_id));
  db.exec(fmt::format("UPDATE referral SET status = 'new' WHERE id = {}", closed_id));
  const auto closings = store.count_problems();
  REQUIRE(closings.size() == 2);
  CHECK(closings[0] ==
        fmt::format("referral {} has a closing time but is new: only a closed one may",
                    std::min(open_id, closed_id)));
  CHECK(closings[1].find(fmt::format("referral {} ", std::max(open_id, closed_id))) == 0);
  db.exec("UPDATE referral SET closed_at = NULL WHERE status <> 'closed'");
  CHECK(store.count_problems().empty());

  // The check finds counts that went wrong, naming the day.
  store.database().exec(
      "UPDATE referral_day SET closed = closed + 1 WHERE day = '2026-11-20' AND direction = 'in'");
  const auto problems = store.count_problems();
  REQUIRE(problems.size() == 1);
  CHECK(problems.front().find("2026-11-20 in") != std::string::npos);
}

namespace {

// The schema's indexes and triggers of referral and touchpoint, by name and definition.
std::vector<std::string> secondary_schema(SqliteStore& store) {
  SQLite::Statement s(store.database(), R"sql(
    SELECT type || ' ' || name || ': ' || sql FROM sqlite_master
    WHERE type IN ('index', 'trigger') AND tbl_name IN ('referral', 'touchpoint')
      AND sql IS NOT NULL ORDER BY type, name)sql");
  std::vector<std::string> out;
  while (s.executeStep()) out.push_back(s.getColumn(0).getString());
  return out;
}

std::string kept_days(SqliteStore& store) {
  return store.database()
      .execAndGet(
          "SELECT coalesce(group_concat(direction || day || ':' || referrals || '/' || "
          "closed, ' '), '') FROM (SELECT * FROM referral_day WHERE referrals > 0 "
          "ORDER BY day, direction)")
      .getString();
}

}  // namespace

// demo and import into an empty table load without the per-day trigger and count once at the
// end: the counts, indexes and triggers come out as the row-by-row writes leave them.
TEST_CASE("a bulk load counts the kept per-day counts once and restores their triggers") {
  auto by_rows_owner = SqliteStore::open_memory();
  auto& by_rows = *by_rows_owner;
  add_referrals_around_midnights(by_rows, add_contact(by_rows, "Ann Lee"), 300);

  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  const auto ann = add_contact(store, "Ann Lee");
  const auto schema = secondary_schema(store);
  {
    Store::WriteTransaction tx(store);
    SqliteStore::DeferredIndexes bulk(store, {"referral", "touchpoint"});
    CHECK(store.database()
              .execAndGet("SELECT count(*) FROM sqlite_master WHERE name LIKE 'referral_day_%'")
              .getInt() == 0);
    add_referrals_around_midnights(store, ann, 300);
    CHECK(kept_days(store).empty());  // nothing counted during the load
    bulk.finish();
    tx.commit();
  }
  CHECK(secondary_schema(store) == schema);
  CHECK(store.count_problems().empty());
  CHECK(kept_days(store) == kept_days(by_rows));
  CHECK(kept_days(store).find("/") != std::string::npos);
  // The restored trigger counts the next write.
  add_referrals_around_midnights(store, ann, 10);
  CHECK(store.count_problems().empty());

  // A load that rolls back leaves the indexes and triggers it dropped.
  {
    Store::WriteTransaction tx(store);
    SqliteStore::DeferredIndexes bulk(store, {"referral", "touchpoint"});
    add_referrals_around_midnights(store, ann, 5);
  }
  CHECK(secondary_schema(store) == schema);
  CHECK(store.count_problems().empty());
}

// demo fills the file it made with the rollback journal, and leaves it in WAL; with another
// connection on the file it stays in WAL, without waiting for that connection to go.
TEST_CASE("a whole-database load takes the rollback journal only with the file to itself") {
  ScratchDir dir;
  const auto file = dir.path / "load.db";
  auto store_owner = SqliteStore::open(file, 5000ms, Store::Open::create);
  auto& store = *store_owner;
  const auto mode = [&] { return store.database().execAndGet("PRAGMA journal_mode").getString(); };
  REQUIRE(mode() == "wal");
  {
    const SqliteStore::RollbackJournal journal(store);
    CHECK(journal.taken());
    CHECK(mode() == "delete");
    CHECK(store.database().execAndGet("PRAGMA synchronous").getInt() == 2);  // FULL
    Store::WriteTransaction tx(store);
    add_contact(store, "Ann Lee");
    tx.commit();
  }
  CHECK(mode() == "wal");
  CHECK(store.database().execAndGet("PRAGMA synchronous").getInt() == 1);  // NORMAL
  CHECK_FALSE(std::filesystem::exists(dir.path / "load.db-journal"));

  SQLite::Database other(file.string(), SQLite::OPEN_READONLY);
  CHECK(other.execAndGet("SELECT count(*) FROM contact").getInt() == 1);
  const auto started = std::chrono::steady_clock::now();
  {
    const SqliteStore::RollbackJournal journal(store);
    CHECK_FALSE(journal.taken());
    CHECK(mode() == "wal");
  }
  CHECK(std::chrono::steady_clock::now() - started < 2500ms);  // not the 5 s busy timeout
  CHECK(mode() == "wal");
}

// SQLite switches a file to WAL, as every open does, only with the file to itself, and gives up at
// once instead of calling the busy handler: open waits for a rollback-mode writer (a demo
// filling the file) within the busy timeout, and no longer.
TEST_CASE("opening waits within the busy timeout for a writer in rollback mode") {
  ScratchDir dir;
  const auto file = dir.path / "fill.db";
  { auto created = SqliteStore::open(file, 1000ms, Store::Open::create); }
  SQLite::Database holder(file.string(), SQLite::OPEN_READWRITE);
  REQUIRE(holder.execAndGet("PRAGMA journal_mode = DELETE").getString() == "delete");
  holder.exec("BEGIN IMMEDIATE");
  holder.exec("INSERT INTO contact (name, created_at) VALUES ('Ann Lee', '2026-11-27T09:00:00Z')");

  auto started = std::chrono::steady_clock::now();
  try {
    SqliteStore::open(file, 300ms, Store::Open::existing);
    FAIL("opened a file another connection is writing in rollback mode");
  } catch (const refnet::Error& e) {
    CHECK(e.code() == refnet::Exit::locked);
  }
  const auto waited = std::chrono::steady_clock::now() - started;
  CHECK(waited >= 250ms);
  CHECK(waited < 1500ms);

  std::thread commit([&] {
    std::this_thread::sleep_for(200ms);
    holder.exec("COMMIT");
  });
  started = std::chrono::steady_clock::now();
  auto store_owner = SqliteStore::open(file, 5000ms, Store::Open::existing);
  auto& store = *store_owner;
  commit.join();
  CHECK(std::chrono::steady_clock::now() - started < 3000ms);
  CHECK(store.database().execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK(store.database().execAndGet("SELECT count(*) FROM contact").getInt() == 1);
}

TEST_CASE("summary counts whole days kept and part days off the referrals alike") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  add_referrals_around_midnights(store, add_contact(store, "Ann Lee"), 400);
  const domain::Timestamp midnight = std::chrono::floor<std::chrono::days>(t0);
  std::vector<std::optional<domain::Timestamp>> starts{std::nullopt};
  std::vector<domain::Timestamp> ends;
  for (const auto offset : {-241h, -240h, -200h, -97h, -96h, -1h, 0h, 1h, 30h}) {
    starts.emplace_back(midnight + offset + 17s);
    starts.emplace_back(midnight + offset);
    ends.push_back(midnight + offset + 17s);
    ends.push_back(midnight + offset);
  }
  int compared = 0;
  for (const auto& since : starts) {
    for (const auto end : ends) {
      for (const auto as_of : {midnight - 120h, midnight - 48h + 5s, t0, midnight + 480h}) {
        CAPTURE(since ? domain::format_utc(*since) : std::string("(none)"));
        CAPTURE(domain::format_utc(end));
        CAPTURE(domain::format_utc(as_of));
        const auto counts = store.summary_counts(since, end, as_of, as_of + 168h);
        const auto expected =
            counted_off_the_referrals(store, since ? domain::format_utc(*since) : std::string(),
                                      domain::format_utc(end), domain::format_utc(as_of));
        CHECK(counts.referrals_in == expected[0]);
        CHECK(counts.referrals_out == expected[1]);
        CHECK(counts.closed == expected[2]);
        ++compared;
      }
    }
  }
  CHECK(compared == 19 * 18 * 4);
  // Not a test that passes on nothing: the ten days hold all the referrals, and closings.
  const auto all = store.summary_counts(std::nullopt, midnight + 480h, midnight + 480h, t0);
  CHECK(all.referrals_in + all.referrals_out == 400);
  CHECK(all.closed > 100);
}

TEST_CASE("the overdue count is the number of items the overdue list holds") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  const auto ann = add_contact(store, "Ann Lee");
  add_referrals_around_midnights(store, ann, 200);
  // Seen referrals owe a report; a few referrals stay new past their due acknowledgement.
  store.database().exec(
      "UPDATE referral SET status = 'seen', seen_at = referred_at, report_due = "
      "strftime('%Y-%m-%dT%H:%M:%SZ', referred_at, '+3 days') WHERE status = 'new' AND id % 2 = 0");
  for (int i = 0; i < 6; ++i) {
    Touchpoint plan;
    plan.contact_id = ann;
    plan.due = t0 - std::chrono::hours(24 * i);
    plan.created = t0 - 240h;
    if (i == 5) plan.done_at = t0 - 1h;  // done: owed no more
    store.add_touchpoint(plan);
  }
  // Contacts out of touch: one quiet, one quiet but archived (never listed).
  ContactFields quiet;
  quiet.name = "Quiet One";
  insert_contact(store, quiet, t0 - 24h * 200);
  quiet.name = "Quiet Archived";
  archive_contact(store, insert_contact(store, quiet, t0 - 24h * 200), t0 - 24h * 100);
  int nonzero = 0;
  for (const auto now : {t0 - 240h, t0 - 120h, t0, t0 + 24h * 400}) {
    const auto cutoff = now - 24h * 90;
    CAPTURE(domain::format_utc(now));
    // Each way of asking, at the present (off the indexes of open items) and rebuilt from the
    // stamps as it stood then: each list matches its count.
    std::vector<std::string> lists[2];
    for (const bool present : {true, false}) {
      auto& items = lists[present ? 0 : 1];
      store.each_overdue(AsOf(now, present), cutoff, [&](const OverdueItem& i) {
        items.push_back(fmt::format("{} {} {} {} {}", i.kind, i.contact_id,
                                    i.referral_id.value_or(0), i.touchpoint_id.value_or(0),
                                    domain::format_utc(i.due)));
      });
      const auto counts = store.count_overdue(AsOf(now, present), cutoff);
      CHECK(counts.total() == static_cast<std::int64_t>(items.size()));
      CHECK(counts.followup == std::count_if(items.begin(), items.end(), [](const std::string& i) {
              return i.starts_with("followup ");
            }));
    }
    // Once nothing is stamped after as-of the two agree item for item.
    if (now > t0) CHECK(lists[0] == lists[1]);
    nonzero += lists[1].empty() ? 0 : 1;
  }
  CHECK(nonzero >= 3);
}

TEST_CASE("a past as-of sees the overdue list as it stood then") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  const auto ann = insert_contact(
      store,
      [] {
        ContactFields f;
        f.name = "Ann Lee";
        return f;
      }(),
      t0 - 24h * 30);
  // Made ten days ago, due eight days ago, acknowledged two days ago: owed in between.
  Referral r;
  r.direction = domain::Direction::in;
  r.contact_id = ann;
  r.patient = "P-1";
  r.referred = t0 - 240h;
  r.acknowledge_due = t0 - 192h;
  const auto id = insert_referral(store, r, r.referred);
  StatusChange acknowledged;
  acknowledged.to = domain::Status::acknowledged;
  acknowledged.at = t0 - 48h;
  change_status(store, id, acknowledged);
  // A plan due five days ago, satisfied by a call yesterday; one made only after as-of.
  Touchpoint plan;
  plan.contact_id = ann;
  plan.due = t0 - 120h;
  plan.created = t0 - 200h;
  const auto plan_id = store.add_touchpoint(plan);
  Touchpoint call;
  call.contact_id = ann;
  call.done_at = t0 - 24h;
  call.created = t0 - 24h;
  const auto call_id = store.add_touchpoint(call);
  store.database().exec(
      fmt::format("UPDATE touchpoint SET satisfied_by = {} WHERE id = {}", call_id, plan_id));
  Touchpoint later = plan;
  later.created = t0 - 12h;
  store.add_touchpoint(later);
  auto kinds = [&](Timestamp at) {
    std::vector<std::string> out;
    const bool present = at >= t0;
    store.each_overdue(AsOf(at, present), at - 24h * 365,
                       [&](const OverdueItem& i) { out.push_back(i.kind); });
    return out;
  };
  CHECK(kinds(t0) == std::vector<std::string>{"followup"});  // the later plan only
  CHECK(kinds(t0 - 72h) == std::vector<std::string>{"acknowledge", "followup"});
  CHECK(kinds(t0 - 36h) == std::vector<std::string>{"followup"});
  CHECK(kinds(t0 - 200h).empty());  // before anything fell due
  const auto counts = store.summary_counts(std::nullopt, t0 - 72h, AsOf(t0 - 72h, false), t0);
  CHECK(counts.open == 1);
  const auto owed = store.count_overdue(AsOf(t0 - 72h, false), t0 - 72h - 24h * 365);
  CHECK(owed.acknowledge == 1);
  CHECK(owed.followup == 1);
  CHECK(owed.total() == 2);
}

TEST_CASE("upcoming lists the plans and appointments of the coming days as they stood then") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  const auto ann = add_contact(store, "Ann Lee");
  Referral r;
  r.direction = domain::Direction::out;
  r.contact_id = ann;
  r.patient = "P-1";
  r.referred = t0 - 240h;
  r.acknowledge_due = t0 - 192h;
  const auto id = insert_referral(store, r, r.referred);
  StatusChange scheduled;
  scheduled.to = domain::Status::scheduled;
  scheduled.at = t0 - 48h;
  scheduled.appointment = t0 + 72h;
  change_status(store, id, scheduled);
  Touchpoint plan;
  plan.contact_id = ann;
  plan.via = "email";
  plan.due = t0 + 24h;
  plan.created = t0 - 100h;
  store.add_touchpoint(plan);
  plan.due = t0 + 24h * 9;  // beyond the week
  store.add_touchpoint(plan);
  const auto kinds = [&](Timestamp at, bool present) {
    std::vector<std::string> out;
    for (const auto& item : store.upcoming(AsOf(at, present), at + 24h * 7)) {
      out.push_back(item.kind + " " + domain::format_utc(item.at));
    }
    return out;
  };
  const std::vector<std::string> now{"followup 2026-11-28T09:00:00Z",
                                     "appointment 2026-11-30T09:00:00Z"};
  CHECK(kinds(t0, true) == now);
  CHECK(kinds(t0, false) == now);
  // Before it was scheduled, the appointment was not booked yet; the plan was already made.
  CHECK(kinds(t0 - 72h, false) == std::vector<std::string>{"followup 2026-11-28T09:00:00Z"});
}

TEST_CASE("referrer_touches gives the period's referrers and their last touchpoint by as-of") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  const auto ann = add_contact(store, "Ann Lee");
  const auto bob = add_contact(store, "Bob Stone");
  for (const auto& [who, at] :
       {std::pair{ann, t0 - 72h}, std::pair{ann, t0 - 48h}, std::pair{bob, t0 - 24h * 30}}) {
    Referral r;
    r.contact_id = who;
    r.patient = "P";
    r.referred = at;
    r.acknowledge_due = at + 24h;
    insert_referral(store, r, at);
  }
  Touchpoint call;
  call.contact_id = ann;
  call.done_at = t0 - 24h;
  call.created = t0 - 24h;
  store.add_touchpoint(call);
  const auto rows = store.referrer_touches(t0 - 24h * 7, t0, t0);
  REQUIRE(rows.size() == 1);  // Bob referred before the period
  CHECK(rows[0].contact_id == ann);
  CHECK(rows[0].referrals == 2);
  CHECK(rows[0].last_referral == t0 - 48h);
  CHECK(rows[0].last_touch == t0 - 24h);
  // As of two days ago the call had not happened yet.
  CHECK_FALSE(store.referrer_touches(t0 - 24h * 7, t0 - 36h, t0 - 36h).at(0).last_touch);
}

// Every index is rebuilt by each bulk load and written by each insert (migration 8): these are
// all of referral's and touchpoint's, and each is there.
TEST_CASE("the migrations leave exactly the indexes the reports read") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  SQLite::Statement s(store.database(), R"sql(
    SELECT group_concat(name, ' ') FROM (
      SELECT name FROM sqlite_master
      WHERE type = 'index' AND tbl_name IN ('referral', 'touchpoint') AND sql IS NOT NULL
      ORDER BY name))sql");
  REQUIRE(s.executeStep());
  CHECK(s.getColumn(0).getString() ==
        "referral_appointment_passed referral_contact_history referral_ended referral_open "
        "referral_referred "
        "referral_report_owed referral_steps referral_unacknowledged touchpoint_contact "
        "touchpoint_open_plan touchpoint_plan touchpoint_referral");
}

namespace {

// The plan SQLite makes for `sql`, for the tests whose point is that a query uses an index: they
// look for the index by name, never for the plan's wording, which changes between versions.
std::string query_plan(SqliteStore& store, const std::string& sql) {
  SQLite::Statement s(store.database(), "EXPLAIN QUERY PLAN " + sql);
  std::string out;
  while (s.executeStep()) out += s.getColumn(3).getString() + "\n";
  return out;
}

// Runs a bound statement and says whether SQLite accepted it.
bool executes(SQLite::Statement& s) {
  try {
    s.exec();
    return true;
  } catch (const SQLite::Exception&) {
    return false;
  }
}

const char* const insert_referral_sql =
    "INSERT INTO referral (direction, contact_id, patient, urgency, referred_at, acknowledge_due, "
    "status, decline_reason, created_at) VALUES (?1, 1, 'p', ?2, 't', 't', ?3, 'r', 't')";
const char* const insert_touchpoint_sql =
    "INSERT INTO touchpoint (contact_id, via, origin, created_at, due) VALUES (1, ?1, ?2, 't', "
    "'t')";

}  // namespace

// Before schema 5, each CHECK against a list of words made SQLite build a temporary table on
// every row written, a third of a bulk insert's time: the checks are comparisons now (the
// migration test below finds no list left in the stored definitions), and they still refuse
// every word the lists refused.
TEST_CASE("the word checks written as comparisons refuse what the lists refused") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  add_contact(store, "Ann");
  const auto referral = [&](const std::string& urgency, const std::string& status) {
    SQLite::Statement s(store.database(), insert_referral_sql);
    s.bind(1, "in");
    s.bind(2, urgency);
    s.bind(3, status);
    return executes(s);
  };
  const auto touchpoint = [&](const std::string& via, const std::string& origin) {
    SQLite::Statement s(store.database(), insert_touchpoint_sql);
    s.bind(1, via);
    s.bind(2, origin);
    return executes(s);
  };
  for (const auto urgency : domain::urgencies) CHECK(referral(std::string(urgency), "new"));
  for (const auto status : domain::all_statuses) {
    CHECK(referral("routine", std::string(domain::to_string(status))));
  }
  for (const char* word : {"soon", "Routine", "", "routine "}) CHECK_FALSE(referral(word, "new"));
  for (const char* word : {"open", "New", "", "no_show"}) CHECK_FALSE(referral("routine", word));
  for (const auto via : domain::vias) CHECK(touchpoint(std::string(via), "manual"));
  for (const char* origin : {"manual", "after-referral", "after-meeting"}) {
    CHECK(touchpoint("call", origin));
  }
  for (const char* word : {"fax", "Call", ""}) CHECK_FALSE(touchpoint(word, "manual"));
  for (const char* word : {"auto", "Manual", ""}) CHECK_FALSE(touchpoint("call", word));
  SQLite::Statement nulls(store.database(),
                          "INSERT INTO referral (direction, contact_id, patient, urgency, "
                          "referred_at, acknowledge_due, created_at) VALUES ('in', 1, 'p', NULL, "
                          "'t', 't', 't')");
  CHECK_THROWS_AS(nulls.exec(), SQLite::Exception);  // NOT NULL still holds
}

TEST_CASE("the open and ended conditions are the ones the partial indexes answer") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  CHECK(
      query_plan(store, fmt::format("SELECT count(*) FROM referral WHERE {} AND referred_at <= 'x'",
                                    open_status_condition))
          .find("referral_open") != std::string::npos);
  CHECK(query_plan(store,
                   fmt::format("SELECT count(*) FROM referral WHERE {} AND coalesce(closed_at, "
                               "declined_at, cancelled_at, no_show_at) > 'x'",
                               ended_status_condition))
            .find("referral_ended") != std::string::npos);
}

// Schema 9: the overdue list's referrals (new ones past their acknowledgement, seen ones owing a
// report) are read off their partial indexes, which hold every column the list shows.
TEST_CASE("the overdue list's referral debts are read off their partial indexes") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  CHECK(query_plan(store,
                   "SELECT r.id, r.direction, r.contact_id, r.patient, r.acknowledge_due "
                   "FROM referral r WHERE r.status = 'new' AND r.acknowledge_due < 'x'")
            .find("referral_unacknowledged") != std::string::npos);
  CHECK(query_plan(store,
                   "SELECT r.id, r.direction, r.contact_id, r.patient, r.report_due "
                   "FROM referral r WHERE r.status = 'seen' AND r.report_due < 'x'")
            .find("referral_report_owed") != std::string::npos);
}

TEST_CASE("a version 4 database with rows is migrated to the latest schema intact") {
  ScratchDir dir;
  const auto file = dir.path / "v4.db";
  write_database_at(file, 4, R"sql(
      INSERT INTO contact (id, name, created_at) VALUES (1, 'Dr. Old', '2025-01-01T00:00:00Z');
      INSERT INTO referral (id, direction, contact_id, patient, urgency, referred_at,
                            acknowledge_due, status, acknowledged_at, created_at)
      VALUES (1, 'in', 1, 'P1', 'urgent', '2025-02-01T09:00:00Z', '2025-02-02T09:00:00Z',
              'acknowledged', '2025-02-01T12:00:00Z', '2025-02-01T09:00:00Z');
      INSERT INTO touchpoint (id, contact_id, referral_id, via, origin, created_at, due)
      VALUES (1, 1, 1, 'letter', 'after-referral', '2025-02-01T09:00:00Z', '2025-02-08T09:00:00Z');
    )sql");
  auto store_owner = SqliteStore::open(file, 1000ms, Store::Open::existing);
  auto& store = *store_owner;
  CHECK(store.schema_version() == SqliteStore::newest_version());
  CHECK(store.database().execAndGet("PRAGMA integrity_check").getString() == "ok");
  const auto referral = store.referral(1);
  REQUIRE(referral);
  CHECK(referral->patient == "P1");
  CHECK(referral->urgency == domain::Urgency::urgent);
  CHECK(referral->status == domain::Status::acknowledged);
  CHECK(store.database().execAndGet("SELECT via || ' ' || origin FROM touchpoint").getString() ==
        "letter after-referral");
  // The virtual turnaround columns of versions 2-7 are gone; turnaround reads referral_steps.
  CHECK(store.database()
            .execAndGet("SELECT count(*) FROM pragma_table_xinfo('referral') WHERE "
                        "name LIKE '%_secs' OR name IN ('referred_epoch', 'last_step_at')")
            .getInt() == 0);
  const auto durations = store.step_durations(std::nullopt, t0, t0);
  const auto& acknowledged_in = durations.values[0][0];
  REQUIRE(acknowledged_in.size() == 1);  // an urgent referral acknowledged after three hours
  CHECK((acknowledged_in[0] >> StepDurations::urgency_bits) == 3 * 3600);
  CHECK((acknowledged_in[0] & 3) == 1);
  // The stored definitions hold no list any more, and still refuse other words.
  for (const char* table : {"referral", "touchpoint"}) {
    CAPTURE(table);
    SQLite::Statement s(store.database(), "SELECT sql FROM sqlite_schema WHERE name = ?1");
    s.bind(1, table);
    REQUIRE(s.executeStep());
    const auto sql = s.getColumn(0).getString();
    for (const char* list : {"urgency IN", "status IN", "via IN", "origin IN"}) {
      CHECK_MESSAGE(sql.find(list) == std::string::npos, list);
    }
  }
  CHECK_FALSE(accepts(store, "UPDATE referral SET status = 'open' WHERE id = 1"));
  CHECK_FALSE(accepts(store, "UPDATE touchpoint SET origin = 'auto' WHERE id = 1"));
  CHECK(store.database()
            .execAndGet("SELECT count(*) FROM sqlite_schema WHERE name = 'referral_contact'")
            .getInt() == 0);
  // Version 7 counted the referrals already there.
  CHECK(store.database()
            .execAndGet("SELECT direction || ' ' || day || ' ' || referrals || ' ' || closed FROM "
                        "referral_day")
            .getString() == "in 2025-02-01 1 0");
  CHECK(store.count_problems().empty());
}

namespace {

// Statements of the connection that are mid-run (stepped to a row and not reset): each holds a
// read transaction open.
int busy_statements(SqliteStore& store) {
  int busy = 0;
  for (sqlite3_stmt* s = sqlite3_next_stmt(store.database().getHandle(), nullptr); s != nullptr;
       s = sqlite3_next_stmt(store.database().getHandle(), s)) {
    busy += sqlite3_stmt_busy(s) != 0 ? 1 : 0;
  }
  return busy;
}

}  // namespace

TEST_CASE("no read leaves a statement open on a row") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  ContactFields fields;
  fields.name = "Ann Lee";
  fields.npi = "1234567893";
  const auto ann = insert_contact(store, fields, t0);
  Referral r;
  r.direction = domain::Direction::in;
  r.contact_id = ann;
  r.patient = "P-1";
  r.urgency = domain::Urgency::routine;
  r.referred = t0;
  r.acknowledge_due = t0 + 48h;
  const auto referral = insert_referral(store, r, t0);
  store.add_secret("redaction", std::vector<unsigned char>(32, 7), t0);
  CHECK(busy_statements(store) == 0);

  CHECK(store.contact(ann));
  CHECK(store.contact_id_by_npi("1234567893") == ann);
  CHECK(store.active_contact_with_npi("1234567893", std::nullopt) == ann);
  CHECK(store.referral(referral));
  CHECK(store.referral(referral)->contact_id == ann);
  CHECK(store.reciprocity(ann).referrals_in == 1);
  CHECK(store.secret("redaction"));
  CHECK(store.has_rows("contact"));
  CHECK(store.exists("contact", ann));
  CHECK(store.contacts_named("ann lee").size() == 1);
  CHECK(store.contact_with_name_and_practice("Ann Lee", std::nullopt, false) == ann);
  CHECK(store.find_referral(domain::Direction::in, ann, "P-1", t0) == referral);
  CHECK(busy_statements(store) == 0);
  // A loop left early (the first row is all a caller wanted) ends its read too.
  bool first = true;
  store.each_contact({}, [&](const Contact&) {
    if (!first) return;
    first = false;
    CHECK(busy_statements(store) == 1);
  });
  CHECK(busy_statements(store) == 0);
}

TEST_CASE("a query run again inside its own loop gets a statement of its own") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  add_contact(store, "Ann Lee");
  add_contact(store, "Bob Stone");
  std::vector<std::string> pairs;
  store.each_contact({}, [&](const Contact& outer) {
    store.each_contact(
        {}, [&](const Contact& inner) { pairs.push_back(outer.name + "/" + inner.name); });
  });
  CHECK(pairs == std::vector<std::string>{"Ann Lee/Ann Lee", "Ann Lee/Bob Stone",
                                          "Bob Stone/Ann Lee", "Bob Stone/Bob Stone"});
}

TEST_CASE("a write after a read waits for the lock instead of failing on a stale snapshot") {
  ScratchDir dir;
  const auto file = dir.path / "refnet.db";
  auto mine_owner = SqliteStore::open(file, 2000ms, Store::Open::create);
  auto& mine = *mine_owner;
  auto other_owner = SqliteStore::open(file, 2000ms, Store::Open::existing);
  auto& other = *other_owner;
  const auto ann = add_contact(mine, "Ann Lee");
  CHECK(mine.contact(ann));  // read: must not keep the snapshot of before the other's write
  {
    Store::WriteTransaction tx(other);
    add_contact(other, "Bob Stone");
    tx.commit();
  }
  Store::WriteTransaction tx(mine);  // threw SQLITE_BUSY_SNAPSHOT when the read stayed open
  add_contact(mine, "Cara Diaz");
  tx.commit();
  CHECK(mine.contacts_matching("").size() == 3);
}

TEST_CASE("every busy and locked code, extended ones too, is exit 75 with a clear message") {
  for (const int code : {SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT, SQLITE_BUSY_RECOVERY,
                         SQLITE_BUSY_TIMEOUT, SQLITE_LOCKED, SQLITE_LOCKED_SHAREDCACHE}) {
    CAPTURE(code);
    const SQLite::Exception e("database is locked", code);
    const auto error = as_error(e);
    REQUIRE(error);
    CHECK(error->code() == Exit::locked);
    CHECK(std::string(error->what()).find("locked") != std::string::npos);
    CHECK(error->hint().find("busy_timeout") != std::string::npos);
  }
}

TEST_CASE("file system failures are told in refnet's words, not SQLite's") {
  struct Case {
    int code;
    Exit exit;
    const char* says;
  };
  for (const auto& c : {Case{SQLITE_READONLY, Exit::cant_create, "read-only"},
                        Case{SQLITE_READONLY_DBMOVED, Exit::cant_create, "read-only"},
                        Case{SQLITE_FULL, Exit::io, "disk holding the database is full"},
                        Case{SQLITE_IOERR_WRITE, Exit::io, "I/O error"},
                        Case{SQLITE_IOERR_FSYNC, Exit::io, "I/O error"},
                        Case{SQLITE_NOMEM, Exit::io, "out of memory"}}) {
    CAPTURE(c.code);
    const SQLite::Exception e("sqlite's own words", c.code);
    const auto error = as_error(e);
    REQUIRE(error);
    CHECK(error->code() == c.exit);
    CHECK(std::string(error->what()).find(c.says) != std::string::npos);
    CHECK(std::string(error->what()).find("sqlite's own words") == std::string::npos);
  }
}

TEST_CASE("a voided record leaves its table whole, and its id is never given again") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  const auto ann = add_contact(store, "Ann Lee");
  const auto r = inbound(ann, t0 - 48h);
  const auto first = insert_referral(store, r, r.referred);
  const auto last = insert_referral(store, r, r.referred);
  Touchpoint call;
  call.contact_id = ann;
  call.referral_id = last;
  call.done_at = t0;
  call.created = t0;
  const auto call_id = store.add_touchpoint(call);

  store.void_record("referral", last, "duplicate", t0);
  CHECK_FALSE(store.referral(last));
  CHECK_FALSE(store.touchpoint(call_id)->referral_id);  // it happened: it stays, about nothing
  const auto voided = store.voided("referral", last);
  REQUIRE(voided);
  CHECK(voided->reason == "duplicate");
  CHECK(voided->patient == "P-1");
  CHECK(voided->name == "Ann Lee");
  CHECK(store.database()
            .execAndGet("SELECT json_extract(record, '$.detached.touchpoints') FROM voided")
            .getString() == fmt::format("[{}]", call_id));
  // SQLite alone would give the greatest live id plus one: the voided one.
  CHECK(insert_referral(store, r, t0) == last + 1);
  CHECK(store.last_id("referral") == last + 1);
  CHECK(store.referral(first));
  std::vector<std::int64_t> listed;
  store.each_voided("referral", [&](const VoidedRecord& v) { listed.push_back(v.id); });
  CHECK(listed == std::vector<std::int64_t>{last});
  CHECK_THROWS_AS(store.void_record("referral", last, "again", t0), std::exception);
}

// --- search (schema 15) ---

TEST_CASE("search: every word is an FTS5 string, the last a prefix") {
  CHECK(detail::fts_query({}).empty());
  CHECK(detail::fts_query({"chest", "pa"}) == R"("chest" "pa"*)");
  // Nothing typed is FTS5 syntax: a quote is doubled inside its string.
  CHECK(detail::fts_query({"a\"b", "NEAR", "OR"}) == R"("a""b" "NEAR" "OR"*)");
}

namespace {

std::vector<std::string> found(SqliteStore& store, std::vector<std::string> words,
                               std::optional<SearchKind> kind = std::nullopt) {
  std::vector<std::string> out;
  for (const auto& hit : store.search(words, kind, 20)) {
    out.push_back(fmt::format("{}#{}", static_cast<int>(hit.kind), hit.id));
  }
  return out;
}

// A contact, a referral, a touchpoint and an event, each with text in every indexed field.
void seed_search(SqliteStore& store) {
  ContactFields ana;
  ana.name = "Dr. Ana Núñez";
  ana.practice = "St. Mary's Cardiology";
  ana.note = "prefers fax";
  insert_contact(store, ana, t0);          // #1
  add_contact(store, "Dr. Sean O'Brien");  // #2
  store.database().exec(R"sql(
    INSERT INTO referral (id, direction, contact_id, patient, reason, referred_at, acknowledge_due,
                          note, created_at)
    VALUES (1, 'in', 2, 'MRN-1', 'chest pain', 't', 't', 'interpreter needed (Spanish)', 't');
    INSERT INTO touchpoint (id, contact_id, via, note, created_at, done_at)
    VALUES (1, 1, 'call', 'thanked Núñez for the referral', 't', 't');
    INSERT INTO event (id, name, kind, date, note, created_at)
    VALUES (1, 'Heart Congress', 'conference', '2026-11-15', 'Sean O''Brien spoke', 't');
  )sql");
}

}  // namespace

TEST_CASE("search: finds every kind of record by every indexed field, folded") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  seed_search(store);
  using V = std::vector<std::string>;
  CHECK(found(store, {"NUNEZ"}) == V{"0#1", "2#1"});  // the name weighs more than a note
  CHECK(found(store, {"OBrien"}) == V{"0#2", "3#1"});
  CHECK(found(store, {"obrien"}, SearchKind::event) == V{"3#1"});
  CHECK(found(store, {"St", "Marys"}) == V{"0#1"});
  CHECK(found(store, {"cardio"}) == V{"0#1"});     // the last word is a prefix
  CHECK(found(store, {"cardio", "fax"}).empty());  // only the last one
  CHECK(found(store, {"chest", "pa"}) == V{"1#1"});
  CHECK(found(store, {"spanish"}) == V{"1#1"});
  CHECK(found(store, {"congress"}) == V{"3#1"});
  CHECK(found(store, {"ana", "fax"}) == V{"0#1"});  // words in different fields of one record
  CHECK(found(store, {"ana", "spanish"}).empty());
  CHECK(found(store, {}).empty());
  CHECK(found(store, {"NEAR", "OR"}).empty());  // words, not syntax

  const auto hits = store.search({"chest"}, std::nullopt, 20);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].kind == SearchKind::referral);
  CHECK(hits[0].name == "Dr. Sean O'Brien");
  CHECK(hits[0].contact_id == 2);
  CHECK(hits[0].patient == "MRN-1");
  REQUIRE(hits[0].fields.size() == 2);
  CHECK(hits[0].fields[0].field == "reason");
  CHECK(hits[0].fields[1].text == "interpreter needed (Spanish)");
  CHECK(store.search({"nunez"}, std::nullopt, 1).size() == 1);
}

TEST_CASE("search: the triggers keep the index current through edits, merges and deletes") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  seed_search(store);
  using V = std::vector<std::string>;
  ContactFields renamed;
  renamed.name = "Dr. Ana Ortiz";
  update_contact(store, 1, renamed);
  CHECK(found(store, {"nunez"}) == V{"2#1"});
  CHECK(found(store, {"ortiz"}) == V{"0#1"});
  CHECK(found(store, {"cardiology"}).empty());
  store.database().exec("UPDATE referral SET reason = NULL, note = NULL WHERE id = 1");
  CHECK(found(store, {"chest"}).empty());
  store.database().exec("UPDATE referral SET reason = 'knee pain' WHERE id = 1");
  CHECK(found(store, {"knee"}) == V{"1#1"});
  store.merge_contacts(1, 2, t0);
  CHECK(found(store, {"obrien"}) == V{"0#2", "3#1"});  // the duplicate still found, marked merged
  CHECK(store.search({"obrien"}, SearchKind::contact, 20).at(0).merged_into == 1);
  store.database().exec("DELETE FROM touchpoint; DELETE FROM event WHERE id = 1");
  CHECK(found(store, {"thanked"}).empty());
  CHECK(found(store, {"congress"}).empty());
  CHECK(store.database().execAndGet("PRAGMA integrity_check").getString() == "ok");
  store.database().exec("INSERT INTO search (search) VALUES ('integrity-check')");
}

TEST_CASE("search: a bulk load indexes its rows once at the end, triggers back in place") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  add_contact(store, "Ann Lee");
  const auto triggers = [&] {
    return store.database()
        .execAndGet(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND "
            "name LIKE 'search_%'")
        .getInt();
  };
  REQUIRE(triggers() == 12);
  {
    Store::WriteTransaction tx(store);
    auto bulk = store.bulk_load({"referral", "touchpoint"});
    CHECK(triggers() == 6);
    store.database().exec(R"sql(
      INSERT INTO referral (id, direction, contact_id, patient, reason, referred_at,
                            acknowledge_due, created_at)
      VALUES (1, 'in', 1, 'MRN-1', 'sudden vertigo', 't', 't', 't');
      INSERT INTO touchpoint (id, contact_id, via, note, created_at, done_at)
      VALUES (1, 1, 'call', 'about the vertigo', 't', 't'))sql");
    CHECK(found(store, {"vertigo"}).empty());
    bulk->finish();
    tx.commit();
  }
  CHECK(triggers() == 12);
  CHECK(found(store, {"vertigo"}) == std::vector<std::string>{"1#1", "2#1"});
  CHECK(found(store, {"ann"}) == std::vector<std::string>{"0#1"});
  store.database().exec("DELETE FROM referral");  // the trigger's delete finds what it indexed
  CHECK(found(store, {"vertigo"}) == std::vector<std::string>{"2#1"});
}

// --- undo (schema 16) ---

TEST_CASE("undo: the entries of one write transaction are one change set") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  std::int64_t first = 0;
  std::int64_t second = 0;
  {
    Store::WriteTransaction tx(store);
    first = store.audit("add", "contact", 1, std::nullopt, "{}", "me", t0, std::nullopt);
    CHECK(store.audit("plan", "touchpoint", 1, std::nullopt, "{}", "me", t0, std::nullopt) ==
          first);
    tx.commit();
  }
  {
    Store::WriteTransaction tx(store);
    second = store.audit("edit", "contact", 1, "{}", "{}", "me", t0, std::nullopt);
    tx.commit();
  }
  CHECK(second == first + 2);
  // Outside a transaction, each entry is a change set of its own.
  const auto alone = store.audit("edit", "contact", 1, "{}", "{}", "me", t0, std::nullopt);
  CHECK(alone == second + 1);
  CHECK(store.change_entries(first).size() == 2);
  CHECK(store.last_undoable_change() == alone);
  {
    Store::WriteTransaction tx(store);
    store.audit("undo", "contact", 1, "{}", "{}", "me", t0, alone);
    tx.commit();
  }
  // Neither the undo nor what it took back is undone next.
  CHECK(store.last_undoable_change() == second);
  const auto entries = store.change_entries(alone + 1);
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].undoes == alone);
  CHECK(entries[0].change_set == alone + 1);
}

TEST_CASE("undo: a version 15 trail gets change sets from runs of one time and actor") {
  ScratchDir dir;
  const auto file = dir.path / "v15.db";
  write_database_at(file, 15, R"sql(
      INSERT INTO audit (at, actor, action, entity, entity_id, old, new) VALUES
        ('2026-01-01T09:00:00Z', 'ann', 'refer', 'referral', 1, NULL, '{}'),
        ('2026-01-01T09:00:00Z', 'ann', 'plan', 'touchpoint', 1, NULL, '{}'),
        ('2026-01-01T09:00:00Z', 'raj', 'ack', 'referral', 1, '{}', '{}'),
        ('2026-01-01T09:00:05Z', 'raj', 'edit', 'contact', 1, '{}', '{}'),
        ('2026-01-01T09:00:00Z', 'ann', 'edit', 'contact', 1, '{}', '{}');
    )sql");
  auto store_owner = SqliteStore::open(file, 1000ms, Store::Open::existing);
  auto& store = *store_owner;
  std::vector<std::int64_t> sets;
  store.each_audit(std::nullopt, std::nullopt, std::nullopt,
                   [&](const AuditEntry& a) { sets.push_back(a.change_set); });
  CHECK(sets == std::vector<std::int64_t>{1, 1, 3, 4, 5});
  CHECK_FALSE(accepts(store, "UPDATE audit SET change_set = 9"));
}

TEST_CASE("undo: snapshots compare by member, lists as a whole, why aside") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  CHECK(store
            .snapshot_differences(R"({"a":1,"b":"x","t":["p","q"]})",
                                  R"({"t":["p","q"],"a":1,"b":"x","c":2})", "why")
            .empty());
  CHECK(store.snapshot_differences(R"({"a":1,"b":"x","t":["p"],"why":"typo"})",
                                   R"({"a":"1","b":null,"t":["p","q"]})",
                                   "why") == std::vector<std::string>{"a", "b", "t"});
  // A member the record no longer has differs, unless it was null.
  CHECK(store.snapshot_differences(R"({"gone":null,"kept":2})", R"({"kept":2})", "why").empty());
  CHECK(store.snapshot_differences(R"({"gone":1})", R"({})", "why") ==
        std::vector<std::string>{"gone"});
}

TEST_CASE("undo: a record is put back as its snapshot shows, or taken out when nothing refers") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  const auto ann = add_contact(store, "Ann Lee");
  const auto raj = add_contact(store, "Raj Patel");
  const auto before = refnet::record::contact().snapshot(*store.contact(ann));
  auto fields = static_cast<ContactFields>(*store.contact(ann));
  fields.name = "Ann Renamed";
  fields.city = "Springfield";
  fields.tags = {"new"};
  update_contact(store, ann, fields);
  store.revert_record("contact", ann, before);
  CHECK(refnet::record::contact().snapshot(*store.contact(ann)) == before);
  CHECK(store.contact(ann)->tags.empty());

  const auto referral = insert_referral(store, inbound(raj, t0), t0);
  CHECK(store.dependents("contact", raj) ==
        std::vector<std::string>{fmt::format("referral #{}", referral)});
  CHECK(store.dependents("contact", ann).empty());
  store.revert_record("referral", referral, std::nullopt);
  CHECK_FALSE(store.referral(referral));
  CHECK(store.dependents("contact", raj).empty());
  // Its day's kept count leaves with it.
  CHECK(store.database().execAndGet("SELECT count(*) FROM referral_day").getInt() == 0);
  store.revert_record("contact", raj, std::nullopt);
  CHECK_FALSE(store.contact(raj));
  CHECK_THROWS_AS(store.revert_record("contact", raj, std::nullopt), std::logic_error);
}

TEST_CASE("undo: a voided record comes back whole, and what let go of it holds it again") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  const auto ann = add_contact(store, "Ann Lee");
  const auto referral = insert_referral(store, inbound(ann, t0), t0);
  Touchpoint call;
  call.contact_id = ann;
  call.referral_id = referral;
  call.done_at = t0;
  call.created = t0;
  const auto call_id = store.add_touchpoint(call);
  const auto dump = [&] {
    return store.database()
        .execAndGet(
            "SELECT json_group_array(json_array(r.id, r.status, r.created_at, t.referral_id))"
            " FROM referral r, touchpoint t")
        .getString();
  };
  const auto before = dump();
  store.void_record("referral", referral, "duplicate", t0);
  CHECK(store.dependents("contact", ann) ==
        std::vector<std::string>{fmt::format("touchpoint #{}", call_id),
                                 fmt::format("voided referral #{}", referral)});
  store.unvoid_record("referral", referral);
  CHECK(dump() == before);
  CHECK_FALSE(store.voided("referral", referral));
  CHECK_THROWS_AS(store.unvoid_record("referral", referral), std::logic_error);
}
