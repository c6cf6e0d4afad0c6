// A document of sections as one self-contained HTML5 page with inline SVG charts.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ostream>
#include <string>
#include <vector>

#include "detail.hpp"
#include "output/document.hpp"
#include "text/text.hpp"

namespace refnet::output {

namespace {

// The page's whole style, in the page: no web font (system fonts), no image, no address. Narrow
// screens keep the text size and scroll wide tables sideways; print drops the scrolling and
// keeps a section on one page where it can.
constexpr std::string_view style = R"css(
body{margin:0;padding:16px;background:#fff;color:#1f2328;
font:15px/1.45 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
main{max-width:880px;margin:0 auto}
h1{font-size:1.5em;margin:0 0 2px}
h2{font-size:1.15em;margin:6px 0 2px}
h3{font-size:1em;margin:12px 0 2px;color:#424a53}
.sub,.note,.more{color:#57606a;margin:0 0 6px}
.note,.more{font-size:.9em}
.empty{color:#57606a;font-style:italic;margin:4px 0}
section{border-top:1px solid #d0d7de;padding:8px 0 12px}
.figures{display:flex;flex-wrap:wrap;gap:4px 28px;margin:6px 0}
.figure .label{display:block;font-size:.85em;color:#57606a}
.figure .value{font-size:1.35em;font-weight:600}
.scroll{overflow-x:auto}
table{border-collapse:collapse;font-size:.92em;margin:4px 0}
th,td{padding:3px 12px 3px 0;text-align:left;vertical-align:middle;border-bottom:1px solid #eaeef2}
th{font-weight:600;color:#424a53;white-space:nowrap}
.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.t{white-space:nowrap}
tr.alert td{color:#b42318}
tr.warn td{color:#8a5a00}
tr.bold td{font-weight:600}
figure{margin:8px 0}
figcaption{font-size:.85em;color:#57606a}
svg{display:block;max-width:100%;height:auto}
svg.spark{display:inline-block;vertical-align:middle;margin-right:6px}
.nums{color:#57606a;font-size:.85em;white-space:nowrap}
@media (max-width:520px){body{padding:10px;font-size:14px}th,td{padding-right:8px}}
@media print{body{padding:0;font-size:10.5pt}.scroll{overflow:visible}
section{break-inside:avoid}tr.alert td,tr.warn td{color:#000}}
)css";

constexpr std::string_view colour_in = "#2f6fb0";
constexpr std::string_view colour_out = "#e07b24";
constexpr std::string_view colour_bar = "#4c8c4a";

std::string_view tone_class(Tone tone) {
  switch (tone) {
    case Tone::alert:
      return "alert";
    case Tone::warn:
      return "warn";
    case Tone::bold:
      return "bold";
    default:
      return "";
  }
}

// A coordinate with at most one decimal, never "-0".
std::string coordinate(double value) {
  const double rounded = std::round(value * 10.0) / 10.0;
  return fmt::format("{}", rounded == 0.0 ? 0.0 : rounded);
}

// A number drawn by a chart: counts and shares; anything else is 0.
double number(const Cell& cell) {
  if (const auto* n = std::get_if<std::int64_t>(&cell)) return static_cast<double>(*n);
  if (const auto* d = std::get_if<double>(&cell)) return std::isfinite(*d) ? *d : 0.0;
  return 0.0;
}

bool is_time(const Cell& cell) {
  return std::holds_alternative<domain::Timestamp>(cell) || std::holds_alternative<DateCell>(cell);
}

std::size_t column_index(const DocTable& table, std::string_view key) {
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    if (table.columns[i].key == key) return i;
  }
  return table.columns.size();
}

std::string label_of(const DocTable& table, const std::vector<Cell>& row) {
  const std::size_t i = column_index(table, table.label_key);
  return i < row.size() ? shown_text(row[i]) : std::string();
}

// A label cut to `count` characters (whole code points) with an ellipsis.
std::string shortened(std::string_view text, std::size_t count) {
  std::string out;
  std::size_t pos = 0;
  for (std::size_t n = 0; pos < text.size(); ++n) {
    if (n == count) return out + "…";
    const std::size_t start = pos;
    text::next_code_point(text, pos);
    out.append(text.substr(start, pos - start));
  }
  return out;
}

void svg_open(std::ostream& out, int width, int height, std::string_view label,
              std::string_view css_class = "") {
  out << "<svg viewBox=\"0 0 " << width << ' ' << height << "\" width=\"" << width << "\" height=\""
      << height << "\" role=\"img\" aria-label=\"" << html_escape(label) << '"';
  if (!css_class.empty()) out << " class=\"" << css_class << '"';
  out << '>';
}

// One group of vertical bars per row, a bar per series, scaled to the largest value; a legend
// above, the row labels below, the largest value at the top of the axis.
void columns_chart(std::ostream& out, const DocTable& table) {
  constexpr int width = 640, height = 230, left = 34, right = 6, top = 26, bottom = 36;
  constexpr double plot_w = width - left - right, plot_h = height - top - bottom;
  std::vector<std::size_t> series;
  for (const auto& key : table.series) series.push_back(column_index(table, key));
  double max = 1;
  for (const auto& row : table.rows) {
    for (const std::size_t s : series) max = std::max(max, number(row.at(s)));
  }
  const double group = plot_w / static_cast<double>(std::max<std::size_t>(table.rows.size(), 1));
  const double bar = group * 0.8 / static_cast<double>(std::max<std::size_t>(series.size(), 1));
  const std::string_view colours[] = {colour_in, colour_out};

  svg_open(out, width, height, table.chart_title);
  out << "<title>" << html_escape(table.chart_title) << "</title>";
  for (std::size_t s = 0; s < series.size(); ++s) {
    const int x = left + static_cast<int>(s) * 90;
    out << "<rect x=\"" << x << "\" y=\"6\" width=\"12\" height=\"12\" fill=\"" << colours[s % 2]
        << "\"/><text x=\"" << x + 16 << "\" y=\"16\" font-size=\"12\" fill=\"#424a53\">"
        << html_escape(detail::record_title(table.columns.at(series[s]))) << "</text>";
  }
  out << "<line x1=\"" << left << "\" y1=\"" << top + plot_h << "\" x2=\"" << width - right
      << "\" y2=\"" << top + plot_h << "\" stroke=\"#8c959f\"/>";
  out << "<line x1=\"" << left << "\" y1=\"" << top << "\" x2=\"" << width - right << "\" y2=\""
      << top << "\" stroke=\"#eaeef2\"/>";
  out << "<text x=\"" << left - 4 << "\" y=\"" << top + 4
      << "\" font-size=\"11\" text-anchor=\"end\" fill=\"#57606a\">" << coordinate(max)
      << "</text><text x=\"" << left - 4 << "\" y=\"" << top + plot_h + 4
      << "\" font-size=\"11\" text-anchor=\"end\" fill=\"#57606a\">0</text>";
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    const std::string label = label_of(table, row);
    const double x0 = left + group * static_cast<double>(r) + group * 0.1;
    // A label wider than its group keeps its last part: "2026-W47" becomes "W47".
    std::string short_label = label;
    if (static_cast<double>(label.size()) * 7.0 > group && label.find('-') != std::string::npos) {
      short_label = label.substr(label.rfind('-') + 1);
    }
    short_label = shortened(short_label, 9);
    for (std::size_t s = 0; s < series.size(); ++s) {
      const double value = number(row.at(series[s]));
      const double h = value / max * plot_h;
      out << "<rect x=\"" << coordinate(x0 + bar * static_cast<double>(s)) << "\" y=\""
          << coordinate(top + plot_h - h) << "\" width=\"" << coordinate(bar * 0.92)
          << "\" height=\"" << coordinate(h) << "\" fill=\"" << colours[s % 2] << "\"><title>"
          << html_escape(label) << ' '
          << html_escape(detail::record_title(table.columns.at(series[s]))) << ": "
          << html_escape(shown_text(row.at(series[s]))) << "</title></rect>";
    }
    out << "<text x=\"" << coordinate(left + group * (static_cast<double>(r) + 0.5)) << "\" y=\""
        << top + plot_h + 16 << "\" font-size=\"10\" text-anchor=\"middle\" fill=\"#57606a\">"
        << html_escape(short_label) << "</text>";
  }
  out << "</svg>";
}

// One horizontal bar per row: its label, the bar scaled to the largest value, and the value.
void bars_chart(std::ostream& out, const DocTable& table) {
  constexpr int width = 640, row_height = 22, label_w = 210, value_w = 60;
  constexpr double bar_area = width - label_w - value_w - 8;
  const int height = static_cast<int>(table.rows.size()) * row_height + 6;
  const std::size_t s = column_index(table, table.series.empty() ? "" : table.series.front());
  double max = 1;
  for (const auto& row : table.rows) max = std::max(max, number(row.at(s)));

  svg_open(out, width, height, table.chart_title);
  out << "<title>" << html_escape(table.chart_title) << "</title>";
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    const std::string label = label_of(table, row);
    const double value = number(row.at(s));
    const double w = std::max(value / max * bar_area, value > 0 ? 1.0 : 0.0);
    const int y = static_cast<int>(r) * row_height + 4;
    out << "<text x=\"0\" y=\"" << y + 14 << "\" font-size=\"12\" fill=\"#1f2328\">"
        << html_escape(shortened(label, 30)) << "</text><rect x=\"" << label_w << "\" y=\"" << y
        << "\" width=\"" << coordinate(w) << "\" height=\"" << row_height - 6 << "\" fill=\""
        << colour_bar << "\"><title>" << html_escape(label) << ": "
        << html_escape(shown_text(row.at(s))) << "</title></rect><text x=\""
        << coordinate(label_w + w + 6) << "\" y=\"" << y + 14
        << "\" font-size=\"12\" fill=\"#424a53\">" << html_escape(shown_text(row.at(s)))
        << "</text>";
  }
  out << "</svg>";
}

// A small line of whole numbers, oldest first, its last point marked.
void sparkline(std::ostream& out, const std::vector<std::int64_t>& values, std::string_view label) {
  constexpr int width = 120, height = 26, pad = 3;
  std::int64_t max = 1;
  for (const auto v : values) max = std::max(max, v);
  const auto x = [&](std::size_t i) {
    if (values.size() < 2) return static_cast<double>(width) / 2;
    return pad +
           static_cast<double>(i) * (width - 2 * pad) / static_cast<double>(values.size() - 1);
  };
  const auto y = [&](std::int64_t v) {
    return height - pad - static_cast<double>(v) * (height - 2 * pad) / static_cast<double>(max);
  };
  svg_open(out, width, height, label, "spark");
  out << "<title>" << html_escape(label) << "</title>";
  if (!values.empty()) {
    out << "<polyline fill=\"none\" stroke=\"" << colour_in << "\" stroke-width=\"1.6\" points=\"";
    for (std::size_t i = 0; i < values.size(); ++i) {
      out << (i == 0 ? "" : " ") << coordinate(x(i)) << ',' << coordinate(y(values[i]));
    }
    out << "\"/><circle cx=\"" << coordinate(x(values.size() - 1)) << "\" cy=\""
        << coordinate(y(values.back())) << "\" r=\"2.2\" fill=\"" << colour_in << "\"/>";
  }
  out << "</svg>";
}

void html_table(std::ostream& out, const DocTable& table, std::string_view section_key) {
  const std::size_t spark = column_index(table, table.sparkline_key);
  out << "<div class=\"scroll\"><table data-key=\"" << html_escape(section_key) << '.'
      << html_escape(table.key) << "\"><thead><tr>";
  for (const Column& column : table.columns) {
    if (!column.in_table) continue;  // a json-only column, as in a text table
    out << "<th" << (column.right_align ? " class=\"n\"" : "") << " data-col=\""
        << html_escape(column.key) << "\">" << html_escape(detail::table_title(column)) << "</th>";
  }
  out << "</tr></thead><tbody>";
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    detail::check_row_width(row.size(), table.columns.size());
    const std::string_view css = r < table.tones.size() ? tone_class(table.tones[r]) : "";
    out << "<tr" << (css.empty() ? "" : fmt::format(" class=\"{}\"", css)) << '>';
    for (std::size_t i = 0; i < row.size(); ++i) {
      const Column& column = table.columns[i];
      if (!column.in_table) continue;
      const std::string_view cell_css = column.right_align ? "n" : is_time(row[i]) ? "t" : "";
      out << "<td" << (cell_css.empty() ? "" : fmt::format(" class=\"{}\"", cell_css))
          << " data-col=\"" << html_escape(column.key) << "\">";
      if (i == spark) {
        const auto values = detail::series_of(row[i]);
        std::string numbers;
        for (const auto v : values) numbers += (numbers.empty() ? "" : " ") + std::to_string(v);
        sparkline(out, values, detail::record_title(column) + ": " + numbers);
        out << "<span class=\"nums\">" << numbers << "</span>";
      } else {
        out << html_escape(shown_text(row[i]));
      }
      out << "</td>";
    }
    out << "</tr>";
  }
  out << "</tbody></table></div>\n";
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    bool valid = true;
    const char32_t cp = text::next_code_point(text, pos, &valid);
    const bool control =
        (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7f && cp <= 0x9f);
    const bool noncharacter = (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe;
    if (!valid || control || noncharacter) {
      out += "\xef\xbf\xbd";  // U+FFFD
      continue;
    }
    switch (cp) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        text::append_utf8(out, cp);
    }
  }
  return out;
}

void write_document_html(std::ostream& out, const Document& doc) {
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
      << html_escape(doc.title) << "</title>\n<style>" << style << "</style>\n</head>\n<body>\n"
      << "<main>\n<h1>" << html_escape(doc.title) << "</h1>\n";
  if (!doc.subtitle.empty()) out << "<p class=\"sub\">" << html_escape(doc.subtitle) << "</p>\n";
  for (const DocSection& section : doc.sections) {
    out << "<section id=\"" << html_escape(section.key) << "\">\n<h2>" << html_escape(section.title)
        << "</h2>\n";
    if (!section.note.empty()) out << "<p class=\"note\">" << html_escape(section.note) << "</p>\n";
    if (!section.empty.empty()) {
      out << "<p class=\"empty\">" << html_escape(section.empty) << "</p>\n</section>\n";
      continue;
    }
    if (!section.figures.empty()) {
      out << "<div class=\"figures\">";
      for (const Field& figure : section.figures) {
        out << "<div class=\"figure\"><span class=\"label\">"
            << html_escape(detail::record_title(figure.column))
            << "</span><span class=\"value\" data-key=\"" << html_escape(section.key) << '.'
            << html_escape(figure.column.key) << "\">" << html_escape(shown_text(figure.cell))
            << "</span></div>";
      }
      out << "</div>\n";
    }
    for (const DocTable& table : section.tables) {
      if (table.rows.empty()) continue;
      if (!table.title.empty()) out << "<h3>" << html_escape(table.title) << "</h3>\n";
      if (table.chart != ChartKind::none) {
        out << "<figure>";
        if (table.chart == ChartKind::columns) {
          columns_chart(out, table);
        } else {
          bars_chart(out, table);
        }
        out << "<figcaption>" << html_escape(table.chart_title) << "</figcaption></figure>\n";
      }
      html_table(out, table, section.key);
      if (table.left_out > 0) {
        out << "<p class=\"more\">… and " << table.left_out << " more";
        if (!table.full_list.empty()) out << ": " << html_escape(table.full_list);
        out << "</p>\n";
      }
    }
    out << "</section>\n";
  }
  out << "</main>\n</body>\n</html>\n";
  out.flush();
}

}  // namespace refnet::output
