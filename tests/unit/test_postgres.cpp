// The PostgreSQL store's parts that need no server: statements written as the SQLite store's.
#include <doctest/doctest.h>

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
