// The record readers an import reads from, and which format a file is in.
#pragma once

// Where an import's rows come from: csv, tsv, json and vCard files read as records of named
// values, each with the physical line it starts on, so every problem can be reported as
// FILE:LINE: column: problem. Readers never judge values; the importer does.

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace refnet::io {

// Something wrong with one line of the input. `column` is empty when the problem is the line's.
struct Problem {
  std::size_t line = 0;
  std::string column;
  std::string what;
};

struct Record {
  std::size_t line = 0;  // the physical line (1-based) the record starts on
  // One value per column of columns(), by index; nullopt is a json null or a missing key.
  // Shorter than columns() when the record ends early (json: later keys were first seen later).
  std::vector<std::optional<std::string>> values;
  // The line each value was read from, when the reader knows it better than `line` (vCard).
  std::vector<std::size_t> lines;
  // What the reader found wrong with the record's form (ragged row, bad UTF-8, a stray quote).
  std::vector<Problem> problems;
};

class RecordReader {
 public:
  virtual ~RecordReader() = default;
  // Reads the next record; false at the end of the input. After a problem that makes the rest
  // unreadable (an unterminated quote, broken json) the record carries it and the next call
  // returns false.
  virtual bool next(Record& record) = 0;
  // The column names: the header of csv/tsv (valid after the first next()), the keys seen so far
  // in json (in the order first seen), the fixed contact columns of vCard.
  virtual const std::vector<std::string>& columns() const = 0;
  // Problems with the header row itself (csv/tsv), known after the first next().
  virtual std::vector<Problem> header_problems() const { return {}; }
  // Bytes consumed so far, for a progress bar.
  virtual std::uint64_t position() const = 0;
};

enum class InputFormat { csv, tsv, json, vcf };
std::optional<InputFormat> parse_input_format(std::string_view text);
std::string_view to_string(InputFormat format);

// The format a file is in: by its extension (.csv .tsv .tab .json .vcf .vcard), else by its
// first bytes: '[' is json, BEGIN:VCARD is vCard, a tab before any comma in the first line is
// tsv, anything else csv.
InputFormat detect_format(std::string_view file_name, std::string_view first_bytes);

// `vcard_columns` are the columns a vCard's records have (see io/vcard.hpp); other formats name
// their own.
struct VcardColumn;
std::unique_ptr<RecordReader> make_reader(InputFormat format, std::istream& in,
                                          std::span<const VcardColumn> vcard_columns = {});

// Undoes the csv/tsv writers' spreadsheet-formula guard: one leading apostrophe is removed when
// what follows it (after any further apostrophes) starts with = + - @ tab or CR. The writer adds
// one exactly then, so export → import gives back the stored text.
std::string_view unneutralise_formula(std::string_view text);

}  // namespace refnet::io
