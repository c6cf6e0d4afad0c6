// Filling the search index again after a bulk load; the FTS5 query for a list of words.
#include "search_index.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

namespace refnet::store::detail {

std::string fts_query(const std::vector<std::string>& words) {
  std::string query;
  for (const auto& word : words) {
    if (!query.empty()) query += ' ';
    query += '"';
    for (const char c : word) {
      if (c == '"') query += '"';
      query += c;
    }
    query += '"';
  }
  if (!query.empty()) query += '*';
  return query;
}

void refill_search(SQLite::Database& db) {
  // What the insert triggers of schema 15 index, one table at a time: FTS5 gathers the rows in
  // memory and writes its segments as they fill, which is faster than row by row through the
  // triggers, each a statement of its own.
  db.exec("INSERT INTO search (search) VALUES ('delete-all')");
  db.exec(R"sql(
INSERT INTO search (rowid, name, practice, note)
SELECT id * 4,
       replace(replace(replace(name, '''', ''), '’', ''), '.', ''),
       replace(replace(replace(practice, '''', ''), '’', ''), '.', ''),
       replace(replace(replace(note, '''', ''), '’', ''), '.', '')
FROM contact;

INSERT INTO search (rowid, reason, note)
SELECT id * 4 + 1,
       replace(replace(replace(reason, '''', ''), '’', ''), '.', ''),
       replace(replace(replace(note, '''', ''), '’', ''), '.', '')
FROM referral
WHERE reason IS NOT NULL OR note IS NOT NULL;

INSERT INTO search (rowid, note)
SELECT id * 4 + 2,
       replace(replace(replace(note, '''', ''), '’', ''), '.', '')
FROM touchpoint
WHERE note IS NOT NULL;

INSERT INTO search (rowid, name, note)
SELECT id * 4 + 3,
       replace(replace(replace(name, '''', ''), '’', ''), '.', ''),
       replace(replace(replace(note, '''', ''), '’', ''), '.', '')
FROM event;)sql");
}

}  // namespace refnet::store::detail
