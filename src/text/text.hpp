// UTF-8, terminal width, trimming, case folding, match keys, ASCII words and did-you-mean.
#pragma once

// Text as refnet handles it everywhere: UTF-8 decoding and encoding, terminal width, trimming,
// Unicode case folding and the accent- and punctuation-blind keys names are matched by.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace refnet::text {

// --- UTF-8 ---

inline constexpr char32_t replacement_character = 0xFFFD;

// Decodes one UTF-8 sequence at text[pos] and advances pos past it. Overlong forms, surrogates,
// values above U+10FFFF and truncated sequences are invalid (RFC 3629): the result is U+FFFD
// and pos moves by one byte, so every bad byte is replaced on its own.
char32_t next_code_point(std::string_view text, std::size_t& pos, bool* valid = nullptr);
void append_utf8(std::string& out, char32_t cp);
// The offset of the first byte that does not start a valid UTF-8 sequence, or nothing.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);
// `text` with every invalid byte replaced by U+FFFD: what refnet writes is always UTF-8.
std::string valid_utf8(std::string_view text);

// --- width ---

// Terminal columns of one code point: 0 for controls, combining marks and other zero-width
// characters, 2 for East Asian wide and fullwidth ones, else 1 (utf8proc's table, with the
// corrections terminals make; see text.cpp).
int code_point_width(char32_t cp);
// Columns `text` takes on a terminal; an invalid byte is shown as U+FFFD, one column.
std::size_t display_width(std::string_view text);
// The longest start of `text` that fits in `columns`, never cutting a character.
std::string_view fit_width(std::string_view text, std::size_t columns);
// `text` folded into lines of at most `columns` (at least 1): broken at spaces, which are
// dropped there, and a word longer than a line across lines. Empty text is one empty line.
std::vector<std::string> fold(std::string_view text, std::size_t columns);

// --- whitespace ---

// Unicode White_Space: ASCII space, tab and line breaks, NEL, no-break and other spaces.
bool is_space(char32_t cp);
// `text` without white space at either end (a spreadsheet's no-break space included).
std::string_view trim(std::string_view text);
// Trimmed, and nothing when that leaves nothing: how a free-text field is stored.
std::optional<std::string> trimmed_or_none(std::string_view text);

// --- case and accents ---

// Unicode full case folding (NFC): "STRASSE" and "straße" fold alike, as do "ÑÚÑEZ" and "ñúñez".
std::string fold_case(std::string_view text);
bool equal_folded(std::string_view a, std::string_view b);
// What two spellings of a name or a header have in common: case folded, compatibility
// decomposed, accents stripped, and only letters and digits kept. "O'Brien" and "obrien",
// "Núñez" and "NUNEZ", "E-mail" and "email" all give the same key.
std::string match_key(std::string_view text);
// The match keys of the words of `text`, split at white space and at , ; / ( ) & +, empty ones
// left out: "Patel, Raj" gives {"patel", "raj"}.
std::vector<std::string> match_words(std::string_view text);

// --- search ---

// One word of a text as `refnet search` indexes it (README "Search"): a run of letters, digits
// and combining marks, in which apostrophes (' and ’) and dots join rather than split
// ("O'Brien" is one word, "OBrien"; "St." is "St"). `begin` and `end` are its bytes in the text,
// `word` the word without those apostrophes and dots.
struct SearchWord {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string word;
};
std::vector<SearchWord> search_words(std::string_view text);

// An excerpt of `text` around its first word that matches one of `keys` (match keys of the words
// searched for; the last of them matches the start of a word too), at most `columns` wide: white
// space runs as one space, and "…" where text was left out. Nothing when no word matches.
std::optional<std::string> search_excerpt(std::string_view text,
                                          const std::vector<std::string>& keys,
                                          std::size_t columns);

// --- ASCII, for protocol words (vCard properties, format names) that are ASCII by definition ---

char ascii_lower(char c);
std::string ascii_lower(std::string_view text);
std::string ascii_upper(std::string_view text);
bool iequals_ascii(std::string_view a, std::string_view b);
bool is_digit(char c);
bool all_digits(std::string_view text);

// --- json strings ---

// Decodes the escape after a backslash in a json string (RFC 8259 section 7), UTF-16 surrogate
// pairs included, and appends what it stands for to `out` as UTF-8. `next()` gives the bytes
// that follow, as ints, and anything outside 0-255 at the end. Returns what is wrong when it is
// not a json escape. The json reader and the audit snapshot rewriter both read escapes with it.
template <class Next>
std::optional<std::string> append_json_escape(std::string& out, Next&& next) {
  const int e = next();
  switch (e) {
    case '"':
    case '\\':
    case '/':
      out.push_back(static_cast<char>(e));
      return std::nullopt;
    case 'b':
      out.push_back('\b');
      return std::nullopt;
    case 'f':
      out.push_back('\f');
      return std::nullopt;
    case 'n':
      out.push_back('\n');
      return std::nullopt;
    case 'r':
      out.push_back('\r');
      return std::nullopt;
    case 't':
      out.push_back('\t');
      return std::nullopt;
    case 'u':
      break;
    default:
      return "unknown escape \\" +
             std::string(1, e >= 0x20 && e < 0x7F ? static_cast<char>(e) : ' ') + " in a string";
  }
  bool hex = true;
  const auto hex4 = [&] {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const int h = next();
      v <<= 4;
      if (h >= '0' && h <= '9') {
        v |= static_cast<std::uint32_t>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        v |= static_cast<std::uint32_t>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        v |= static_cast<std::uint32_t>(h - 'A' + 10);
      } else {
        hex = false;
      }
    }
    return v;
  };
  std::uint32_t cp = hex4();
  if (!hex) return "\\u must be followed by four hex digits";
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    if (next() != '\\' || next() != 'u') return "a lone UTF-16 surrogate in \\u";
    const std::uint32_t low = hex4();
    if (!hex) return "\\u must be followed by four hex digits";
    if (low < 0xDC00 || low > 0xDFFF) return "a lone UTF-16 surrogate in \\u";
    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
  } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
    return "a lone UTF-16 surrogate in \\u";
  }
  append_utf8(out, static_cast<char32_t>(cp));
  return std::nullopt;
}

// --- suggestions ---

// Edits between the folded texts, counted in code points: an insertion, a deletion, a
// substitution or two neighbours swapped each count one.
std::size_t edit_distance(std::string_view a, std::string_view b);
// The candidate nearest to `word` for a "did you mean", when one is near enough to be a slip: a
// few edits, fewer for short words (a quarter of its length, from 1 to 3), so "path" never
// suggests "name". Ties go to the first candidate.
std::optional<std::string> closest(std::string_view word,
                                   std::span<const std::string_view> candidates);
std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string>& candidates);

}  // namespace refnet::text
