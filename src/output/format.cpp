// Output formats by name, the sink for each, cells as text, one record written, column titles.
#include <fmt/format.h>

#include <algorithm>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "detail.hpp"
#include "error.hpp"
#include "output/json_writer.hpp"
#include "output/sink.hpp"
#include "text/text.hpp"

namespace refnet::output {
namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

std::optional<Format> parse_format(std::string_view text) {
  for (const Format f : {Format::table, Format::csv, Format::tsv, Format::json, Format::vcf,
                         Format::ics, Format::dot, Format::html}) {
    if (text::iequals_ascii(text, to_string(f))) return f;
  }
  return std::nullopt;
}

std::string_view to_string(Format f) {
  switch (f) {
    case Format::table:
      return "table";
    case Format::csv:
      return "csv";
    case Format::tsv:
      return "tsv";
    case Format::json:
      return "json";
    case Format::vcf:
      return "vcf";
    case Format::ics:
      return "ics";
    case Format::dot:
      return "dot";
    case Format::html:
      return "html";
  }
  return "table";
}

std::unique_ptr<RowSink> make_sink(Format format, std::ostream& out, const Options& options) {
  switch (format) {
    case Format::table:
      return detail::make_table_sink(out, options);
    case Format::csv:
      return detail::make_csv_sink(out, options);
    case Format::tsv:
      return detail::make_tsv_sink(out, options);
    case Format::json:
      return detail::make_json_sink(out, options);
    case Format::vcf:
    case Format::ics:
      throw Error(Exit::usage,
                  fmt::format("--format {} is only for refnet export", to_string(format)),
                  "use --format table, csv, tsv or json");
    case Format::dot:
      throw Error(Exit::usage, "--format dot is only for refnet report network",
                  "use --format table, csv, tsv or json");
    case Format::html:
      throw Error(Exit::usage, "--format html is only for refnet report digest",
                  "use --format table, csv, tsv or json");
  }
  throw std::invalid_argument("unknown output format");
}

std::string cell_text(const Cell& cell, bool local) {
  return std::visit(Overloaded{
                        [](std::monostate) { return std::string(); },
                        [](std::int64_t n) { return fmt::format("{}", n); },
                        [](double d) { return fmt::format("{}", d); },
                        [](bool b) { return std::string(b ? "true" : "false"); },
                        [](const std::string& s) { return s; },
                        [local](domain::Timestamp t) {
                          return local ? domain::format_local(t) : domain::format_utc(t);
                        },
                        [](const DateCell& d) { return d.iso; },
                        [](const RawJson& j) { return j.text; },
                    },
                    cell);
}

void write_record(Format format, std::ostream& out, std::span<const Field> fields,
                  const Options& options) {
  if (format == Format::table) {
    detail::write_record_card(out, fields, options);
    return;
  }
  std::vector<Column> columns;
  std::vector<Cell> cells;
  columns.reserve(fields.size());
  cells.reserve(fields.size());
  for (const Field& field : fields) {
    columns.push_back(field.column);
    cells.push_back(field.cell);
  }
  Options record_options = options;
  record_options.single_object = true;  // json: the object itself, not an array of one
  const auto sink = make_sink(format, out, record_options);
  sink->begin(columns);
  sink->row(cells);
  sink->end();
}

namespace detail {

bool is_number(const Cell& cell) {
  return std::holds_alternative<std::int64_t>(cell) || std::holds_alternative<double>(cell);
}

std::string table_title(const Column& column) {
  if (!column.title.empty()) return column.title;
  std::string title = column.key;
  for (char& c : title) {
    c = c == '_' ? ' ' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return title;
}

std::string record_title(const Column& column) {
  if (!column.title.empty()) return column.title;
  std::string title = column.key;
  std::replace(title.begin(), title.end(), '_', ' ');
  if (!title.empty())
    title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
  return title;
}

void check_row_width(std::size_t cells, std::size_t columns) {
  if (cells != columns) {
    throw std::logic_error(fmt::format("row has {} cells for {} columns", cells, columns));
  }
}

}  // namespace detail
}  // namespace refnet::output
