// Output formats, cells and columns, the RowSink every listing prints through, and escaping.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/time.hpp"

namespace refnet::output {

// vcf and ics are whole documents, not rows: only `refnet export` writes them (through
// output/vcard.hpp and output/ics.hpp); make_sink refuses them. dot is Graphviz, a graph that
// only `refnet report network` draws (output/dot.hpp); make_sink refuses it too. html is a page,
// which only `refnet report digest` writes (output/document.hpp); make_sink refuses it as well.
enum class Format { table, csv, tsv, json, vcf, ics, dot, html };
std::optional<Format> parse_format(std::string_view text);
std::string_view to_string(Format f);

// JSON text passed through verbatim by the json writer, shown as text by the others.
struct RawJson {
  std::string text;
};

// A date without a time ("2026-11-27"), printed as is everywhere.
struct DateCell {
  std::string iso;
};

// One value in a row. Timestamps print as ISO 8601 UTC in csv/tsv/json and as local time in
// tables; monostate is null in json and empty elsewhere.
using Cell = std::variant<std::monostate, std::int64_t, double, bool, std::string,
                          domain::Timestamp, DateCell, RawJson>;

// How the table writer shows a column when colour is on; the other writers ignore it.
enum class Tone { plain, dim, bold, good, warn, alert };

struct Column {
  std::string key;    // snake_case: the csv/tsv header and the json key
  std::string title;  // the table header; empty means derived from key
  bool right_align = false;
  Tone tone = Tone::plain;
  bool in_table = true;  // false: only csv/tsv/json show it (keeps terminal tables narrow)
  // Free text (names, practices, reasons, notes, what is owed): what a table narrows, and cuts
  // with an ellipsis, to fit the terminal. Ids, dates and numbers are never cut.
  bool shrinks = false;
  // Left out of a table that cannot fit the terminal otherwise (csv, tsv and json keep it).
  bool drops = false;
};

// `column` as free text, which a table may narrow to fit the terminal.
inline Column free_text(Column column) {
  column.shrinks = true;
  return column;
}

struct Options {
  bool header = true;          // csv/tsv header row
  bool color = false;          // table: ANSI colour
  bool utf8 = true;            // table: Unicode box/bar characters, else ASCII
  bool single_object = false;  // json: print one object instead of an array (mutating commands)
  // table: the terminal's width in columns when a table must fit it (free-text columns narrowed
  // first); 0 for no limit (a pipe, a file, --wide).
  std::size_t fit_width = 0;
  // table: free text that does not fit is folded onto more lines instead of cut (a document
  // read whole, such as the digest, rather than a listing scanned row by row).
  bool wrap = false;
};

// Where rows go: every command and report prints through one of these, so all formats behave
// the same. begin() once, row() per row (same number of cells as columns), end() once.
class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual void begin(std::span<const Column> columns) = 0;
  virtual void row(std::span<const Cell> cells) = 0;
  // A row the table view should highlight (overdue, flagged); other writers treat it as row().
  virtual void row(std::span<const Cell> cells, Tone tone) {
    (void)tone;
    row(cells);
  }
  virtual void end() = 0;
};

std::unique_ptr<RowSink> make_sink(Format format, std::ostream& out, const Options& options);

// The colour decision of refnet(1) OUTPUT FORMATS, in order: --color always|never, then config
// output.color when not "auto", then a non-empty NO_COLOR (off), then CLICOLOR_FORCE other than "0"
// (on), then on only when stdout is a terminal and TERM is not "dumb". Reads the environment and
// isatty(1).
bool decide_color(std::string_view flag, std::string_view config_value);

// The width of the terminal standard output is, in columns: the window size the terminal
// reports, else $COLUMNS; 0 when standard output is not a terminal or neither says.
std::size_t terminal_columns();

// Whether the locale (LC_ALL, LC_CTYPE, LANG in that order) is UTF-8.
bool locale_is_utf8();

// The csv cell rules of refnet(1) OUTPUT FORMATS: RFC 4180 quoting, and a leading = + - @ tab or CR
// neutralised with a leading apostrophe (OWASP). Exposed for the exporters and tests.
std::string csv_escape(std::string_view text);
// tab, newline, CR and backslash as \t \n \r \\.
std::string tsv_escape(std::string_view text);
// A JSON string literal with quotes.
std::string json_quote(std::string_view text);
// Terminal-safe text: control characters (ESC, C0, DEL, C1) shown as visible escapes so
// stored text never drives the terminal.
std::string sanitize_for_terminal(std::string_view text);

}  // namespace refnet::output
