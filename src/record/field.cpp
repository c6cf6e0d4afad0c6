// What every record description shares: values read from text by kind, lists as cells, header
// matching and the audit snapshot's JSON.
#include "record/field.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "domain/contact_info.hpp"
#include "domain/npi.hpp"
#include "text/text.hpp"

namespace refnet::record {

namespace {

std::optional<std::int64_t> positive_number(std::string_view text) {
  const auto t = text::trim(text);
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size() || n <= 0) return std::nullopt;
  return n;
}

// Trimmed text a domain rule checks (an NPI, an email address, a phone number): the problem says
// what the text is not, and why.
Problem checked(std::optional<std::string>& out, std::string_view text,
                std::optional<std::string> (*problem_of)(std::string_view), std::string_view what) {
  out = text::trimmed_or_none(text);
  if (!out) return {};
  if (auto p = problem_of(*out)) return fmt::format("{} is not {}: {}", shown(*out), what, *p);
  return {};
}

Problem not_a_time(std::string_view text) {
  if (domain::iso_outside_kept_years(text::trim(text))) {
    return fmt::format("{} is outside the years refnet keeps: 0000 to 9999 (UTC)", shown(text));
  }
  return fmt::format(
      "{} is not a date or time: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]",
      shown(text));
}

std::vector<std::string_view> split_list(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find(',', start), text.size());
    const auto item = text::trim(text.substr(start, end - start));
    if (!item.empty()) out.push_back(item);
    start = end + 1;
  }
  return out;
}

// SQLite's json_object escapes: \" \\ \b \t \n \f \r, and \u00xx for the other controls; every
// other byte as it is.
void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (byte < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(byte));
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

}  // namespace

bool blank(std::string_view text, Kind kind) {
  return kind == Kind::raw ? text.empty() : text::trim(text).empty();
}

std::string shown(std::string_view value) {
  if (value.size() > 40) return fmt::format("'{}...'", value.substr(0, 37));
  return fmt::format("'{}'", value);
}

Cell cell_of(const std::vector<std::string>& v) {
  if (v.empty()) return std::monostate{};
  std::string joined;
  for (const auto& item : v) joined += (joined.empty() ? "" : ",") + item;
  return joined;
}

Cell cell_of(const std::vector<std::int64_t>& v) {
  if (v.empty()) return std::monostate{};
  std::string joined;
  for (const auto item : v) joined += fmt::format("{}{}", joined.empty() ? "" : ",", item);
  return joined;
}

Cell json_array(const std::vector<std::string>& values) {
  std::string out = "[";
  for (const auto& v : values) {
    if (out.size() > 1) out += ',';
    append_json_string(out, v);
  }
  return output::RawJson{out + "]"};
}

Cell json_array(const std::vector<std::int64_t>& values) {
  std::string out = "[";
  for (const auto v : values) out += fmt::format("{}{}", out.size() > 1 ? "," : "", v);
  return output::RawJson{out + "]"};
}

Problem read_into(std::string& out, std::string_view text, Kind kind) {
  if (kind == Kind::date) {
    const auto t = text::trim(text);
    if (!domain::parse_iso_date(t)) {
      return fmt::format("{} is not a date: expected YYYY-MM-DD", shown(text));
    }
    out = std::string(t);
    return {};
  }
  out = kind == Kind::raw ? std::string(text) : std::string(text::trim(text));
  return {};
}

Problem read_into(std::optional<std::string>& out, std::string_view text, Kind kind) {
  switch (kind) {
    case Kind::raw:
      out = text.empty() ? std::nullopt : std::optional<std::string>(text);
      return {};
    case Kind::npi:
      return checked(out, text, domain::npi_problem, "a valid NPI");
    case Kind::email:
      return checked(out, text, domain::email_problem, "an email address");
    case Kind::phone:
      return checked(out, text, domain::phone_problem, "a phone number");
    default:
      out = text::trimmed_or_none(text);
      return {};
  }
}

