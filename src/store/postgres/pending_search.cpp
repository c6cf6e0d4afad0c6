// What the PostgreSQL store cannot do yet (search): each says so, with exit status 78,
// and writes nothing.
#include <fmt/format.h>

#include "store/postgres/pg_store.hpp"

namespace refnet::store {

namespace {

[[noreturn]] void not_yet(std::string_view what) {
  throw Error(Exit::config, fmt::format("{} does not work on PostgreSQL yet", what),
              "use a SQLite database for it (README \"A practice on PostgreSQL\" says what works)");
}

}  // namespace

std::vector<SearchHit> PgStore::search(const std::vector<std::string>&, std::optional<SearchKind>,
                                       int) {
  not_yet("refnet search");
}

}  // namespace refnet::store
