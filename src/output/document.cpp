// A document of sections as plain text (the table format) and as JSON.
#include "output/document.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ostream>
#include <string>

#include "detail.hpp"
#include "text/text.hpp"

namespace refnet::output {

namespace {

// A sparkline's numbers ("[3,0,2]") as text reads them: "3 0 2"; where the text must fit a
// width (a terminal, a mail) and may be Unicode, one bar a value, "▇▁▄", each scaled to the
// row's largest (a zero is the lowest bar, anything more at least the second), so fifteen months
// take fifteen columns.
std::string series_text(const Cell& cell, const Options& options) {
  if (!std::holds_alternative<RawJson>(cell)) return cell_text(cell, true);
  const auto values = detail::series_of(cell);
  std::string text;
  if (options.fit_width == 0 || !options.utf8) {
    for (const auto v : values) text += (text.empty() ? "" : " ") + std::to_string(v);
    return text;
  }
  static constexpr std::string_view bars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  const std::int64_t top = values.empty() ? 0 : *std::max_element(values.begin(), values.end());
  for (const auto v : values) {
    const auto level = v <= 0 || top <= 0 ? 0 : (v * 7 + top - 1) / top;
    text += bars[static_cast<std::size_t>(std::min<std::int64_t>(level, 7))];
  }
  return text;
}

// One line of prose, folded at spaces to `width` columns when a width is set.
void put_line(std::ostream& out, std::string_view line, Tone tone, bool color,
              std::size_t width = 0) {
  const std::string shown = sanitize_for_terminal(line);
  const auto lines = width > 0 ? text::fold(shown, width) : std::vector<std::string>{shown};
  for (const auto& l : lines) {
    if (color && tone != Tone::plain && !l.empty()) {
      out << detail::sgr(tone) << l << detail::sgr_reset << '\n';
    } else {
      out << l << '\n';
    }
  }
}

void write_text_table(std::ostream& out, const DocTable& table, const Options& options) {
  if (table.rows.empty()) return;
  out << '\n';
  if (!table.title.empty())
    put_line(out, table.title, Tone::bold, options.color, options.fit_width);
  std::size_t spark = table.columns.size();
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    if (table.columns[i].key == table.sparkline_key) spark = i;
  }
  // A document is read whole: text that does not fit goes on to another line, uncut.
  auto folding = options;
  folding.wrap = true;
  const auto sink = detail::make_table_sink(out, folding);
  sink->begin(table.columns);
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    std::vector<Cell> cells = table.rows[r];
    if (spark < cells.size()) cells[spark] = series_text(cells[spark], options);
    for (auto& cell : cells) {
      if (std::holds_alternative<bool>(cell)) cell = shown_text(cell);
    }
    sink->row(cells, r < table.tones.size() ? table.tones[r] : Tone::plain);
  }
  sink->end();
  if (table.left_out > 0) {
    std::string more = (options.utf8 ? "… " : "... ") + fmt::format("and {} more", table.left_out);
    if (!table.full_list.empty()) more += ": " + table.full_list;
    put_line(out, more, Tone::plain, false, options.fit_width);
  }
}

}  // namespace

namespace detail {

std::vector<std::int64_t> series_of(const Cell& cell) {
  std::vector<std::int64_t> values;
  const auto* raw = std::get_if<RawJson>(&cell);
  if (raw == nullptr) return values;
  std::int64_t value = 0;
  bool in_number = false;
  for (const char c : raw->text) {
    if (text::is_digit(c)) {
      value = value * 10 + (c - '0');
      in_number = true;
    } else if (in_number) {
      values.push_back(value);
      value = 0;
      in_number = false;
    }
  }
  if (in_number) values.push_back(value);
  return values;
}

}  // namespace detail

std::string shown_text(const Cell& cell) {
  if (const auto* b = std::get_if<bool>(&cell)) return *b ? "yes" : "no";
  return cell_text(cell, true);
}

void write_document_text(std::ostream& out, const Document& doc, const Options& options) {
  const std::size_t width = options.fit_width;
  put_line(out, doc.title, Tone::bold, options.color, width);
  if (!doc.subtitle.empty()) put_line(out, doc.subtitle, Tone::plain, options.color, width);
  const std::string_view rule = options.utf8 ? "─" : "-";
  for (const DocSection& section : doc.sections) {
    out << '\n';
    put_line(out, section.title, Tone::bold, options.color, width);
    std::string underline;
    for (std::size_t i = text::display_width(section.title); i > 0; --i) underline += rule;
    out << underline << '\n';
    if (!section.note.empty()) put_line(out, section.note, Tone::dim, options.color, width);
    if (!section.empty.empty()) {
      put_line(out, section.empty, Tone::plain, options.color, width);
      continue;
    }
    if (!section.figures.empty()) {
      std::string line;
      for (const Field& figure : section.figures) {
        if (!line.empty()) line += "   ";
        line += detail::record_title(figure.column) + ": " + shown_text(figure.cell);
      }
      put_line(out, line, Tone::plain, options.color, width);
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
