// Search on SQLite: the FTS5 index of schema 15, ranked by bm25, and each found record's text.
#include <SQLiteCpp/SQLiteCpp.h>

#include "binding.hpp"
#include "search_index.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace refnet::store {

using namespace detail;

namespace {

// The index's rowid is the record's id times 4 plus its kind (schema 15).
constexpr std::int64_t kinds = 4;

void add_field(SearchHit& hit, const char* field, const SQLite::Column& column) {
  if (!column.isNull()) hit.fields.push_back({field, column.getString()});
}

}  // namespace

std::vector<SearchHit> SqliteStore::search(const std::vector<std::string>& words,
                                           std::optional<SearchKind> kind, int limit) {
  std::vector<SearchHit> hits;
  const auto query = fts_query(words);
  if (query.empty() || limit <= 0) return hits;
  // `rank` is the bm25 the index was configured with (names weigh most). FTS5 computes it for
  // every match and keeps the best `limit`.
  auto found = prepare(R"sql(
    SELECT rowid FROM search
    WHERE search MATCH ?1 AND (?2 IS NULL OR rowid % 4 = ?2)
    ORDER BY rank LIMIT ?3)sql");
  found.bind(1, query);
  if (kind) found.bind(2, static_cast<int>(*kind));
  found.bind(3, limit);
  std::vector<std::int64_t> rowids;
  while (found.executeStep()) rowids.push_back(found.getColumn(0).getInt64());

  for (const auto rowid : rowids) {
    SearchHit hit;
    hit.id = rowid / kinds;
    hit.kind = static_cast<SearchKind>(rowid % kinds);
    const auto id = static_cast<int64_t>(hit.id);
    switch (hit.kind) {
      case SearchKind::contact: {
        auto s = prepare(R"sql(
          SELECT name, practice, note, archived_at, merged_into FROM contact WHERE id = ?1)sql");
        s.bind(1, id);
        if (!s.executeStep()) continue;
        hit.name = s.getColumn(0).getString();
        hit.contact_id = hit.id;
        add_field(hit, "name", s.getColumn(0));
        add_field(hit, "practice", s.getColumn(1));
        add_field(hit, "note", s.getColumn(2));
        hit.archived = optional_time(s.getColumn(3));
        hit.merged_into = integer(s.getColumn(4));
        break;
      }
      case SearchKind::referral: {
        auto s = prepare(R"sql(
          SELECT r.reason, r.note, r.patient, r.contact_id, c.name
          FROM referral r JOIN contact c ON c.id = r.contact_id WHERE r.id = ?1)sql");
        s.bind(1, id);
        if (!s.executeStep()) continue;
        add_field(hit, "reason", s.getColumn(0));
        add_field(hit, "note", s.getColumn(1));
        hit.patient = s.getColumn(2).getString();
        hit.contact_id = s.getColumn(3).getInt64();
        hit.name = s.getColumn(4).getString();
        break;
      }
      case SearchKind::touchpoint: {
        auto s = prepare(R"sql(
          SELECT t.note, t.contact_id, c.name
          FROM touchpoint t JOIN contact c ON c.id = t.contact_id WHERE t.id = ?1)sql");
        s.bind(1, id);
        if (!s.executeStep()) continue;
        add_field(hit, "note", s.getColumn(0));
        hit.contact_id = s.getColumn(1).getInt64();
        hit.name = s.getColumn(2).getString();
        break;
      }
      case SearchKind::event: {
        auto s = prepare("SELECT name, note FROM event WHERE id = ?1");
        s.bind(1, id);
        if (!s.executeStep()) continue;
        hit.name = s.getColumn(0).getString();
        add_field(hit, "name", s.getColumn(0));
        add_field(hit, "note", s.getColumn(1));
        break;
      }
    }
    hits.push_back(std::move(hit));
  }
  return hits;
}

}  // namespace refnet::store
