// The words a bulk load on PostgreSQL indexes its rows by: FTS5's own, as the SQLite store's
// search index (schema.sql: unicode61 remove_diacritics 2) holds them.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "store/sqlite/fts5_words.hpp"

using refnet::store::detail::Fts5Words;

namespace {

std::vector<std::string> words_of(Fts5Words& words, std::string_view text) {
  std::vector<std::string> out;
  words.each(text, [&](std::string_view word) { out.emplace_back(word); });
  return out;
}

// The words an FTS5 table made as the SQLite store's is holds for `text`, in order (fts5vocab's
// instance table: each word with its place in the column), after the store's triggers have taken
// out apostrophes and dots.
std::vector<std::string> indexed_by_fts5(std::string_view text) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(":memory:", &db) == SQLITE_OK);
  const char* setup =
      "CREATE VIRTUAL TABLE search USING fts5(body, tokenize=\"unicode61 remove_diacritics 2\");"
      "CREATE VIRTUAL TABLE words USING fts5vocab(search, instance);";
  REQUIRE(sqlite3_exec(db, setup, nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(db,
                             "INSERT INTO search(body) VALUES (replace(replace(replace(?1, '''', "
                             "''), '’', ''), '.', ''))",
                             -1, &s, nullptr) == SQLITE_OK);
  sqlite3_bind_text(s, 1, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  REQUIRE(sqlite3_step(s) == SQLITE_DONE);
  sqlite3_finalize(s);
  REQUIRE(sqlite3_prepare_v2(db, "SELECT term FROM words ORDER BY offset", -1, &s, nullptr) ==
          SQLITE_OK);
  std::vector<std::string> out;
  while (sqlite3_step(s) == SQLITE_ROW) {
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

}  // namespace

TEST_CASE("words are folded to lower case without Latin accents, apostrophes and dots out") {
  Fts5Words words;
  CHECK(words_of(words, "Dr. Ana Núñez-O'Brien") ==
        std::vector<std::string>{"dr", "ana", "nunez", "obrien"});
  CHECK(words_of(words, "St. Mary’s ÉCOLE Öland") ==
        std::vector<std::string>{"st", "marys", "ecole", "oland"});
  // Greek keeps its accents (FTS5 takes them off Latin letters only); İ is i.
  CHECK(words_of(words, "Ωμέγα İstanbul") == std::vector<std::string>{"ωμέγα", "istanbul"});
  // A combining mark that is not one of FTS5's diacritics parts a word.
  CHECK(words_of(words, "e\u0334f") == std::vector<std::string>{"e", "f"});
  CHECK(words_of(words, "").empty());
  CHECK(words_of(words, "... ' ’ --").empty());
}

TEST_CASE("the words are the ones FTS5's index holds, in its order") {
  Fts5Words words;
  for (const std::string text :
       {"Zé\u0301vo\u0308 Z\u0351\u0360a\u0336lgo\u0489", "東京 クリニック 서울 straße ǅemal",
        "x2 3.14 ½ ① ⅷ \u202eevil\u202c", "Ann\u200bLee\u200d\ufeffx",
        "\U0001F469\u200d\u2695\ufe0f Dr. \U0001F3E5 ok", "a\tb\nc\\d 100% _of_ [x]",
        "'); DROP TABLE contact;--"}) {
    CAPTURE(text);
    CHECK(words_of(words, text) == indexed_by_fts5(text));
  }
}
