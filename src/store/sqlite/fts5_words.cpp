#include "store/sqlite/fts5_words.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <array>
#include <string>

#include "error.hpp"

namespace refnet::store::detail {

struct Fts5Words::Tokenizer {
  sqlite3* db = nullptr;
  fts5_tokenizer api{};
  Fts5Tokenizer* tokenizer = nullptr;
  // The text with apostrophes and dots taken out, reused from text to text.
  std::string flat;

  ~Tokenizer() {
    if (tokenizer != nullptr) api.xDelete(tokenizer);
    sqlite3_close(db);
  }
};

namespace {

[[noreturn]] void fail(sqlite3* db, const char* what) {
  throw Error(Exit::io, fmt::format("cannot ready the search index's tokenizer: {}: {}", what,
                                    db != nullptr ? sqlite3_errmsg(db) : "out of memory"));
}

// FTS5's API of a database, as the SQLite manual's "Extending FTS5" gets it: SELECT fts5(?1)
// with a pointer of type "fts5_api_ptr" bound to ?1.
fts5_api* fts5_of(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, nullptr) == SQLITE_OK) {
    sqlite3_bind_pointer(s, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(s);
  }
  sqlite3_finalize(s);
  return api;
}

}  // namespace

Fts5Words::Fts5Words() : tokenizer_(std::make_unique<Tokenizer>()) {
  auto& t = *tokenizer_;
  if (sqlite3_open_v2(":memory:", &t.db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    fail(t.db, "an in-memory database");
  }
  auto* fts5 = fts5_of(t.db);
  if (fts5 == nullptr) fail(t.db, "FTS5");
  void* context = nullptr;
  if (fts5->xFindTokenizer(fts5, "unicode61", &context, &t.api) != SQLITE_OK) {
    fail(t.db, "unicode61");
  }
  std::array<const char*, 2> options{"remove_diacritics", "2"};
  if (t.api.xCreate(context, options.data(), static_cast<int>(options.size()), &t.tokenizer) !=
      SQLITE_OK) {
    t.tokenizer = nullptr;
    fail(t.db, "unicode61 remove_diacritics 2");
  }
}

Fts5Words::~Fts5Words() = default;

void Fts5Words::each(std::string_view text, const std::function<void(std::string_view)>& fn) {
  auto& t = *tokenizer_;
  // What search_text() does on the server and the SQLite store's triggers do: ' ’ and . out.
  constexpr std::string_view right_quote = "\u2019";
  t.flat.clear();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\'' || text[i] == '.') continue;
    if (text.substr(i, right_quote.size()) == right_quote) {
      i += right_quote.size() - 1;
      continue;
    }
    t.flat.push_back(text[i]);
  }
  const auto token = [](void* context, int /*flags*/, const char* word, int size, int /*start*/,
                        int /*end*/) {
    (*static_cast<const std::function<void(std::string_view)>*>(context))(
        std::string_view(word, static_cast<std::size_t>(size)));
    return SQLITE_OK;
  };
  const int rc = t.api.xTokenize(
      t.tokenizer, const_cast<std::function<void(std::string_view)>*>(&fn), FTS5_TOKENIZE_DOCUMENT,
      t.flat.data(), static_cast<int>(t.flat.size()), token);
  if (rc != SQLITE_OK) fail(t.db, "a text");
}

}  // namespace refnet::store::detail
