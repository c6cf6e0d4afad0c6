#include "io/reader.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "csv_reader.hpp"
#include "io/vcard.hpp"
#include "json_reader.hpp"

namespace refnet::io {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_continuation(unsigned char b, unsigned char low = 0x80, unsigned char high = 0xBF) {
  return b >= low && b <= high;
}

}  // namespace

std::optional<InputFormat> parse_input_format(std::string_view text) {
  const auto word = lower(text);
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
    const auto extension = lower(file_name.substr(dot + 1));
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
    if (lower(text.substr(0, 11)) == "begin:vcard") return InputFormat::vcf;
  }
  const auto line = text.substr(0, text.find_first_of("\r\n"));
  const auto tab = line.find('\t');
  if (tab != std::string_view::npos && tab < line.find(',')) return InputFormat::tsv;
  return InputFormat::csv;
}

std::unique_ptr<RecordReader> make_reader(InputFormat format, std::istream& in) {
  switch (format) {
    case InputFormat::csv:
      return std::make_unique<DelimitedReader>(in, ',');
    case InputFormat::tsv:
      return std::make_unique<DelimitedReader>(in, '\t');
    case InputFormat::json:
      return std::make_unique<JsonReader>(in);
    case InputFormat::vcf:
      return make_vcard_reader(in);
  }
  return std::make_unique<DelimitedReader>(in, ',');
}

std::size_t invalid_utf8_at(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t i = 0;
  while (i < size) {
    const unsigned char b0 = bytes[i];
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      length = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      length = 3;
      if (b0 == 0xE0) low = 0xA0;   // overlong
      if (b0 == 0xED) high = 0x9F;  // surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      length = 4;
      if (b0 == 0xF0) low = 0x90;   // overlong
      if (b0 == 0xF4) high = 0x8F;  // past U+10FFFF
    } else {
      return i;
    }
    if (i + length > size || !is_continuation(bytes[i + 1], low, high)) return i;
    for (std::size_t k = 2; k < length; ++k) {
      if (!is_continuation(bytes[i + k])) return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

std::string_view unneutralise_formula(std::string_view text) {
  if (text.empty() || text.front() != '\'') return text;
  const auto first = text.find_first_not_of('\'');
  if (first == std::string_view::npos) return text;
  if (std::string_view("=+-@\t\r").find(text[first]) == std::string_view::npos) return text;
  return text.substr(1);
}

}  // namespace refnet::io
