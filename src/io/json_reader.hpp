// Internal to src/io: the json reader behind make_reader.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "byte_source.hpp"
#include "io/reader.hpp"

namespace refnet::io {

// A json array of flat objects, as the json writer prints it, read one object at a time so a
// million rows never sit in memory. Values are strings, numbers (kept as written), true/false
// and null; nested arrays and objects are a problem of the record.
class JsonReader final : public RecordReader {
 public:
  explicit JsonReader(std::istream& in);
  bool next(Record& record) override;
  const std::vector<std::string>& columns() const override { return columns_; }
  std::uint64_t position() const override { return source_.consumed(); }

 private:
  struct SyntaxError {
    std::size_t line;
    std::string what;
  };
  int skip_space();  // the next byte that is not white space, not consumed
  void expect(char c, const char* where);
  [[noreturn]] void fail(std::string what);
  std::string read_string();
  // A value: appends its text to `out` and says whether it is null. A nested container is
  // skipped and reported through `nested`.
  bool read_value(std::string& out, bool& nested);
  void skip_container();
  std::size_t column_index(const std::string& key);

  detail::ByteSource source_;
  bool started_ = false;
  bool finished_ = false;
  std::size_t line_ = 1;
  std::vector<std::string> columns_;
  std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace refnet::io
