// The words of a text as the search index holds them (README "Search"), made on the client by
// SQLite's own FTS5 tokenizer: a bulk load on PostgreSQL indexes its rows with these and sends
// them with COPY (bulk.cpp), where a row written alone is indexed by the server's copy of the same
// tokenizer in SQL (search_schema.cpp).
#pragma once

#include <functional>
#include <memory>
#include <string_view>

namespace refnet::store::pg {

class SearchWords {
 public:
  // Readies FTS5's unicode61 tokenizer with remove_diacritics 2, as the SQLite store's index
  // (schema.sql) has it, in a database of its own in memory. Error(io) if it cannot.
  SearchWords();
  ~SearchWords();
  SearchWords(const SearchWords&) = delete;
  SearchWords& operator=(const SearchWords&) = delete;

  // Calls `fn` with each word of `text` in order, folded, once apostrophes (' and ’) and dots are
  // taken out as the index's triggers take them out, so "O'Brien" is "obrien".
  void each(std::string_view text, const std::function<void(std::string_view)>& fn);

 private:
  struct Tokenizer;
  std::unique_ptr<Tokenizer> tokenizer_;
};

}  // namespace refnet::store::pg
