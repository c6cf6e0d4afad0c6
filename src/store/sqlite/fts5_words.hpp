// The words of a text as the search index holds them (README "Search"), by SQLite's own FTS5
// tokenizer, for the PostgreSQL store: a bulk load there indexes its rows with these and sends
// them with COPY (postgres/bulk.cpp), where a row written alone is indexed by the server's copy
// of the same tokenizer in SQL (postgres/search_schema.cpp). The interface shows no SQLite.
#pragma once

#include <functional>
#include <memory>
#include <string_view>

namespace refnet::store::detail {

class Fts5Words {
 public:
  // Readies FTS5's unicode61 tokenizer with remove_diacritics 2, as the SQLite store's index
  // (schema.sql) has it, in a database of its own in memory. Error(io) if it cannot.
  Fts5Words();
  ~Fts5Words();
  Fts5Words(const Fts5Words&) = delete;
  Fts5Words& operator=(const Fts5Words&) = delete;

  // Calls `fn` with each word of `text` in order, folded, once apostrophes (' and ’) and dots are
  // taken out as the index's triggers take them out, so "O'Brien" is "obrien".
  void each(std::string_view text, const std::function<void(std::string_view)>& fn);

 private:
  struct Tokenizer;
  std::unique_ptr<Tokenizer> tokenizer_;
};

}  // namespace refnet::store::detail
