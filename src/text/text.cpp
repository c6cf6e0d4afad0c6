// UTF-8, width, trimming, folding and matching keys, on utf8proc's Unicode tables.
#include "text/text.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>

namespace refnet::text {

namespace {

bool is_continuation(unsigned char byte, unsigned char low = 0x80, unsigned char high = 0xBF) {
  return byte >= low && byte <= high;
}

// utf8proc_map on text that is valid UTF-8 (invalid bytes replaced first); the result is owned.
std::string map(std::string_view text, int options) {
  const std::string valid = valid_utf8(text);
  utf8proc_uint8_t* out = nullptr;
  const auto length = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(valid.data()),
                                   static_cast<utf8proc_ssize_t>(valid.size()), &out,
                                   static_cast<utf8proc_option_t>(options));
  const std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(out, &std::free);
  if (length < 0) return valid;  // only on running out of memory: compare the text as it is
  return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(length));
}

bool is_letter_or_digit(char32_t cp) {
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

bool splits_words(char32_t cp) {
  return is_space(cp) || cp == U',' || cp == U';' || cp == U'/' || cp == U'(' || cp == U')' ||
         cp == U'&' || cp == U'+';
}

// The letters and digits of an already folded and stripped text.
std::string letters_and_digits(std::string_view folded) {
  std::string out;
  out.reserve(folded.size());
  std::size_t pos = 0;
  while (pos < folded.size()) {
    const std::size_t start = pos;
    const char32_t cp = next_code_point(folded, pos);
    if (is_letter_or_digit(cp)) out.append(folded.substr(start, pos - start));
  }
  return out;
}

constexpr int match_options = UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE |
                              UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE;

std::vector<char32_t> code_points(std::string_view text) {
  std::vector<char32_t> out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) out.push_back(next_code_point(text, pos));
  return out;
}

}  // namespace

char32_t next_code_point(std::string_view text, std::size_t& pos, bool* valid) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[pos + i]); };
  const std::size_t left = text.size() - pos;
  const unsigned char b0 = byte(0);
  std::size_t length = 0;
  char32_t cp = 0;
  unsigned char low = 0x80;  // the range the second byte must fall in, per RFC 3629's table
  unsigned char high = 0xBF;
  if (b0 < 0x80) {
    length = 1;
    cp = b0;
  } else if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
    cp = b0 & 0x1Fu;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    cp = b0 & 0x0Fu;
    if (b0 == 0xE0) low = 0xA0;   // no overlong forms
    if (b0 == 0xED) high = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    cp = b0 & 0x07u;
    if (b0 == 0xF0) low = 0x90;   // no overlong forms
    if (b0 == 0xF4) high = 0x8F;  // nothing above U+10FFFF
  }
  bool ok = length != 0 && length <= left;
  for (std::size_t i = 1; ok && i < length; ++i) {
    ok = i == 1 ? is_continuation(byte(i), low, high) : is_continuation(byte(i));
    cp = (cp << 6) | (byte(i) & 0x3Fu);
  }
  if (valid != nullptr) *valid = ok;
  if (!ok) {
    ++pos;
    return replacement_character;
  }
  pos += length;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  const auto put = [&](std::uint32_t bits) { out.push_back(static_cast<char>(bits)); };
  const auto c = static_cast<std::uint32_t>(cp);
  if (c < 0x80) {
    put(c);
  } else if (c < 0x800) {
    put(0xC0 | (c >> 6));
    put(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    put(0xE0 | (c >> 12));
    put(0x80 | ((c >> 6) & 0x3F));
    put(0x80 | (c & 0x3F));
  } else {
    put(0xF0 | (c >> 18));
    put(0x80 | ((c >> 12) & 0x3F));
    put(0x80 | ((c >> 6) & 0x3F));
    put(0x80 | (c & 0x3F));
  }
}

std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    // Most imported text is ASCII: skip it a byte at a time without decoding.
    if (static_cast<unsigned char>(text[pos]) < 0x80) {
      ++pos;
      continue;
    }
    const std::size_t start = pos;
    bool valid = true;
    next_code_point(text, pos, &valid);
    if (!valid) return start;
  }
  return std::nullopt;
}

std::string valid_utf8(std::string_view text) {
  if (!first_invalid_utf8(text)) return std::string(text);
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = pos;
    bool valid = true;
    next_code_point(text, pos, &valid);
    if (valid) {
      out.append(text.substr(start, pos - start));
    } else {
      append_utf8(out, replacement_character);
    }
  }
  return out;
}

