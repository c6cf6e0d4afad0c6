// What the output writers share: quoting, titles, colour escapes, JSON values and the sinks.
#pragma once

// Shared by the writers in src/output only; not part of the public headers.

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "output/json_writer.hpp"
#include "output/sink.hpp"

namespace refnet::output::detail {

// Characters that reorder or hide text around them (the "Trojan Source" bidi controls): in a
// table they could make one contact's row read as another's, so they are shown, not obeyed.
bool is_bidi_control(char32_t cp);

// Numbers are the only cells never neutralised against formula injection: "-3" is a value.
bool is_number(const Cell& cell);

// The RFC 4180 quoting alone, without the formula guard.
std::string csv_quote(std::string_view text);
// The OWASP guard alone: a leading apostrophe when text starts (after any apostrophes) with
// = + - @ tab or CR, so io::unneutralise_formula can undo it exactly.
std::string neutralise_formula(std::string_view text);

// The header a table shows for a column: its title, or its key as "NEXT DUE".
std::string table_title(const Column& column);
// The label a record card shows for a field: its title, or its key as "Next due".
std::string record_title(const Column& column);

// The SGR escape that starts a tone ("" for plain) and the one that ends it.
std::string_view sgr(Tone tone);
inline constexpr std::string_view sgr_reset = "\x1b[0m";

// One cell as a JSON value: numbers, true/false, null, strings, verbatim RawJson.
void write_json_value(std::ostream& out, const Cell& cell);

std::unique_ptr<RowSink> make_table_sink(std::ostream& out, const Options& options);
std::unique_ptr<RowSink> make_csv_sink(std::ostream& out, const Options& options);
std::unique_ptr<RowSink> make_tsv_sink(std::ostream& out, const Options& options);
std::unique_ptr<RowSink> make_json_sink(std::ostream& out, const Options& options);

// The table form of write_record: aligned "Title:  value" lines.
void write_record_card(std::ostream& out, std::span<const Field> fields, const Options& options);

// Throws std::logic_error when a row's width differs from the header's: a programming error.
void check_row_width(std::size_t cells, std::size_t columns);

// The whole numbers of a sparkline cell ("[3,0,2]"); none for any other cell.
std::vector<std::int64_t> series_of(const Cell& cell);

}  // namespace refnet::output::detail
