// Config key lookup, did-you-mean and valid-key hints, busy timeouts as text, TOML quoting.
#include "keys.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <vector>

#include "text/text.hpp"

namespace refnet::config::detail {

namespace {

std::string_view leaf_of(std::string_view dotted_name) {
  const auto dot = dotted_name.rfind('.');
  return dot == std::string_view::npos ? dotted_name : dotted_name.substr(dot + 1);
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

  if (auto best = text::closest(dotted_name, candidates)) return best;

  // The right key in the wrong table: `color` under [database] means output.color.
  for (const auto& key : keys) {
    if (text::iequals_ascii(leaf_of(dotted_name), key.name)) return dotted(key);
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
