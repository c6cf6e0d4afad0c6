// A document of sections as one HTML page (src/output/document_html.cpp): everything escaped,
// nothing that leads outside the page, the charts beside the numbers.

#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "output/document.hpp"

using namespace refnet;
using namespace refnet::output;

namespace {

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

Document hostile() {
  Document doc;
  doc.title = "Referral digest";
  doc.subtitle = "<script>alert(1)</script> & Co";
  DocSection s{"sources", "Where referrals came from"};
  DocTable weeks{"weeks", "Weeks"};
  weeks.columns = {{"week", "Week"}, {"in", "In", true}, {"out", "Out", true}};
  weeks.rows = {{std::string("2026-W47"), std::int64_t{3}, std::int64_t{0}},
                {std::string("2026-W48"), std::int64_t{1}, std::int64_t{2}}};
  weeks.chart = ChartKind::columns;
  weeks.chart_title = "per week";
  weeks.label_key = "week";
  weeks.series = {"in", "out"};
  DocTable names{"by_source", "By source"};
  names.columns = {{"name", "Name"}, {"referrals", "Referrals", true}, {"trend", "Trend"}};
  names.rows = {{std::string("<img src=http://x.test/a.png>"), std::int64_t{4}, RawJson{"[1,4,0]"}},
                {std::string("O'Brien \"Bo\" \x01 \xff"), std::int64_t{2}, RawJson{"[2]"}}};
  names.chart = ChartKind::bars;
  names.chart_title = "by source";
  names.label_key = "name";
  names.series = {"referrals"};
  names.sparkline_key = "trend";
  s.tables = {weeks, names};
  doc.sections.push_back(s);
  DocSection empty{"thanks", "Who to thank"};
  empty.empty = "No referrals came in this period.";
  doc.sections.push_back(empty);
  std::ostringstream out;
  return doc;
}

std::string page(const Document& doc) {
  std::ostringstream out;
  write_document_html(out, doc);
  return out.str();
}

}  // namespace

TEST_CASE("html_escape: markup characters, controls and broken UTF-8") {
  CHECK(html_escape(R"(<a href="x">O'Brien & co</a>)") ==
        "&lt;a href=&quot;x&quot;&gt;O&#39;Brien &amp; co&lt;/a&gt;");
  CHECK(html_escape("Núñez") == "Núñez");
  CHECK(html_escape("a\x01"
                    "b\x7f"
                    "c") ==
        "a\xef\xbf\xbd"
        "b\xef\xbf\xbd"
        "c");
  CHECK(html_escape("tab\tline\n") == "tab\tline\n");
  CHECK(html_escape("\xff") == "\xef\xbf\xbd");
  CHECK(html_escape("\xef\xbf\xbe") == "\xef\xbf\xbd");  // U+FFFE, a noncharacter
}

TEST_CASE("document html: one self-contained page, every text escaped") {
  const std::string html = page(hostile());
  CHECK(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
  CHECK(html.ends_with("</html>\n"));
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  // A name that holds an address is text on the page, never a link or a source.
  CHECK(html.find("&lt;img src=http://x.test/a.png&gt;") != std::string::npos);
  for (const char* pointer : {"href", "src=\"", "url(", "@import", "xlink", "xmlns"}) {
    CAPTURE(pointer);
    CHECK(html.find(pointer) == std::string::npos);
  }
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co") != std::string::npos);
  CHECK(html.find("O&#39;Brien &quot;Bo&quot; \xef\xbf\xbd \xef\xbf\xbd") != std::string::npos);
  CHECK(html.find("<meta name=\"viewport\"") != std::string::npos);
  CHECK(html.find("@media print") != std::string::npos);
}

TEST_CASE("document html: charts as inline SVG, their numbers in the tables too") {
  const std::string html = page(hostile());
  // The weekly columns, the source bars, and one sparkline per row.
  CHECK(count(html, "<svg ") == 4);
  CHECK(count(html, "</svg>") == 4);
  CHECK(count(html, "<rect ") == 2 * 2 + 2 + 2);  // bars, plus the legend's two swatches
  CHECK(html.find("<title>2026-W48 Out: 2</title>") != std::string::npos);
  CHECK(html.find("<span class=\"nums\">1 4 0</span>") != std::string::npos);
  CHECK(html.find("<table data-key=\"sources.weeks\">") != std::string::npos);
  CHECK(html.find("<td class=\"n\" data-col=\"in\">3</td>") != std::string::npos);
  CHECK(html.find("<p class=\"empty\">No referrals came in this period.</p>") != std::string::npos);
}
