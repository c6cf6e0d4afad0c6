// json output: string quoting, cell values, the streaming row sink, and the pretty JsonWriter.
#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "detail.hpp"
#include "output/json_writer.hpp"
#include "output/sink.hpp"
#include "text/text.hpp"

namespace refnet::output {

namespace {

// Characters JSON allows raw that a terminal could act on or a reader could be fooled by: DEL,
// the C1 controls (U+009B is an 8-bit CSI), bidi controls and the U+2028/U+2029 separators.
// Written as \uXXXX they keep the exact value and are harmless on a screen.
bool escaped_anyway(char32_t cp) {
  return cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
         detail::is_bidi_control(cp);
}

std::string unicode_escape(char32_t cp) {
  return fmt::format("\\u{:04x}", static_cast<std::uint32_t>(cp));
}

// JSON made elsewhere (SQLite's json_object, for the audit trail), with escaped_anyway's
// characters escaped: outside strings JSON holds only ASCII punctuation, so every one of them is
// inside a string, where an escape means the same character.
std::string with_controls_escaped(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  std::size_t pos = 0;
  while (pos < json.size()) {
    const std::size_t start = pos;
    const char32_t cp = text::next_code_point(json, pos);
    if (escaped_anyway(cp)) {
      out += unicode_escape(cp);
    } else {
      out.append(json.substr(start, pos - start));
    }
  }
  return out;
}

}  // namespace

std::string json_quote(std::string_view text) {
  std::string out = "\"";
  out.reserve(text.size() + 2);
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = pos;
    bool valid = true;
    const char32_t cp = text::next_code_point(text, pos, &valid);
    if (!valid) {
      text::append_utf8(out, text::replacement_character);
      continue;
    }
    switch (cp) {
      case U'"':
        out += "\\\"";
        break;
      case U'\\':
        out += "\\\\";
        break;
      case U'\n':
        out += "\\n";
        break;
      case U'\r':
        out += "\\r";
        break;
      case U'\t':
        out += "\\t";
        break;
      default:
        if (cp < 0x20 || escaped_anyway(cp)) {
          out += unicode_escape(cp);
        } else {
          out.append(text.substr(start, pos - start));  // JSON is UTF-8: no need for \u escapes
        }
    }
  }
  out += '"';
  return out;
}

namespace detail {

void write_json_value(std::ostream& out, const Cell& cell) {
  if (std::holds_alternative<std::monostate>(cell)) {
    out << "null";
  } else if (const auto* n = std::get_if<std::int64_t>(&cell)) {
    out << *n;
  } else if (const auto* d = std::get_if<double>(&cell)) {
    // JSON has no NaN or infinity; null is the honest "no number".
    out << (std::isfinite(*d) ? fmt::format("{}", *d) : std::string("null"));
  } else if (const auto* b = std::get_if<bool>(&cell)) {
    out << (*b ? "true" : "false");
  } else if (const auto* raw = std::get_if<RawJson>(&cell)) {
    out << (raw->text.empty() ? std::string("null") : with_controls_escaped(raw->text));
  } else {
    out << json_quote(cell_text(cell, false));  // strings, UTC timestamps, dates
  }
}

}  // namespace detail

namespace {

// Rows stream out as they arrive, one compact object per line, so a million rows never sit in
// memory and the output still reads line by line:  [\n{...},\n{...}\n]\n
class JsonSink final : public RowSink {
 public:
  JsonSink(std::ostream& out, const Options& options)
      : out_(out), single_object_(options.single_object) {}

  void begin(std::span<const Column> columns) override {
    keys_.clear();
    for (const Column& column : columns) keys_.push_back(json_quote(column.key));
    if (!single_object_) out_ << '[';
  }

  using RowSink::row;  // the toned overload: a highlight means nothing here
  void row(std::span<const Cell> cells) override {
    detail::check_row_width(cells.size(), keys_.size());
    if (single_object_) {
      if (rows_ > 0) throw std::logic_error("json single_object given more than one row");
    } else {
      out_ << (rows_ == 0 ? "\n" : ",\n");
    }
    out_ << '{';
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out_ << ',';
      out_ << keys_[i] << ':';
      detail::write_json_value(out_, cells[i]);
    }
    out_ << '}';
    if (single_object_) out_ << '\n';
    ++rows_;
  }

  // A single object that never came is null: valid JSON that says "nothing", where {} would
  // claim a record with no fields.
  void end() override {
    if (single_object_) {
      if (rows_ == 0) out_ << "null\n";
    } else {
      out_ << (rows_ == 0 ? "]\n" : "\n]\n");
    }
    out_.flush();
  }

 private:
  std::ostream& out_;
  bool single_object_;
  std::vector<std::string> keys_;
  std::size_t rows_ = 0;
};

}  // namespace

