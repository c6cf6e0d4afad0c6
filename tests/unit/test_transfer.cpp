// The store's import side: records written whole with their ids and times, the duplicate
// lookups, and the per-database secret.

#include <doctest/doctest.h>

#include "store/sqlite/sqlite_store.hpp"

using namespace refnet;
using namespace refnet::store;
using namespace std::chrono_literals;

namespace {

const domain::Timestamp t0 = std::chrono::sys_days(std::chrono::year(2026) / 11 / 27) + 9h;

Contact contact(std::int64_t id, const std::string& name) {
  Contact c;
  c.id = id;
  c.name = name;
  c.created = t0;
  return c;
}

}  // namespace

TEST_CASE("transfer: a contact keeps the id, times and tags the file gives") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  CHECK_FALSE(store.has_rows("contact"));
  auto c = contact(42, "Ann Lee");
  c.practice = "Elm Street";
  c.npi = "1234567893";
  c.archived = t0 + 1h;
  c.tags = {"vip", "diabetes"};
  CHECK(store.add_contact(c) == 42);
  CHECK(store.has_rows("contact"));
  const auto back = *store.contact(42);
  CHECK(back.created == t0);
  CHECK(back.archived == t0 + 1h);
  CHECK(back.tags == std::vector<std::string>{"diabetes", "vip"});
  CHECK(store.add_contact(contact(0, "Bob")) == 43);  // 0: the next free id
  CHECK(store.exists("contact", 43));
  CHECK_FALSE(store.exists("contact", 44));
}

TEST_CASE("transfer: name and practice match case-insensitively, no practice matches none") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  auto a = contact(1, "Ann Lee");
  a.practice = "Elm Street";
  store.add_contact(a);
  store.add_contact(contact(2, "Bob Stone"));
  CHECK(store.contact_with_name_and_practice("ANN LEE", std::string("elm street"), false) == 1);
  CHECK_FALSE(store.contact_with_name_and_practice("Ann Lee", std::nullopt, false));
  CHECK(store.contact_with_name_and_practice("bob stone", std::nullopt, false) == 2);
  CHECK_FALSE(store.contact_with_name_and_practice("bob stone", std::nullopt, true));
  CHECK(store.contacts_named("ann lee").size() == 1);
  CHECK(store.contacts_named("Ann").empty());  // exact names only
}

TEST_CASE("transfer: a referral keeps every stamp, and is found by its duplicate key") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  store.add_contact(contact(1, "Ann Lee"));
  Referral r;
  r.id = 7;
  r.contact_id = 1;
  r.patient = "MRN-1";
  r.referred = t0;
  r.acknowledge_due = t0 + 24h;
  r.status = domain::Status::closed;
  r.acknowledged = t0 + 1h;
  r.closed = t0 + 48h;
  r.created = t0;
  CHECK(store.add_referral(r) == 7);
  const auto back = *store.referral(7);
  CHECK(back.status == domain::Status::closed);
  CHECK(back.closed == t0 + 48h);
  CHECK_FALSE(back.seen.has_value());
  CHECK(store.find_referral(domain::Direction::in, 1, "MRN-1", t0) == 7);
  CHECK_FALSE(store.find_referral(domain::Direction::out, 1, "MRN-1", t0));
  CHECK(store.referral(7)->contact_id == 1);
  CHECK_FALSE(store.referral(8));
}

TEST_CASE("transfer: the secret is stored once; a second one is refused") {
  auto store_owner = SqliteStore::open_memory();
  auto& store = *store_owner;
  CHECK_FALSE(store.secret("redaction"));
  const std::vector<unsigned char> first(32, 1), second(32, 2);
  CHECK(store.add_secret("redaction", first, t0));
  CHECK_FALSE(store.add_secret("redaction", second, t0));
  CHECK(store.secret("redaction") == first);
}
