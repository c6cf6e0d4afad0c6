// Search on PostgreSQL: the index of search_schema.cpp, ranked as SQLite's FTS5 ranks it (bm25
// with the weights of schema 15), and each found record's text.
#include <fmt/format.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/postgres/pg_store.hpp"
#include "store/postgres/query.hpp"

namespace refnet::store {

using namespace pg;

namespace {

// The index's document is the record's id times 4 plus its kind (search_schema.cpp).
constexpr std::int64_t kinds = 4;

// One word of the search as FTS5 sees it (README "Search"): the index's words it is made of,
// one after another in a column (most words are one), the last word also as the start of a
// longer one.
struct Phrase {
  std::vector<std::string> terms;
  bool prefix = false;
};

// A word as a LIKE pattern for the words it begins (the index's words hold no % _ or \, which
// are no word characters, but nothing typed should become a pattern).
std::string starts_with(const std::string& term) {
  std::string pattern;
  for (const char c : term) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  return pattern + '%';
}

// The statement that ranks the documents holding every phrase, as FTS5's bm25() with the weights
// 4, 2, 2, 1 (name, practice, reason, note) and ORDER BY rank: for phrase i, idf_i =
// ln((N - n_i + 0.5) / (n_i + 0.5)), at least 1e-6, with N the documents in the index and n_i
// those holding the phrase; f_i the phrase's occurrences in the document, each weighted by its
// column; D the document's words and avgdl every document's words over N; the rank
// -(sum of idf_i * f_i * (k1 + 1) / (f_i + k1 * (1 - b + b * D / avgdl))) with k1 1.2, b 0.75.
// Every operation is the one fts5_aux.c does, in its order, on doubles, so equal ranks on SQLite
// are equal here; FTS5 sorts its matches, found in document order, by rank alone and keeps that
// order among equals, hence the document as the second key. One pass over the phrases'
// occurrences gives f_i per document and, counted over every document, n_i. `values` gets the
// parameters.
std::string ranking_sql(const std::vector<Phrase>& phrases, std::optional<SearchKind> kind,
                        std::vector<std::string>& values) {
  const auto param = [&values](std::string value) {
    values.push_back(std::move(value));
    return fmt::format("?{}", values.size());
  };
  // Occurrences of each phrase per document and column.
  std::string occurrences;
  for (std::size_t i = 0; i < phrases.size(); ++i) {
    const auto& terms = phrases[i].terms;
    const auto match = [&](std::size_t j) {
      const bool prefix = phrases[i].prefix && j + 1 == terms.size();
      return prefix ? fmt::format("t{}.term LIKE {}", j, param(starts_with(terms[j])))
                    : fmt::format("t{}.term = {}", j, param(terms[j]));
    };
    if (i > 0) occurrences += "\n  UNION ALL ";
    if (terms.size() == 1) {
      occurrences += fmt::format(
          "SELECT {} AS phrase, t0.doc, t0.col, t0.tokens, cardinality(t0.pos) AS n "
          "FROM search_term t0 WHERE {}",
          i, match(0));
    } else {
      // A word that is several to FTS5: each of its words one place after the one before.
      occurrences += fmt::format(
          "SELECT {} AS phrase, t0.doc, t0.col, t0.tokens, count(*) AS n FROM search_term t0 "
          "CROSS JOIN LATERAL unnest(t0.pos) AS s(at)",
          i);
      for (std::size_t j = 1; j < terms.size(); ++j) {
        occurrences += fmt::format(
            " JOIN search_term t{0} ON t{0}.doc = t0.doc AND t{0}.col = t0.col AND {1} "
            "AND s.at + {0} = ANY (t{0}.pos)",
            j, match(j));
      }
      occurrences += fmt::format(" WHERE {} GROUP BY t0.doc, t0.col, t0.tokens", match(0));
    }
  }
  std::string sums;
  std::string counts;
  std::string all;
  std::string score = "float8 '0'";
  for (std::size_t i = 0; i < phrases.size(); ++i) {
    sums += fmt::format(
        ", sum(('{{4,2,2,1}}'::float8[])[col + 1] * n::float8) FILTER (WHERE phrase = {0}) "
        "AS f{0}",
        i);
    counts += fmt::format(", count(f{0}) OVER () AS n{0}", i);
    all += fmt::format("{}counted.f{} IS NOT NULL", i > 0 ? " AND " : "", i);
    const auto idf = fmt::format(
        "ln(((all_docs.n - n{0})::float8 + float8 '0.5') / (n{0}::float8 + float8 '0.5'))", i);
    score += fmt::format(
        " + CASE WHEN {1} > 0 THEN {1} ELSE float8 '1e-6' END * ((f{0} * (float8 '1.2' + "
        "float8 '1.0')) / (f{0} + float8 '1.2' * (float8 '1' - float8 '0.75' + float8 '0.75' * "
        "counted.tokens::float8 / (all_docs.tokens::float8 / all_docs.n::float8))))",
        i, idf);
  }
  if (kind) all += fmt::format(" AND counted.doc % {} = {}", kinds, static_cast<int>(*kind));
  return fmt::format(
      "WITH all_docs AS (SELECT docs AS n, tokens FROM search_total),\n"
      "found AS (SELECT doc, min(tokens) AS tokens{} FROM ({}) AS o GROUP BY doc),\n"
      "counted AS (SELECT *{} FROM found)\n"
      "SELECT doc FROM (SELECT doc, float8 '-1.0' * ({}) AS rank FROM counted, all_docs "
      "WHERE {}) AS scored ORDER BY rank, doc LIMIT ",
      sums, occurrences, counts, score, all);
}

void add_field(SearchHit& hit, const char* field, const Column& column) {
  if (!column.isNull()) hit.fields.push_back({field, column.getString()});
}

}  // namespace

std::vector<SearchHit> PgStore::search(const std::vector<std::string>& words,
                                       std::optional<SearchKind> kind, int limit) {
  std::vector<SearchHit> hits;
  if (words.empty() || limit <= 0) return hits;
  // Each word split and folded by the index's own function, so it is the index's words; a word
  // that holds none is left out, as FTS5 leaves out an empty phrase.
  std::vector<Phrase> phrases;
  for (std::size_t i = 0; i < words.size(); ++i) {
    auto split = prepare("SELECT term FROM search_words(?1) ORDER BY pos");
    split.bind(1, words[i]);
    Phrase phrase;
    while (split.executeStep()) phrase.terms.push_back(split.getColumn(0).getString());
    phrase.prefix = i + 1 == words.size();
    if (!phrase.terms.empty()) phrases.push_back(std::move(phrase));
  }
  if (phrases.empty()) return hits;

  std::vector<std::string> values;
  auto sql = ranking_sql(phrases, kind, values);
  sql += fmt::format("?{}", values.size() + 1);
  auto found = prepare(sql);
  for (std::size_t i = 0; i < values.size(); ++i) found.bind(static_cast<int>(i + 1), values[i]);
  found.bind(static_cast<int>(values.size() + 1), limit);
  std::vector<std::int64_t> docs;
  while (found.executeStep()) docs.push_back(found.getColumn(0).getInt64());

  for (const auto doc : docs) {
    SearchHit hit;
    hit.id = doc / kinds;
    hit.kind = static_cast<SearchKind>(doc % kinds);
    switch (hit.kind) {
      case SearchKind::contact: {
        auto s = prepare(R"sql(
          SELECT name, practice, note, archived_at, merged_into FROM contact WHERE id = ?1)sql");
        s.bind(1, hit.id);
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
        s.bind(1, hit.id);
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
        s.bind(1, hit.id);
        if (!s.executeStep()) continue;
        add_field(hit, "note", s.getColumn(0));
        hit.contact_id = s.getColumn(1).getInt64();
        hit.name = s.getColumn(2).getString();
        break;
      }
      case SearchKind::event: {
        auto s = prepare("SELECT name, note FROM event WHERE id = ?1");
        s.bind(1, hit.id);
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
