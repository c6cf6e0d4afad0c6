// The PostgreSQL store's parts that need no server: statements written as the SQLite store's, the
// schema's revisions, and what a failure to load libpq tells the user.
#include <doctest/doctest.h>

#include "store/postgres/libpq.hpp"
#include "store/postgres/query.hpp"
#include "store/postgres/schema.hpp"
#include "store/sqlite/schema.hpp"

using refnet::store::pg::numbered_parameters;

TEST_CASE("SQLite's ?N parameters become PostgreSQL's $N") {
  CHECK(numbered_parameters("SELECT id FROM contact WHERE id = ?1") ==
        "SELECT id FROM contact WHERE id = $1");
  CHECK(numbered_parameters("coalesce(?12, ?3) IS NOT DISTINCT FROM ?12") ==
        "coalesce($12, $3) IS NOT DISTINCT FROM $12");
}

TEST_CASE("a ? in quoted text or a quoted name stays as it is") {
  CHECK(numbered_parameters("SELECT '?1', \"?2\", ?3") == "SELECT '?1', \"?2\", $3");
  // SQL doubles a quote inside quoted text: the text goes on.
  CHECK(numbered_parameters("SELECT 'it''s ?1', ?2") == "SELECT 'it''s ?1', $2");
  // A ? not followed by a digit is no parameter of refnet's (jsonb's ? operator).
  CHECK(numbered_parameters("SELECT j ? 'k' FROM t WHERE x = ?1") ==
        "SELECT j ? 'k' FROM t WHERE x = $1");
}

TEST_CASE("the PostgreSQL schema's revisions run in order to the SQLite schema's latest version") {
  const auto& revisions = refnet::store::pg::revisions();
  REQUIRE_FALSE(revisions.empty());
  for (std::size_t i = 0; i < revisions.size(); ++i) {
    CAPTURE(i);
    CHECK(revisions[i].revision == static_cast<int>(i) + 1);
    if (i > 0) CHECK(revisions[i].version >= revisions[i - 1].version);
  }
  // A migration of the SQLite schema needs its revision here too: both stores hold one schema.
  CHECK(revisions.back().version == refnet::store::migrations().back().version);
}

TEST_CASE("a libpq that is missing, and one that will not load, are told apart") {
  using refnet::store::pg::load_failure;
  const auto missing =
      load_failure("libpq.so.5: cannot open shared object file: No such file or directory");
  CHECK(missing.code() == refnet::Exit::config);
  CHECK(std::string(missing.what()) ==
        "a database on PostgreSQL needs libpq, which is not installed");
  CHECK(missing.hint() == "install it with: apt-get install libpq5");
  const auto broken = load_failure(
      "libgssapi_krb5.so.2: cannot open shared object file: No such file or directory");
  // A library libpq needs is missing: libpq is there, and the loader's words say what is not.
  CHECK(std::string(broken.what()) ==
        "a database on PostgreSQL needs libpq, and the one found cannot be loaded: "
        "libgssapi_krb5.so.2: cannot open shared object file: No such file or directory");
  const auto damaged = load_failure("/opt/lib/libpq.so.5: file too short");
  CHECK(damaged.code() == refnet::Exit::config);
  CHECK(std::string(damaged.what()) ==
        "a database on PostgreSQL needs libpq, and the one found cannot be loaded: "
        "/opt/lib/libpq.so.5: file too short");
}
