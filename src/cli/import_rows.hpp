// Internal to the import command: one file's records checked and written, entity by entity.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cli/context.hpp"
#include "io/reader.hpp"
#include "transfer.hpp"

namespace refnet::cli::importing {

enum class OnDuplicate { error, skip, update };

struct Counts {
  std::int64_t added = 0;
  std::int64_t updated = 0;
  std::int64_t skipped = 0;
};

// Problems in file order, the first `cap` kept for printing, the rest only counted.
class Problems {
 public:
  explicit Problems(std::string file, std::size_t cap = 50) : file_(std::move(file)), cap_(cap) {}
  void add(std::size_t line, std::string_view column, std::string_view what);
  void add(const io::Problem& p) { add(p.line, p.column, p.what); }
  std::size_t count() const { return count_; }
  const std::vector<std::string>& shown() const { return shown_; }
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::size_t cap_;
  std::size_t count_ = 0;
  std::vector<std::string> shown_;
};

// Checks and writes records of one entity, in the caller's transaction. Every problem goes to
// `problems`; a record with a problem is not written (the caller rolls the whole file back).
class RowImporter {
 public:
  virtual ~RowImporter() = default;
  // Maps the reader's columns (called again when json shows a new key); unknown ones are problems.
  virtual void map_columns(const std::vector<std::string>& columns, std::size_t line) = 0;
  virtual void import(const io::Record& record) = 0;
  // Resolves references to rows later in the file (merged_into, satisfied_by).
  virtual void finish() = 0;
  virtual Counts counts() const = 0;
};

std::unique_ptr<RowImporter> make_row_importer(Context& ctx, transfer::Entity entity,
                                               OnDuplicate policy, bool csv_like,
                                               Problems& problems);

}  // namespace refnet::cli::importing