int code_point_width(char32_t cp) {
  if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return 0;
  // Hangul medial vowels and final consonants join the initial consonant before them into one
  // syllable on a terminal (glibc's wcwidth says 0; utf8proc counts them as letters).
  if (cp >= 0x1160 && cp <= 0x11FF) return 0;
  const auto c = static_cast<utf8proc_int32_t>(cp);
  const auto category = utf8proc_category(c);
  // A spacing mark takes a column of its own (utf8proc gives every mark 0).
  if (category == UTF8PROC_CATEGORY_MC) return 1;
  // Ideographs not yet assigned in the CJK planes will be wide, as terminals already draw them.
  if (category == UTF8PROC_CATEGORY_CN &&
      ((cp >= 0x20000 && cp <= 0x2FFFD) || (cp >= 0x30000 && cp <= 0x3FFFD))) {
    return 2;
  }
  return utf8proc_charwidth(c);
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (static_cast<unsigned char>(text[pos]) >= 0x20 &&
        static_cast<unsigned char>(text[pos]) < 0x7F) {
      ++width;
      ++pos;
      continue;
    }
    bool valid = true;
    const char32_t cp = next_code_point(text, pos, &valid);
    width += valid ? static_cast<std::size_t>(code_point_width(cp)) : 1;
  }
  return width;
}

std::string_view fit_width(std::string_view text, std::size_t columns) {
  std::size_t width = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t next = pos;
    bool valid = true;
    const char32_t cp = next_code_point(text, next, &valid);
    const std::size_t w = valid ? static_cast<std::size_t>(code_point_width(cp)) : 1;
    if (width + w > columns) break;
    width += w;
    pos = next;
  }
  // A zero-width mark after the cut belongs to the last character kept.
  while (pos < text.size()) {
    std::size_t next = pos;
    bool valid = true;
    const char32_t cp = next_code_point(text, next, &valid);
    if (!valid || code_point_width(cp) != 0 || cp < 0x20) break;
    pos = next;
  }
  return text.substr(0, pos);
}

std::vector<std::string> fold(std::string_view text, std::size_t columns) {
  columns = std::max<std::size_t>(columns, 1);
  std::vector<std::string> lines;
  while (display_width(text) > columns) {
    const auto head = fit_width(text, columns);
    std::size_t cut = head.size();
    std::size_t skip = 0;
    if (cut < text.size() && text[cut] == ' ') {
      skip = 1;  // the line ends at a word's end
    } else if (const auto space = head.rfind(' '); space != std::string_view::npos && space > 0) {
      cut = space;
      skip = 1;
    } else if (cut == 0) {
      cut = 1;  // a character wider than the line: alone on it
      while (cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) ++cut;
    }
    lines.emplace_back(text.substr(0, cut));
    text.remove_prefix(cut + skip);
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  }
  if (!text.empty() || lines.empty()) lines.emplace_back(text);
  return lines;
}

bool is_space(char32_t cp) {
  if (cp == U' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85) return true;
  if (cp < 0xA0) return false;
  const auto category = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return category == UTF8PROC_CATEGORY_ZS || category == UTF8PROC_CATEGORY_ZL ||
         category == UTF8PROC_CATEGORY_ZP;
}

std::string_view trim(std::string_view text) {
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t next = begin;
    bool valid = true;
    const char32_t cp = next_code_point(text, next, &valid);
    if (!valid || !is_space(cp)) break;
    begin = next;
  }
  std::size_t end = text.size();
  while (end > begin) {
    // Back to the start of the last character: at most three continuation bytes before it.
    std::size_t start = end - 1;
    while (start > begin && end - start < 4 &&
           (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
      --start;
    }
    std::size_t next = start;
    bool valid = true;
    const char32_t cp = next_code_point(text, next, &valid);
    if (!valid || next != end || !is_space(cp)) break;
    end = start;
  }
  return text.substr(begin, end - begin);
}

std::optional<std::string> trimmed_or_none(std::string_view text) {
  const auto t = trim(text);
  if (t.empty()) return std::nullopt;
  return std::string(t);
}

std::string fold_case(std::string_view text) {
  bool ascii = true;
  for (const char c : text) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) return ascii_lower(text);
  return map(text, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
}

bool equal_folded(std::string_view a, std::string_view b) {
  return fold_case(a) == fold_case(b);
}

std::string match_key(std::string_view text) {
  // ASCII, most names: lower case letters and digits are the whole key, without utf8proc's
  // decomposition (a twentieth of the time, which a search over every name adds up).
  if (std::all_of(text.begin(), text.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    std::string key;
    key.reserve(text.size());
    for (const char c : text) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        key.push_back(c);
      } else if (c >= 'A' && c <= 'Z') {
        key.push_back(static_cast<char>(c - 'A' + 'a'));
      }
    }
    return key;
  }
  return letters_and_digits(map(text, match_options));
}

