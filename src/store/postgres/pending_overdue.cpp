// What the PostgreSQL store cannot do yet (the overdue and upcoming lists): each says so, with exit
// status 78, and writes nothing.
#include <fmt/format.h>

#include "store/postgres/pg_store.hpp"

namespace refnet::store {

namespace {

[[noreturn]] void not_yet(std::string_view what) {
  throw Error(Exit::config, fmt::format("{} does not work on PostgreSQL yet", what),
              "use a SQLite database for it (README \"A practice on PostgreSQL\" says what works)");
}

}  // namespace

void PgStore::each_overdue(AsOf, Timestamp, const std::function<void(const OverdueItem&)>&) {
  not_yet("the overdue list");
}
OverdueCounts PgStore::count_overdue(AsOf, Timestamp) {
  not_yet("the overdue list");
}
std::vector<UpcomingItem> PgStore::upcoming(AsOf, Timestamp) {
  not_yet("the upcoming list");
}

}  // namespace refnet::store
