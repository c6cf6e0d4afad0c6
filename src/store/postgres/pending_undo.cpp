// What the PostgreSQL store cannot do yet (void and undo): each says so, with exit status 78,
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

void PgStore::void_record(std::string_view, std::int64_t, std::string_view, Timestamp) {
  not_yet("refnet void");
}
std::optional<VoidedRecord> PgStore::voided(std::string_view, std::int64_t) {
  not_yet("reading voided records");
}
void PgStore::each_voided(std::string_view, const std::function<void(const VoidedRecord&)>&) {
  not_yet("listing voided records");
}
std::optional<std::int64_t> PgStore::last_undoable_change() {
  not_yet("refnet undo");
}
std::vector<AuditEntry> PgStore::change_entries(std::int64_t) {
  not_yet("refnet undo");
}
std::vector<std::string> PgStore::snapshot_differences(const std::string&, const std::string&,
                                                       std::string_view) {
  not_yet("refnet undo");
}
std::vector<std::string> PgStore::dependents(std::string_view, std::int64_t) {
  not_yet("refnet undo");
}
std::vector<std::string> PgStore::revert_conflicts(std::string_view, std::int64_t, const Text&) {
  not_yet("refnet undo");
}
std::optional<std::int64_t> PgStore::undone_by(std::int64_t) {
  not_yet("refnet undo");
}
void PgStore::revert_record(std::string_view, std::int64_t, const Text&) {
  not_yet("refnet undo");
}
void PgStore::unvoid_record(std::string_view, std::int64_t) {
  not_yet("refnet undo");
}

}  // namespace refnet::store