namespace detail {

std::unique_ptr<RowSink> make_json_sink(std::ostream& out, const Options& options) {
  return std::make_unique<JsonSink>(out, options);
}

}  // namespace detail

// JsonWriter pretty-prints with two-space indentation; empty containers print as {} and [].

JsonWriter::JsonWriter(std::ostream& out) : out_(out) {}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (first_.empty()) return;  // the top-level value
  if (!first_.back()) out_ << ',';
  out_ << '\n' << std::string(2 * first_.size(), ' ');
  first_.back() = false;
}

void JsonWriter::begin_object() {
  before_value();
  out_ << '{';
  first_.push_back(true);
}

void JsonWriter::end_object() {
  if (first_.empty()) throw std::logic_error("JsonWriter: end_object without begin_object");
  const bool empty = first_.back();
  first_.pop_back();
  if (!empty) out_ << '\n' << std::string(2 * first_.size(), ' ');
  out_ << '}';
}

void JsonWriter::begin_array() {
  before_value();
  out_ << '[';
  first_.push_back(true);
}

void JsonWriter::end_array() {
  if (first_.empty()) throw std::logic_error("JsonWriter: end_array without begin_array");
  const bool empty = first_.back();
  first_.pop_back();
  if (!empty) out_ << '\n' << std::string(2 * first_.size(), ' ');
  out_ << ']';
}

void JsonWriter::key(std::string_view name) {
  if (first_.empty()) throw std::logic_error("JsonWriter: key outside an object");
  before_value();
  out_ << json_quote(name) << ": ";
  after_key_ = true;
}

void JsonWriter::value(const Cell& cell) {
  before_value();
  detail::write_json_value(out_, cell);
}

void JsonWriter::finish() {
  out_ << '\n';
  out_.flush();
}

namespace {

// A JSON string token's text from just after its opening quote, decoded; `pos` ends after the
// closing quote. nullopt when it is not a well-formed string.
std::optional<std::string> json_string(std::string_view json, std::size_t& pos) {
  std::string out;
  while (pos < json.size()) {
    const char c = json[pos++];
    if (c == '"') return out;
    if (static_cast<unsigned char>(c) < 0x20) return std::nullopt;
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    const auto next = [&]() -> int {
      return pos < json.size() ? static_cast<unsigned char>(json[pos++]) : -1;
    };
    if (text::append_json_escape(out, next)) return std::nullopt;
  }
  return std::nullopt;
}

void skip_space(std::string_view json, std::size_t& pos) {
  while (pos < json.size() &&
         (json[pos] == ' ' || json[pos] == '\t' || json[pos] == '\n' || json[pos] == '\r')) {
    ++pos;
  }
}

}  // namespace

std::optional<std::string> with_member_replaced(
    std::string_view object, std::string_view key,
    const std::function<std::string(std::string_view)>& replace) {
  std::size_t pos = 0;
  skip_space(object, pos);
  if (pos >= object.size() || object[pos++] != '{') return std::nullopt;
  std::string out(object.substr(0, pos));
  std::size_t copied = pos;
  skip_space(object, pos);
  if (pos < object.size() && object[pos] == '}') return std::string(object);
  for (;;) {
    skip_space(object, pos);
    if (pos >= object.size() || object[pos++] != '"') return std::nullopt;
    const auto name = json_string(object, pos);
    if (!name) return std::nullopt;
    skip_space(object, pos);
    if (pos >= object.size() || object[pos++] != ':') return std::nullopt;
    skip_space(object, pos);
    if (pos >= object.size()) return std::nullopt;
    if (object[pos] == '"') {
      const std::size_t start = pos++;
      const auto value = json_string(object, pos);
      if (!value) return std::nullopt;
      if (*name == key) {
        out.append(object.substr(copied, start - copied));
        out += json_quote(replace(*value));
        copied = pos;
      }
    } else {
      // A number, true, false or null: what a flat object holds besides strings.
      const std::size_t start = pos;
      while (pos < object.size() && object[pos] != ',' && object[pos] != '}' &&
             object[pos] != ' ' && object[pos] != '\n' && object[pos] != '\t' &&
             object[pos] != '\r') {
        const char c = object[pos];
        if (c == '{' || c == '[' || c == '"') return std::nullopt;
        ++pos;
      }
      if (pos == start) return std::nullopt;
    }
    skip_space(object, pos);
    if (pos >= object.size()) return std::nullopt;
    const char after = object[pos++];
    if (after == '}') break;
    if (after != ',') return std::nullopt;
  }
  skip_space(object, pos);
  if (pos != object.size()) return std::nullopt;
  out.append(object.substr(copied));
  return out;
}

}  // namespace refnet::output
