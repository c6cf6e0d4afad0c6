// What the PostgreSQL store cannot do yet (db backup): each says so, with exit status 78, and
// writes nothing.
#include <fmt/format.h>

#include "store/postgres/pg_store.hpp"

namespace refnet::store {

namespace {

[[noreturn]] void not_yet(std::string_view what) {
  throw Error(Exit::config, fmt::format("{} does not work on PostgreSQL yet", what),
              "use a SQLite database for it (README \"A practice on PostgreSQL\" says what works)");
}

}  // namespace

void PgStore::backup_to(const std::filesystem::path&) {
  not_yet("refnet db backup");
}
std::uint64_t PgStore::write_image(const std::function<void(std::span<const unsigned char>)>&) {
  not_yet("refnet db backup");
}

}  // namespace refnet::store
