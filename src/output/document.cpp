// A document of sections as plain text (the table format) and as JSON.
#include "output/document.hpp"

#include <algorithm>
#include <ostream>
#include <string>

#include "detail.hpp"
#include "text/text.hpp"

namespace refnet::output {

namespace {

// "[3,0,2]" as "3 0 2": the numbers of a sparkline, as text reads them.
std::string series_text(const Cell& cell) {
  const auto* raw = std::get_if<RawJson>(&cell);
  if (raw == nullptr) return cell_text(cell, true);
  std::string text;
  for (const char c : raw->text) {
    if (c == ',') {
      text += ' ';
    } else if (c != '[' && c != ']') {
      text += c;
    }
  }
  return text;
}

void put_line(std::ostream& out, std::string_view line, Tone tone, bool color) {
  const std::string shown = sanitize_for_terminal(line);
  if (color && tone != Tone::plain && !shown.empty()) {
    out << detail::sgr(tone) << shown << detail::sgr_reset << '\n';
  } else {
    out << shown << '\n';
  }
}

void write_text_table(std::ostream& out, const DocTable& table, const Options& options) {
  if (table.rows.empty()) return;
  out << '\n';
  if (!table.title.empty()) put_line(out, table.title, Tone::bold, options.color);
  std::size_t spark = table.columns.size();
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    if (table.columns[i].key == table.sparkline_key) spark = i;
  }
  const auto sink = detail::make_table_sink(out, options);
  sink->begin(table.columns);
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    std::vector<Cell> cells = table.rows[r];
    if (spark < cells.size()) cells[spark] = series_text(cells[spark]);
    for (auto& cell : cells) {
      if (std::holds_alternative<bool>(cell)) cell = shown_text(cell);
    }
    sink->row(cells, r < table.tones.size() ? table.tones[r] : Tone::plain);
  }
  sink->end();
  if (table.left_out > 0) {
    out << (options.utf8 ? "… " : "... ") << "and " << table.left_out << " more";
    if (!table.full_list.empty()) out << ": " << table.full_list;
    out << '\n';
  }
}

}  // namespace

std::string shown_text(const Cell& cell) {
  if (const auto* b = std::get_if<bool>(&cell)) return *b ? "yes" : "no";
  return cell_text(cell, true);
}

void write_document_text(std::ostream& out, const Document& doc, const Options& options) {
  put_line(out, doc.title, Tone::bold, options.color);
  if (!doc.subtitle.empty()) put_line(out, doc.subtitle, Tone::plain, options.color);
  const std::string_view rule = options.utf8 ? "─" : "-";
  for (const DocSection& section : doc.sections) {
    out << '\n';
    put_line(out, section.title, Tone::bold, options.color);
    std::string underline;
    for (std::size_t i = text::display_width(section.title); i > 0; --i) underline += rule;
    out << underline << '\n';
    if (!section.note.empty()) put_line(out, section.note, Tone::dim, options.color);
    if (!section.empty.empty()) {
      put_line(out, section.empty, Tone::plain, options.color);
      continue;
    }
    if (!section.figures.empty()) {
      std::string line;
      for (const Field& figure : section.figures) {
        if (!line.empty()) line += "   ";
        line += detail::record_title(figure.column) + ": " + shown_text(figure.cell);
      }
      put_line(out, line, Tone::plain, options.color);
    }
    for (const DocTable& table : section.tables) write_text_table(out, table, options);
  }
  out.flush();
}

void write_document_json(std::ostream& out, const Document& doc) {
  JsonWriter w(out);
  const auto text_or_null = [&](const std::string& text) {
    w.value(text.empty() ? Cell{} : Cell{text});
  };
  w.begin_object();
  w.key("title");
  w.value(doc.title);
  w.key("subtitle");
  w.value(doc.subtitle);
  w.key("period");
  w.begin_object();
  for (const Field& field : doc.about) {
    w.key(field.column.key);
    w.value(field.cell);
  }
  w.end_object();
  w.key("sections");
  w.begin_object();
  for (const DocSection& section : doc.sections) {
    w.key(section.key);
    w.begin_object();
    w.key("title");
    w.value(section.title);
    w.key("note");
    text_or_null(section.note);
    w.key("empty");
    text_or_null(section.empty);
    w.key("figures");
    w.begin_object();
    for (const Field& figure : section.figures) {
      w.key(figure.column.key);
      w.value(figure.cell);
    }
    w.end_object();
    w.key("tables");
    w.begin_object();
    for (const DocTable& table : section.tables) {
      w.key(table.key);
      w.begin_object();
      w.key("title");
      text_or_null(table.title);
      w.key("rows");
      w.begin_array();
      for (const auto& row : table.rows) {
        detail::check_row_width(row.size(), table.columns.size());
        w.begin_object();
        for (std::size_t i = 0; i < row.size(); ++i) {
          w.key(table.columns[i].key);
          w.value(row[i]);
        }
        w.end_object();
      }
      w.end_array();
      w.key("left_out");
      w.value(table.left_out);
      w.end_object();
    }
    w.end_object();
    w.end_object();
  }
  w.end_object();
  w.end_object();
  w.finish();
}

}  // namespace refnet::output
