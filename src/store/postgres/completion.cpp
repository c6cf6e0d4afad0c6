// What the shell completion helper (refnet __complete) reads: short, bounded, read-only queries.
#include "store/postgres/pg_store.hpp"
#include "store/postgres/query.hpp"

namespace refnet::store {

std::vector<std::int64_t> PgStore::open_followup_ids(int limit) {
  auto s = prepare(R"sql(
    SELECT id FROM touchpoint
    WHERE due IS NOT NULL AND done_at IS NULL AND satisfied_by IS NULL AND dismissed_at IS NULL
    ORDER BY due, id LIMIT ?1)sql");
  s.bind(1, limit);
  std::vector<std::int64_t> out;
  while (s.executeStep()) out.push_back(s.getColumn(0).getInt64());
  return out;
}

std::vector<std::string> PgStore::event_names(std::string_view part, int limit) {
  auto s = prepare(R"sql(
    SELECT min(name) FROM event WHERE strpos(lower(name), lower(?1)) > 0
    GROUP BY lower(name)
    ORDER BY min(strpos(lower(name), lower(?1))) <> 1, lower(name) LIMIT ?2)sql");
  s.bind(1, std::string(part));
  s.bind(2, limit);
  std::vector<std::string> out;
  while (s.executeStep()) out.push_back(s.getColumn(0).getString());
  return out;
}

}  // namespace refnet::store
