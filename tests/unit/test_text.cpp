// The text module: UTF-8 at its edges, terminal widths, trimming, folding, matching keys and
// suggestions.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "text/text.hpp"

using namespace refnet::text;
using namespace std::string_literals;

TEST_CASE("text: next_code_point decodes UTF-8 and replaces each bad byte alone") {
  const std::string s = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
  std::size_t pos = 0;
  CHECK(next_code_point(s, pos) == U'a');
  CHECK(next_code_point(s, pos) == U'é');
  CHECK(next_code_point(s, pos) == U'€');
  CHECK(next_code_point(s, pos) == U'😀');
  CHECK(pos == s.size());

  const std::string bad = "\xC0\xAF";  // overlong '/'
  pos = 0;
  bool valid = true;
  CHECK(next_code_point(bad, pos, &valid) == replacement_character);
  CHECK_FALSE(valid);
  CHECK(pos == 1);
}

TEST_CASE("text: first_invalid_utf8 finds the first bad byte") {
  CHECK_FALSE(first_invalid_utf8("plain ascii"));
  CHECK_FALSE(first_invalid_utf8("Z\xC3\xBCrich \xE2\x82\xAC \xF0\x9F\x98\x80"));
  CHECK(first_invalid_utf8("ab\xFF") == 2u);
  CHECK(first_invalid_utf8("\xC0\xAF") == 0u);          // overlong
  CHECK(first_invalid_utf8("\xE0\x80\xAF") == 0u);      // overlong
  CHECK(first_invalid_utf8("x\xED\xA0\x80") == 1u);     // surrogate
  CHECK(first_invalid_utf8("\xF4\x90\x80\x80") == 0u);  // past U+10FFFF
  CHECK(first_invalid_utf8("ok\xE2\x82") == 2u);        // truncated
}

TEST_CASE("text: valid_utf8 and append_utf8 round-trip every scalar value") {
  CHECK(valid_utf8("ok\xFF!") == "ok\uFFFD!");
  CHECK(valid_utf8("Dr. Müller") == "Dr. Müller");
  for (char32_t cp = 0; cp < 0x110000; cp += (cp < 0x800 ? 1 : 97)) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    std::string s;
    append_utf8(s, cp);
    std::size_t pos = 0;
    bool valid = false;
    REQUIRE(next_code_point(s, pos, &valid) == cp);
    REQUIRE(valid);
    REQUIRE(pos == s.size());
  }
}

TEST_CASE("text: display_width counts terminal columns") {
  CHECK(display_width("") == 0);
  CHECK(display_width("Ann Lee") == 7);
  CHECK(display_width("Müller") == 6);        // precomposed ü
  CHECK(display_width("Mu\u0308ller") == 6);  // u + combining diaeresis
  CHECK(display_width("Jose\u0301") == 4);
  CHECK(display_width("李小龍") == 6);
  CHECK(display_width("한국어") == 6);
  CHECK(display_width("\u1100\u1161") == 2);  // a jamo syllable: the vowel joins the consonant
  CHECK(display_width("ＡＢ") == 4);          // fullwidth forms
  CHECK(display_width("😀") == 2);
  CHECK(display_width("a\u200bb") == 2);  // zero width space
  CHECK(display_width("\x1b[31m") == 4);  // ESC itself takes no column; "[31m" does
  CHECK(display_width("\xff") == 1);      // shown as U+FFFD
  CHECK(display_width("𝄞") == 1);
  CHECK(display_width("\u0915\u093e") == 2);  // a Devanagari spacing vowel sign takes a column
  CHECK(display_width("\U0002FFF0") == 2);    // an unassigned ideograph will be wide
}

TEST_CASE("text: fit_width never cuts a character or strands its marks") {
  CHECK(fit_width("Ann Lee", 3) == "Ann");
  CHECK(fit_width("Ann", 10) == "Ann");
  CHECK(fit_width("李小龍", 3) == "李");  // the second would need columns 3 and 4
  CHECK(fit_width("Jose\u0301 Ruiz", 4) == "Jose\u0301");
  CHECK(fit_width("abc", 0) == "");
}

TEST_CASE("text: trim removes Unicode white space at both ends only") {
  CHECK(trim("  Ann  ") == "Ann");
  CHECK(trim("\t\r\nAnn Lee\r\n") == "Ann Lee");
  CHECK(trim("\u00a0Ann\u00a0") == "Ann");  // a spreadsheet's no-break space
  CHECK(trim("\u3000李\u2003") == "李");
  CHECK(trim("a  b") == "a  b");
  CHECK(trim("   ") == "");
  CHECK(trim("") == "");
  CHECK(trim("\xFF ") == "\xFF");  // an invalid byte is not white space
  CHECK_FALSE(trimmed_or_none(" \t"));
  CHECK(trimmed_or_none(" x ") == "x"s);
}

TEST_CASE("text: fold_case folds all of Unicode, not only ASCII") {
  CHECK(fold_case("Ann LEE") == "ann lee");
  CHECK(fold_case("NÚÑEZ") == fold_case("núñez"));
  CHECK(fold_case("STRASSE") == fold_case("straße"));
  CHECK(fold_case("ΣΊΣΥΦΟΣ") == fold_case("σίσυφος"));
  CHECK(equal_folded("Ärztehaus", "ÄRZTEHAUS"));
  CHECK_FALSE(equal_folded("Nunez", "Núñez"));  // accents still count here
}

