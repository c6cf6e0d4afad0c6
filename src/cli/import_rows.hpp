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

// What the user said of the file's columns: --map HEADER=FIELD, --ignore HEADER and
// --ignore-unknown. Headers compare as an import compares them (text::match_key).
struct ColumnChoices {
  std::vector<std::pair<std::string, std::string>> map;  // header, field key
  std::vector<std::string> ignore;
  bool ignore_unknown = false;
};

// One column of the file and what the import makes of it, for --dry-run to show.
struct ColumnUse {
  enum class How { named, mapped, ignored, ignored_unknown, unknown, given_twice };
  std::string header;
  std::string field;  // the field it fills; empty when it fills none
  How how = How::named;
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
  // What became of each column so far, in file order.
  virtual const std::vector<ColumnUse>& columns_used() const = 0;
  // The --map and --ignore headers that named no column of the file.
  virtual std::vector<std::string> unused_choices() const = 0;
};

// Throws Error(usage) when --map names a field the entity does not have.
std::unique_ptr<RowImporter> make_row_importer(Context& ctx, transfer::Entity entity,
                                               OnDuplicate policy, bool csv_like,
                                               const ColumnChoices& choices, Problems& problems);

}  // namespace refnet::cli::importing
