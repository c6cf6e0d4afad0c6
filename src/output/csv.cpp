// csv and tsv output: field escaping, the spreadsheet-formula guard, and the streaming sinks.
#include <ostream>
#include <string>
#include <string_view>

#include "detail.hpp"
#include "output/sink.hpp"
#include "text/text.hpp"

namespace refnet::output {
namespace detail {

std::string neutralise_formula(std::string_view text) {
  // OWASP "CSV Injection": a spreadsheet treats a cell starting with one of these as a formula.
  // Apostrophes already in front count as part of the guard, so "'=x" becomes "''=x": an import
  // removes exactly one apostrophe from such a cell and gets the stored text back.
  const auto first = text.find_first_not_of('\'');
  if (first != std::string_view::npos &&
      std::string_view("=+-@\t\r").find(text[first]) != std::string_view::npos) {
    return "'" + std::string(text);
  }
  return std::string(text);
}

std::string csv_quote(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace detail

std::string csv_escape(std::string_view text) {
  return detail::csv_quote(detail::neutralise_formula(text));
}

std::string tsv_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

// csv and tsv differ only in how one field is written and what separates fields. Both stream:
// the header goes out at begin(), each row as it arrives, lines end in LF (what Unix pipelines
// expect; Python's csv module and spreadsheets read it too).
class DelimitedSink final : public RowSink {
 public:
  DelimitedSink(std::ostream& out, const Options& options, char separator)
      : out_(out), header_(options.header), separator_(separator) {}

  void begin(std::span<const Column> columns) override {
    columns_ = columns.size();
    if (!header_) return;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i > 0) out_ << separator_;
      out_ << escape(columns[i].key);
    }
    out_ << '\n';
  }

  using RowSink::row;  // the toned overload: a highlight means nothing here
  void row(std::span<const Cell> cells) override {
    detail::check_row_width(cells.size(), columns_);
    // A line with a single empty field would be a blank line, which readers skip; quoting it
    // keeps the row (Python's csv writer does the same). tsv has no quoting, so it cannot.
    if (separator_ == ',' && cells.size() == 1 && cell_text(cells[0], false).empty()) {
      out_ << "\"\"\n";
      return;
    }
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out_ << separator_;
      out_ << field(cells[i]);
    }
    out_ << '\n';
  }

  void end() override { out_.flush(); }

 private:
  std::string escape(std::string_view text) const {
    return separator_ == ',' ? detail::csv_quote(text) : tsv_escape(text);
  }

  // csv has no null: null and "" are both an empty field (json keeps the difference). The formula
  // guard applies to tsv as well as csv, since spreadsheets open .tsv files just the same; numbers
  // are never neutralised, so a negative amount stays -3.
  std::string field(const Cell& cell) const {
    const std::string text = text::valid_utf8(cell_text(cell, false));
    return escape(detail::is_number(cell) ? text : detail::neutralise_formula(text));
  }

  std::ostream& out_;
  bool header_;
  char separator_;
  std::size_t columns_ = 0;
};

}  // namespace

namespace detail {

std::unique_ptr<RowSink> make_csv_sink(std::ostream& out, const Options& options) {
  return std::make_unique<DelimitedSink>(out, options, ',');
}

std::unique_ptr<RowSink> make_tsv_sink(std::ostream& out, const Options& options) {
  return std::make_unique<DelimitedSink>(out, options, '\t');
}

}  // namespace detail
}  // namespace refnet::output
