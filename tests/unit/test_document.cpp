// A document of sections as text and as JSON (src/output/document.cpp): what each shows of the
// same figures, empty sections in one line, and no colour unless asked.

#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "output/document.hpp"

using namespace refnet;
using namespace refnet::output;

namespace {

Document sample() {
  Document doc;
  doc.title = "Referral digest";
  doc.subtitle = "2026-11-21 to 2026-11-27";
  doc.about = {{{"since", "Since"}, DateCell{"2026-11-21"}}};
  DocSection risk{"at_risk", "Referrers at risk", "the last 90 days"};
  DocTable table{"referrers", ""};
  table.columns = {{"contact", "Contact"},
                   {"contact_id", "Contact ID", true, Tone::plain, false},
                   {"drop", "Drop %", true},
                   {"met", "Met"},
                   {"trend", "Trend"}};
  table.sparkline_key = "trend";
  table.rows.push_back(
      {std::string("Ann \"A\" Lee"), std::int64_t{7}, 42.5, true, RawJson{"[3,0,2]"}});
  table.tones = {Tone::alert};
  table.left_out = 4;
  table.full_list = "refnet report at-risk";
  risk.figures = {{{"graded", "Graded"}, std::int64_t{5}}};
  risk.tables.push_back(table);
  doc.sections.push_back(risk);
  DocSection quiet{"coming", "The coming 7 days"};
  quiet.empty = "Nothing is planned for the coming 7 days.";
  DocTable none{"items", ""};
  none.columns = {{"when", "When"}};
  quiet.tables.push_back(none);
  doc.sections.push_back(quiet);
  return doc;
}

std::string text_of(const Document& doc, bool color) {
  std::ostringstream out;
  Options options;
  options.color = color;
  write_document_text(out, doc, options);
  return out.str();
}

}  // namespace

TEST_CASE("document text: titles underlined, figures, tables, what was left out") {
  const std::string text = text_of(sample(), false);
  CHECK(
      text.starts_with("Referral digest\n2026-11-21 to 2026-11-27\n\nReferrers at risk\n"
                       "─────────────────\nthe last 90 days\nGraded: 5\n"));
  CHECK(text.find("Ann \"A\" Lee") != std::string::npos);
  CHECK(text.find("3 0 2") != std::string::npos);       // the sparkline's numbers
  CHECK(text.find("yes") != std::string::npos);         // true reads yes
  CHECK(text.find("Contact ID") == std::string::npos);  // json-only column
  CHECK(text.find("… and 4 more: refnet report at-risk\n") != std::string::npos);
  // An empty section is its title and one line.
  CHECK(
      text.ends_with("The coming 7 days\n─────────────────\n"
                     "Nothing is planned for the coming 7 days.\n"));
  CHECK(text.find('\x1b') == std::string::npos);
}

TEST_CASE("document text: colour only when asked") {
  CHECK(text_of(sample(), true).find("\x1b[") != std::string::npos);
}

TEST_CASE("document json: every section by key, its figures and rows with every column") {
  std::ostringstream out;
  write_document_json(out, sample());
  const std::string json = out.str();
  CHECK(json.find(R"("period": {)") != std::string::npos);
  CHECK(json.find(R"("since": "2026-11-21")") != std::string::npos);
  CHECK(json.find(R"("at_risk": {)") != std::string::npos);
  CHECK(json.find(R"("graded": 5)") != std::string::npos);
  CHECK(json.find(R"("contact": "Ann \"A\" Lee")") != std::string::npos);
  CHECK(json.find(R"("contact_id": 7)") != std::string::npos);
  CHECK(json.find(R"("drop": 42.5)") != std::string::npos);
  CHECK(json.find(R"("met": true)") != std::string::npos);
  CHECK(json.find(R"("trend": [3,0,2])") != std::string::npos);
  CHECK(json.find(R"("left_out": 4)") != std::string::npos);
  CHECK(json.find(R"("empty": "Nothing is planned for the coming 7 days.")") != std::string::npos);
  CHECK(json.find(R"("empty": null)") != std::string::npos);
  CHECK(json.find(R"("rows": [])") != std::string::npos);
}

TEST_CASE("shown_text: as a table shows a cell, true and false as yes and no") {
  CHECK(shown_text(Cell{true}) == "yes");
  CHECK(shown_text(Cell{false}) == "no");
  CHECK(shown_text(Cell{std::int64_t{3}}) == "3");
  CHECK(shown_text(Cell{}).empty());
}
