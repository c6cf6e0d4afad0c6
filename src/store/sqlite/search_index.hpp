// The search index (schema 15): the FTS5 query for a list of words, and filling it again.
#pragma once

// Internal to the store: what `refnet search` asks the FTS5 table `search`, and how a bulk load
// fills it once at the end instead of through its triggers row by row.

#include <string>
#include <string_view>
#include <vector>

namespace SQLite {
class Database;
}

namespace refnet::store::detail {

// The triggers that keep the index current are named search_<table>_<insert|update|delete>.
inline constexpr std::string_view search_trigger_prefix = "search_";

// An FTS5 query finding every word: each word as an FTS5 string ("" for a quote inside it), so
// nothing typed can be FTS5 syntax (NEAR, OR, -, *, a column filter), and the last one as a
// prefix ("ca"* finds "cardiology"). Words that hold nothing FTS5 would index still make a
// string: FTS5 ignores an empty phrase beside others. Empty for no words.
std::string fts_query(const std::vector<std::string>& words);

// Empties the index and indexes every contact, referral, touchpoint and event again, as the
// triggers of schema 15 index them.
void refill_search(SQLite::Database& db);

}  // namespace refnet::store::detail
