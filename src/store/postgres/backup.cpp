// db backup on PostgreSQL: the database as one consistent state, written as a refnet SQLite file.

#include "io/private_file.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace refnet::store {

// A backup of a shared database is a refnet database file (README "A practice on PostgreSQL"):
// refnet reads it as it is (refnet --db FILE report), db copy puts it on a server again, and the
// encrypted form is that file sealed. Every table is read in one REPEATABLE READ transaction, so
// writers carry on and the file holds the state at its start.
void PgStore::backup_to(const std::filesystem::path& file) {
  // As on SQLite: a new file, private before a row is written to it, in a folder that is there
  // already (a backup makes none), and never a file, or a link, that exists.
  io::create_new_private(file);
  try {
    auto copy = SqliteStore::open(file, std::chrono::milliseconds(0), Open::create);
    copy_database(*this, *copy);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(file, ignored);  // no half-written backup is left behind
    throw;
  }
}

std::uint64_t PgStore::write_image(
    const std::function<void(std::span<const unsigned char>)>& write) {
  auto copy = SqliteStore::open_memory();
  copy_database(*this, *copy);
  return copy->write_image(write);
}

}  // namespace refnet::store
