// Internal to src/io: the csv and tsv readers behind make_reader.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "byte_source.hpp"
#include "io/reader.hpp"

namespace refnet::io {

// csv (separator ',', RFC 4180 quoting) or tsv (separator tab, no quoting, backslash escapes).
// The first row is the header. A UTF-8 byte order mark is skipped; lines end in CRLF, LF or CR;
// the last line may lack its end; blank lines are skipped.
class DelimitedReader final : public RecordReader {
 public:
  DelimitedReader(std::istream& in, char separator);
  bool next(Record& record) override;
  const std::vector<std::string>& columns() const override { return columns_; }
  std::vector<Problem> header_problems() const override { return header_problems_; }
  std::uint64_t position() const override { return source_.consumed(); }

 private:
  void skip_bom();
  void end_line(int c);
  // Reads one row into fields[0..count); false at the end of input.
  bool read_row(std::vector<std::string>& fields, std::size_t& count, std::size_t& start_line,
                std::vector<Problem>& problems);
  // After an opening quote: up to and including the closing one. False when the input ends first.
  bool read_quoted(std::string& field, std::vector<Problem>& problems);
  std::string unescape(std::string& field) const;

  detail::ByteSource source_;
  char separator_;
  bool quoting_ = separator_ == ',';
  bool started_ = false;
  bool finished_ = false;
  std::size_t line_ = 1;
  std::vector<std::string> columns_;
  std::vector<Problem> header_problems_;
  std::vector<std::string> fields_;
};

}  // namespace refnet::io
