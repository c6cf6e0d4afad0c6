// Input formats by name, extension or first bytes, a reader for each, the formula guard undone.
#include "io/reader.hpp"

#include <algorithm>
#include <string>

#include "csv_reader.hpp"
#include "io/vcard.hpp"
#include "json_reader.hpp"
#include "text/text.hpp"

namespace refnet::io {

namespace {

using text::ascii_lower;

}  // namespace

std::optional<InputFormat> parse_input_format(std::string_view text) {
  const auto word = ascii_lower(text);
  if (word == "csv") return InputFormat::csv;
  if (word == "tsv") return InputFormat::tsv;
  if (word == "json") return InputFormat::json;
  if (word == "vcf" || word == "vcard") return InputFormat::vcf;
  return std::nullopt;
}

std::string_view to_string(InputFormat format) {
  switch (format) {
    case InputFormat::csv:
      return "csv";
    case InputFormat::tsv:
      return "tsv";
    case InputFormat::json:
      return "json";
    case InputFormat::vcf:
      return "vcf";
  }
  return "csv";
}

InputFormat detect_format(std::string_view file_name, std::string_view first_bytes) {
  const auto dot = file_name.rfind('.');
  if (dot != std::string_view::npos && file_name.find('/', dot) == std::string_view::npos) {
    const auto extension = ascii_lower(file_name.substr(dot + 1));
    if (extension == "csv") return InputFormat::csv;
    if (extension == "tsv" || extension == "tab") return InputFormat::tsv;
    if (extension == "json") return InputFormat::json;
    if (extension == "vcf" || extension == "vcard") return InputFormat::vcf;
  }
  std::string_view text = first_bytes;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const auto start = text.find_first_not_of(" \t\r\n");
  if (start != std::string_view::npos) {
    text.remove_prefix(start);
    if (text.front() == '[') return InputFormat::json;
    if (ascii_lower(text.substr(0, 11)) == "begin:vcard") return InputFormat::vcf;
  }
  const auto line = text.substr(0, text.find_first_of("\r\n"));
  const auto tab = line.find('\t');
  if (tab != std::string_view::npos && tab < line.find(',')) return InputFormat::tsv;
  return InputFormat::csv;
}

std::unique_ptr<RecordReader> make_reader(InputFormat format, std::istream& in,
                                          std::span<const VcardColumn> vcard_columns) {
  switch (format) {
    case InputFormat::csv:
      return std::make_unique<DelimitedReader>(in, ',');
    case InputFormat::tsv:
      return std::make_unique<DelimitedReader>(in, '\t');
    case InputFormat::json:
      return std::make_unique<JsonReader>(in);
    case InputFormat::vcf:
      return make_vcard_reader(in, vcard_columns);
  }
  return std::make_unique<DelimitedReader>(in, ',');
}

std::string_view unneutralise_formula(std::string_view text) {
  if (text.empty() || text.front() != '\'') return text;
  const auto first = text.find_first_not_of('\'');
  if (first == std::string_view::npos) return text;
  if (std::string_view("=+-@\t\r").find(text[first]) == std::string_view::npos) return text;
  return text.substr(1);
}

}  // namespace refnet::io