TEST_CASE("text: match_key forgets case, accents and punctuation") {
  CHECK(match_key("O'Brien") == "obrien");
  CHECK(match_key("Núñez") == "nunez");
  CHECK(match_key("NUNEZ") == "nunez");
  CHECK(match_key("E-mail") == "email");
  CHECK(match_key("Phone Number") == "phonenumber");
  CHECK(match_key("contact_npi") == "contactnpi");
  CHECK(match_key("Ｄｒ．") == "dr");  // fullwidth letters are compatibility forms
  CHECK(match_key("Jose\u0301") == match_key("José"));
  CHECK(match_key("李小龍") == "李小龍");
  CHECK(match_key("--") == "");
}

TEST_CASE("text: match_words splits names into their words") {
  CHECK(match_words("Patel, Raj") == std::vector<std::string>{"patel", "raj"});
  CHECK(match_words("Dr. Raj  Patel") == std::vector<std::string>{"dr", "raj", "patel"});
  CHECK(match_words("Smith & Jones (Cardiology)") ==
        std::vector<std::string>{"smith", "jones", "cardiology"});
  CHECK(match_words("O'Brien") == std::vector<std::string>{"obrien"});
  CHECK(match_words(" , ").empty());
}

namespace {

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& w : search_words(text)) out.push_back(w.word);
  return out;
}

}  // namespace

TEST_CASE("text: search_words splits as the search index does, apostrophes and dots joining") {
  CHECK(words_of("Dr. Sean O'Brien") == std::vector<std::string>{"Dr", "Sean", "OBrien"});
  CHECK(words_of("O\u2019Brien-Smith") == std::vector<std::string>{"OBrien", "Smith"});
  CHECK(words_of("St.Mary's 2.5mg") == std::vector<std::string>{"StMarys", "25mg"});
  CHECK(words_of("NÚÑEZ, Ana") == std::vector<std::string>{"NÚÑEZ", "Ana"});
  CHECK(words_of("Nun\u0303ez") == std::vector<std::string>{"Nun\u0303ez"});  // a mark joins
  // What FTS5 would read as syntax is split like any punctuation, and leaves words or nothing.
  CHECK(words_of("NEAR(a b) -x OR \"y\"*") ==
        std::vector<std::string>{"NEAR", "a", "b", "x", "OR", "y"});
  CHECK(words_of("\" * - ' . ’").empty());
  const auto spans = search_words("Dr. O'Brien");
  REQUIRE(spans.size() == 2);
  CHECK(spans[1].begin == 4);
  CHECK(spans[1].end == 11);
}

TEST_CASE("text: search_excerpt shows the words around the first match") {
  CHECK(search_excerpt("Dr. Sean O'Brien", {"obrien"}, 60) == "Dr. Sean O'Brien");
  CHECK(search_excerpt("Dr. Ana Núñez", {"nunez"}, 60) == "Dr. Ana Núñez");
  CHECK(search_excerpt("chest pain", {"pa"}, 60) == "chest pain");       // the last key: a prefix
  CHECK(search_excerpt("chest pain", {"pa", "x"}, 60) == std::nullopt);  // only the last one
  CHECK(search_excerpt("chest pain", {"zzz"}, 60) == std::nullopt);
  CHECK(search_excerpt("line one\n\tline  two", {"two"}, 60) == "line one line two");
  const std::string note =
      "called the office twice about the schedule, then they finally agreed on an interpreter "
      "for the Spanish speaking patient next week";
  const auto excerpt = search_excerpt(note, {"interpreter"}, 40);
  REQUIRE(excerpt);
  CHECK(excerpt->starts_with("…"));
  CHECK(excerpt->ends_with("…"));
  CHECK(excerpt->find("interpreter") != std::string::npos);
  CHECK(display_width(*excerpt) <= 40);
  CHECK(search_excerpt(note, {"called"}, 20) == "called the office…");
}

TEST_CASE("text: ASCII helpers leave other bytes alone") {
  CHECK(ascii_lower("VCARD é") == "vcard é");
  CHECK(ascii_upper("tel;type=fax") == "TEL;TYPE=FAX");
  CHECK(iequals_ascii("Csv", "CSV"));
  CHECK_FALSE(iequals_ascii("csv", "csvx"));
  CHECK(all_digits("0123"));
  CHECK_FALSE(all_digits(""));
  CHECK_FALSE(all_digits("12a"));
}

TEST_CASE("text: edit_distance and closest suggest plausible slips only") {
  CHECK(edit_distance("referals", "referrals") == 1);
  CHECK(edit_distance("Output.Colour", "output.color") == 1);
  CHECK(edit_distance("Ñ", "ñ") == 0);
  CHECK(edit_distance("reprot", "report") == 1);
  CHECK(edit_distance("ab", "ba") == 1);
  CHECK(edit_distance("", "abc") == 3);
  const std::vector<std::string> commands{"refer", "report", "remove", "list"};
  CHECK(closest("reprot", commands) == "report"s);
  CHECK(closest("refr", commands) == "refer"s);
  CHECK_FALSE(closest("path", std::vector<std::string>{"name"}));  // two edits in four letters
  CHECK_FALSE(closest("xyzzy", commands));
}

TEST_CASE("text: fold breaks at spaces, keeps words whole, and cuts only a word too long") {
  CHECK(fold("send our report on referral #1404", 15) ==
        std::vector<std::string>{"send our report", "on referral", "#1404"});
  CHECK(fold("short", 10) == std::vector<std::string>{"short"});
  CHECK(fold("", 10) == std::vector<std::string>{""});
  CHECK(fold("abc ", 3) == std::vector<std::string>{"abc"});  // no blank line for a last space
  CHECK(fold("acknowledgement of", 6) == std::vector<std::string>{"acknow", "ledgem", "ent of"});
  CHECK(fold("Núñez Ortiz", 6) ==
        std::vector<std::string>{"Núñez", "Ortiz"});  // columns, not bytes
  CHECK(fold("漢字漢字", 3) == std::vector<std::string>{"漢", "字", "漢", "字"});
}
