#pragma once

// Internal to the store: SQLite's NOCASE collation, for rows a report puts in order itself after
// reading them on two connections (see parallel.hpp) instead of in an ORDER BY.

#include <algorithm>
#include <string_view>

namespace refnet::store::detail {

// -1, 0 or 1 as `a` sorts before, with or after `b` under COLLATE NOCASE: bytes compared
// unsigned with only ASCII A-Z folded to a-z (SQLite folds nothing else), and where one is the
// start of the other, the shorter first.
inline int nocase_compare(std::string_view a, std::string_view b) {
  const auto fold = [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return static_cast<unsigned>(byte >= 'A' && byte <= 'Z' ? byte + ('a' - 'A') : byte);
  };
  const std::size_t common = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < common; ++i) {
    const unsigned x = fold(a[i]);
    const unsigned y = fold(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

}  // namespace refnet::store::detail
