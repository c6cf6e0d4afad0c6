// A document of sections (report digest): its model, and its writers for text, json and html.
#pragma once

// The one output that is a page to read rather than rows: sections, each with a few figures and
// small tables, some of them drawn as charts. A report fills a Document; the writers below only
// lay it out, so the text, the json and the html carry the same figures. Charts are drawing,
// never data alone: every number a chart shows is in its table too.

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "output/json_writer.hpp"
#include "output/sink.hpp"

namespace refnet::output {

// What a table draws besides its rows (html only; the text and json carry the numbers alone).
enum class ChartKind {
  none,
  columns,  // one group of vertical bars per row, one bar per `series` column (in and out a week)
  bars,     // one horizontal bar per row, of the first `series` column (a share)
};

struct DocTable {
  std::string key;    // json key within its section: snake_case
  std::string title;  // a heading above it; empty for none
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;  // as many cells as columns
  std::vector<Tone> tones;              // per row, or empty: a highlighted row (table colour, html)
  ChartKind chart = ChartKind::none;
  std::string chart_title;          // what the chart shows, for people and screen readers
  std::string label_key;            // the column that names a row in the chart
  std::vector<std::string> series;  // the columns the chart draws, in order
  // A column of RawJson arrays of whole numbers, drawn in html as a sparkline beside the numbers.
  std::string sparkline_key;
  // Rows the page left out (it shows the first few), and where the full list is.
  std::int64_t left_out = 0;
  std::string full_list;  // "refnet report at-risk"
};

struct DocSection {
  std::string key;    // json key: snake_case
  std::string title;  // "What needs doing"
  std::string note;   // one line under the title: its window, how it is counted; may be empty
  // When set, the section has nothing to show and says so in this one line; its tables are
  // still in the json, without rows.
  std::string empty;
  std::vector<Field> figures;  // single figures: "overdue 33"
  std::vector<DocTable> tables;
};

struct Document {
  std::string title;         // "Referral digest"
  std::string subtitle;      // whose network, which days
  std::vector<Field> about;  // the period as data (json "period"): since, until, as_of
  std::vector<DocSection> sections;
};

// Plain text for a terminal or a plain-text mail: each section's title underlined, its figures
// on one line, its tables as the table format aligns them (colour and fitting per `options`).
void write_document_text(std::ostream& out, const Document& doc, const Options& options);

// One JSON object: title, subtitle, period, and each section by key with its title, note, empty
// message (null when it has content), figures by key, and tables by key as {rows, left_out}.
void write_document_json(std::ostream& out, const Document& doc);

// One self-contained HTML5 page: styles in the page, no script, no web font, no link, image or
// address that leads outside it; charts as inline SVG beside the tables that hold their
// numbers; readable at phone width, printable. Every text is escaped.
void write_document_html(std::ostream& out, const Document& doc);

// A cell as the text and the page show it: as a table does (local times), true and false as yes
// and no.
std::string shown_text(const Cell& cell);

// `text` escaped for HTML and XML alike (& < > " '), with invalid UTF-8 and characters neither
// allows (C0 and C1 controls other than tab, line feed and carriage return; noncharacters) shown
// as U+FFFD.
std::string html_escape(std::string_view text);

}  // namespace refnet::output
