// JsonWriter for nested documents, one record written as fields, and a cell as plain text.
#pragma once

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "output/sink.hpp"

namespace refnet::output {

// A streaming JSON writer for documents that are not a flat list of rows (show's nested card).
// It inserts commas and indentation itself; callers only open, name and close.
class JsonWriter {
 public:
  explicit JsonWriter(std::ostream& out);
  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  void key(std::string_view name);
  void value(const Cell& cell);  // Timestamp as ISO 8601 UTC, monostate as null
  void finish();                 // trailing newline

 private:
  void before_value();
  std::ostream& out_;
  std::vector<bool> first_;  // per open container: nothing written yet
  bool after_key_ = false;
};

// One record as named fields: an aligned "title  value" card in a table, one object in json,
// a header and one row in csv/tsv.
struct Field {
  Column column;
  Cell cell;
};
void write_record(Format format, std::ostream& out, std::span<const Field> fields,
                  const Options& options);

// A flat JSON object (an audit snapshot) with the string value of its member `key` replaced by
// `replace(value)`; the object as it is when it has no such string member. nullopt when the text
// is not a flat object of scalars, so a caller that must hide the value can hide it all.
std::optional<std::string> with_member_replaced(
    std::string_view object, std::string_view key,
    const std::function<std::string(std::string_view)>& replace);

// How a cell reads as text in csv/tsv/table (before escaping): ISO UTC for timestamps unless
// `local` (tables), "" for null, "true"/"false", shortest round-trip doubles.
std::string cell_text(const Cell& cell, bool local);

}  // namespace refnet::output
