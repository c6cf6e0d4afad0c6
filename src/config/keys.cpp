#include "keys.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <vector>

namespace refnet::config::detail {

namespace {

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// Levenshtein distance, case-insensitive: "Output.Colour" is one edit from "output.color".
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const std::size_t substitute = diagonal + (lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string_view leaf_of(std::string_view dotted_name) {
  const auto dot = dotted_name.rfind('.');
  return dot == std::string_view::npos ? dotted_name : dotted_name.substr(dot + 1);
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && edit_distance(a, b) == 0;
}

}  // namespace

std::string dotted(const KeySpec& key) {
  return fmt::format("{}.{}", key.table, key.name);
}

const KeySpec* find_key(std::string_view dotted_name) {
  for (const auto& key : keys) {
    if (dotted_name.size() == key.table.size() + 1 + key.name.size() &&
        dotted_name.starts_with(key.table) && dotted_name[key.table.size()] == '.' &&
        dotted_name.ends_with(key.name)) {
      return &key;
    }
  }
  return nullptr;
}

bool is_table(std::string_view dotted_name) {
  return std::find(tables.begin(), tables.end(), dotted_name) != tables.end();
}

std::optional<std::string> did_you_mean(std::string_view dotted_name) {
  std::vector<std::string> candidates;
  for (const auto& key : keys) candidates.push_back(dotted(key));
  for (const auto table : tables) candidates.emplace_back(table);

  // A typo is a few edits, fewer for short names, so "path" never suggests "name".
  const std::size_t allowed = std::clamp<std::size_t>(dotted_name.size() / 4, 1, 3);
  std::optional<std::string> best;
  std::size_t best_distance = allowed + 1;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(dotted_name, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  if (best) return best;

  // The right key in the wrong table: `color` under [database] means output.color.
  for (const auto& key : keys) {
    if (equal_ignoring_case(leaf_of(dotted_name), key.name)) return dotted(key);
  }
  return std::nullopt;
}

std::string valid_keys_hint(std::string_view dotted_name) {
  std::string_view parent = dotted_name;
  while (true) {
    const auto dot = parent.rfind('.');
    if (dot == std::string_view::npos) break;
    parent = parent.substr(0, dot);
    if (!is_table(parent)) continue;

    std::vector<std::string_view> names;
    for (const auto& key : keys) {
      if (key.table == parent) names.push_back(key.name);
    }
    for (const auto table : tables) {
      if (table.size() > parent.size() && table.starts_with(parent) &&
          table[parent.size()] == '.') {
        names.push_back(table.substr(parent.size() + 1));
      }
    }
    return fmt::format("valid keys in [{}]: {}", parent, fmt::join(names, ", "));
  }
  std::vector<std::string_view> top;
  for (const auto table : tables) {
    if (table.find('.') == std::string_view::npos) top.push_back(table);
  }
  return fmt::format("valid tables: {}", fmt::join(top, ", "));
}

std::string format_busy_timeout(std::chrono::milliseconds timeout) {
  const auto ms = timeout.count();
  if (ms != 0 && ms % 60'000 == 0) return fmt::format("{}m", ms / 60'000);
  if (ms % 1000 == 0) return fmt::format("{}s", ms / 1000);
  return fmt::format("{}ms", ms);
}

std::string toml_quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\u{:04X}", static_cast<unsigned>(byte));
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

}  // namespace refnet::config::detail