Problem read_into(std::optional<std::int64_t>& out, std::string_view text, Kind) {
  out.reset();
  if (text::trim(text).empty()) return {};
  out = positive_number(text);
  if (!out) return fmt::format("{} is not an id (a positive whole number)", shown(text));
  return {};
}

Problem read_into(std::int64_t& out, std::string_view text, Kind kind) {
  std::optional<std::int64_t> n;
  if (auto p = read_into(n, text, kind)) return p;
  out = n.value_or(0);
  return {};
}

Problem read_into(domain::Timestamp& out, std::string_view text, Kind) {
  if (auto t = domain::parse_iso(text::trim(text))) {
    out = *t;
    return {};
  }
  return not_a_time(text);
}

Problem read_into(std::optional<domain::Timestamp>& out, std::string_view text, Kind) {
  out.reset();
  if (text::trim(text).empty()) return {};
  if (auto t = domain::parse_iso(text::trim(text))) {
    out = *t;
    return {};
  }
  return not_a_time(text);
}

Problem read_into(std::vector<std::string>& out, std::string_view text, Kind) {
  // Tags compare case-insensitively, as `list --tag` filters them: the first spelling stays.
  out.clear();
  for (const auto item : split_list(text)) {
    const bool again = std::any_of(out.begin(), out.end(), [&](const std::string& have) {
      return text::iequals_ascii(have, item);
    });
    if (!again) out.emplace_back(item);
  }
  return {};
}

Problem read_into(std::vector<std::int64_t>& out, std::string_view text, Kind) {
  out.clear();
  for (const auto item : split_list(text)) {
    const auto n = positive_number(item);
    if (!n) {
      out.clear();
      return fmt::format("{} is not a list of ids like 3,7", shown(text));
    }
    if (std::find(out.begin(), out.end(), *n) == out.end()) out.push_back(*n);
  }
  std::sort(out.begin(), out.end());
  return {};
}

Problem read_word(std::string& out, std::string_view text,
                  std::span<const std::string_view> words) {
  const auto t = text::trim(text);
  for (const auto w : words) {
    if (text::iequals_ascii(t, w)) {
      out = std::string(w);
      return {};
    }
  }
  return fmt::format("{} is not one of: {}", shown(text), domain::one_of_text(words));
}

Problem read_word(std::optional<std::string>& out, std::string_view text,
                  std::span<const std::string_view> words) {
  out.reset();
  if (text::trim(text).empty()) return {};
  std::string word;
  if (auto p = read_word(word, text, words)) return p;
  out = std::move(word);
  return {};
}

namespace detail {

bool right_aligned(Kind kind) {
  return kind == Kind::id || kind == Kind::count;
}

bool header_matches(std::string_view header, std::string_view key,
                    std::span<const std::string_view> aliases) {
  const auto wanted = text::match_key(header);
  if (wanted.empty()) return false;
  if (wanted == text::match_key(key)) return true;
  return std::any_of(aliases.begin(), aliases.end(),
                     [&](std::string_view alias) { return wanted == text::match_key(alias); });
}

void append_json_member(std::string& out, std::string_view key, const Cell& value) {
  if (out.size() > 1) out += ',';
  append_json_string(out, key);
  out += ':';
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          out += "null";
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          out += fmt::format("{}", v);
        } else if constexpr (std::is_same_v<T, double>) {
          out += fmt::format("{}", v);
        } else if constexpr (std::is_same_v<T, bool>) {
          out += v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::string>) {
          append_json_string(out, v);
        } else if constexpr (std::is_same_v<T, domain::Timestamp>) {
          append_json_string(out, domain::format_utc(v));
        } else if constexpr (std::is_same_v<T, output::DateCell>) {
          append_json_string(out, v.iso);
        } else {
          out += v.text;  // RawJson: a list's array
        }
      },
      value);
}

}  // namespace detail

}  // namespace refnet::record