std::vector<std::string> match_words(std::string_view text) {
  std::vector<std::string> words;
  std::size_t pos = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t here = pos;
    const bool at_end = pos >= text.size();
    const bool split = !at_end && splits_words(next_code_point(text, pos));
    if (at_end || split) {
      if (auto key = match_key(text.substr(start, here - start)); !key.empty()) {
        words.push_back(std::move(key));
      }
      if (at_end) break;
      start = pos;
    }
  }
  return words;
}

namespace {

bool is_mark(char32_t cp) {
  const auto category = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return category == UTF8PROC_CATEGORY_MN || category == UTF8PROC_CATEGORY_MC ||
         category == UTF8PROC_CATEGORY_ME;
}

// What the search index's triggers take out of a text before FTS5 splits it into words.
bool joins_words(char32_t cp) {
  return cp == U'\'' || cp == U'\u2019' || cp == U'.';
}

}  // namespace

std::vector<SearchWord> search_words(std::string_view text) {
  std::vector<SearchWord> words;
  std::optional<SearchWord> current;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = pos;
    const char32_t cp = next_code_point(text, pos);
    if (is_letter_or_digit(cp) || is_mark(cp)) {
      if (!current) current = SearchWord{start, pos, {}};
      current->word.append(text.substr(start, pos - start));
      current->end = pos;
    } else if (!joins_words(cp) && current) {
      words.push_back(std::move(*current));
      current.reset();
    }
  }
  if (current) words.push_back(std::move(*current));
  return words;
}

std::optional<std::string> search_excerpt(std::string_view text,
                                          const std::vector<std::string>& keys,
                                          std::size_t columns) {
  if (keys.empty()) return std::nullopt;
  std::string flat;
  bool space = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = pos;
    if (is_space(next_code_point(text, pos))) {
      space = true;
      continue;
    }
    if (space && !flat.empty()) flat += ' ';
    space = false;
    flat.append(text.substr(start, pos - start));
  }
  const auto words = search_words(flat);
  std::size_t found = words.size();
  for (std::size_t i = 0; i < words.size() && found == words.size(); ++i) {
    const auto key = match_key(words[i].word);
    if (key.starts_with(keys.back()) || std::find(keys.begin(), keys.end(), key) != keys.end()) {
      found = i;
    }
  }
  if (found == words.size()) return std::nullopt;
  if (display_width(flat) <= columns) return flat;
  // Two words before the match, unless that leaves no room for it.
  std::size_t start = words[found >= 2 ? found - 2 : 0].begin;
  const auto room = columns > 2 ? columns - 2 : 1;
  if (display_width(std::string_view(flat).substr(start, words[found].end - start)) > room) {
    start = words[found].begin;
  }
  std::string out = start > 0 ? "…" : "";
  const auto rest = std::string_view(flat).substr(start);
  const auto budget = columns - (start > 0 ? 1 : 0);
  if (display_width(rest) <= budget) return out.append(rest);
  auto cut = fit_width(rest, budget > 1 ? budget - 1 : 0);
  // At the end of a word, when that keeps the match.
  if (cut.size() < rest.size() && rest[cut.size()] != ' ') {
    const auto last_space = cut.rfind(' ');
    if (last_space != std::string_view::npos && last_space >= words[found].end - start) {
      cut = cut.substr(0, last_space);
    }
  }
  while (!cut.empty() && cut.back() == ' ') cut.remove_suffix(1);
  return out.append(cut).append("…");
}

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

std::string ascii_upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool iequals_ascii(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return is_digit(c); });
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const auto x = code_points(fold_case(a));
  const auto y = code_points(fold_case(b));
  // Three rows of the optimal string alignment table: two letters swapped ("reprot") are one
  // slip of the fingers, not two.
  std::vector<std::size_t> before(y.size() + 1), above(y.size() + 1), row(y.size() + 1);
  for (std::size_t j = 0; j <= y.size(); ++j) above[j] = j;
  for (std::size_t i = 1; i <= x.size(); ++i) {
    row[0] = i;
    for (std::size_t j = 1; j <= y.size(); ++j) {
      const std::size_t substitute = above[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1);
      row[j] = std::min({above[j] + 1, row[j - 1] + 1, substitute});
      if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1]) {
        row[j] = std::min(row[j], before[j - 2] + 1);
      }
    }
    std::swap(before, above);
    std::swap(above, row);
  }
  return above[y.size()];
}

std::optional<std::string> closest(std::string_view word,
                                   std::span<const std::string_view> candidates) {
  const std::size_t length = code_points(word).size();
  const std::size_t allowed = std::clamp<std::size_t>(length / 4, 1, 3);
  std::optional<std::string> best;
  std::size_t best_distance = allowed + 1;
  for (const auto candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = std::string(candidate);
    }
  }
  return best;
}

std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string>& candidates) {
  std::vector<std::string_view> views(candidates.begin(), candidates.end());
  return closest(word, std::span<const std::string_view>(views));
}

}  // namespace refnet::text
