// Internal to the store: binding C++ values to statements and reading them back.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <array>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/contact_ref.hpp"
#include "domain/time.hpp"
#include "error.hpp"
#include "store/rows.hpp"

namespace refnet::store::detail {

using domain::Timestamp;

// A statement from SqliteStore::prepare, bound and stepped by one caller, and reset when it goes
// out of scope. A SELECT left on a row keeps its read transaction open, and a connection holding
// one can neither wait for the write lock (SQLite skips the busy handler) nor take it once another
// process has committed (SQLITE_BUSY_SNAPSHOT): the next BEGIN IMMEDIATE would fail at once.
class Query {
 public:
  // A cached statement, marked in use until this Query ends.
  Query(SQLite::Statement& cached, bool& in_use) noexcept : statement_(&cached), in_use_(&in_use) {
    in_use = true;
  }
  // A statement of its own, for SQL whose cached statement is still being read further up the
  // stack (a callback of each_* running the same query): resetting that one would end its loop.
  explicit Query(std::unique_ptr<SQLite::Statement> own) noexcept
      : own_(std::move(own)), statement_(own_.get()) {}
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query() {
    statement_->tryReset();  // never throws; the error of a failed step was thrown already
    if (lent_) {
      try {
        statement_->clearBindings();  // no cached statement keeps a pointer into a gone value
      } catch (...) {  // sqlite3_clear_bindings cannot fail; a destructor must not throw
      }
    }
    if (in_use_ != nullptr) *in_use_ = false;
  }

  // Binds a copy of the value: for values that end before the statement runs.
  template <typename... Value>
  void bind(int index, Value&&... value) {
    statement_->bind(index, std::forward<Value>(value)...);
  }

  // Binds text that SQLite reads where it lies, without a copy: the caller keeps it alive, and
  // unchanged, until this Query ends. A copy costs SQLite a malloc and a free per value, which
  // was a third of what a bulk load spent writing a row.
  void lend(int index, const std::string& text) {
    statement_->bindNoCopy(index, text);
    lent_ = true;
  }
  void lend(int index, std::string&&) = delete;  // a temporary would end before the statement runs
  // A NUL-terminated literal, such as the names domain::to_string gives.
  void lend_literal(int index, std::string_view literal) {
    statement_->bindNoCopy(index, literal.data());
    lent_ = true;
  }
  // A time as stored, written into this Query so that it lives as long as the binding.
  void bind_time(int index, Timestamp t) {
    const domain::UtcText text(t);
    if (times_used_ == times_.size()) {
      statement_->bind(index, text.c_str());  // more times than slots: SQLite copies it
      return;
    }
    auto& slot = times_[times_used_++];
    std::memcpy(slot.data(), text.c_str(), text.view().size() + 1);
    statement_->bindNoCopy(index, slot.data());
    lent_ = true;
  }
  // NULL where an integer goes (rows::put_id).
  void bind_null_integer(int index) { statement_->bind(index); }
  // Steps to the next row; false when there is none left.
  bool executeStep() { return statement_->executeStep(); }
  SQLite::Column getColumn(int index) { return statement_->getColumn(index); }
  // A column's text where SQLite keeps it, valid until the next step, or nothing for NULL. For
  // loops over a million rows: a Column is made once per index, not once per value (a copy of a
  // shared_ptr each time), and NULL is told by the text alone, without asking for the type.
  std::optional<std::string_view> text_view(int index) {
    const auto at = static_cast<std::size_t>(index);
    if (at >= columns_.size()) return view(statement_->getColumn(index));
    if (!columns_[at]) columns_[at].emplace(statement_->getColumn(index));
    return view(*columns_[at]);
  }
  // Runs a statement that returns no row, and readies it to be bound and run again.
  int exec() {
    const int changed = statement_->exec();
    statement_->reset();
    return changed;
  }

 private:
  static std::optional<std::string_view> view(const SQLite::Column& column) {
    const char* chars = column.getText(nullptr);  // before getBytes(), as SQLite asks
    if (chars == nullptr) {
      if (!column.isNull()) throw std::bad_alloc();  // SQLite had no memory to make the text
      return std::nullopt;
    }
    return std::string_view(chars, static_cast<std::size_t>(column.getBytes()));
  }

  std::unique_ptr<SQLite::Statement> own_;
  SQLite::Statement* statement_;
  std::array<std::optional<SQLite::Column>, 8> columns_;  // those text_view has read
  bool* in_use_ = nullptr;
  bool lent_ = false;
  // Room for every time of the widest row (a referral has 11); UtcText is at most 32 characters.
  std::array<std::array<char, 32>, 12> times_;
  std::size_t times_used_ = 0;
};

// Lent to the statement: `value` must outlive the Query (see Query::lend).
inline void put(Query& s, int index, const std::optional<std::string>& value) {
  if (value) {
    s.lend(index, *value);
  } else {
    s.bind(index);
  }
}
void put(Query& s, int index, std::optional<std::string>&& value) = delete;

inline void put(Query& s, int index, Timestamp value) {
  s.bind_time(index, value);
}

inline void put(Query& s, int index, const std::optional<Timestamp>& value) {
  if (value) {
    s.bind_time(index, *value);
  } else {
    s.bind(index);
  }
}

inline void put(Query& s, int index, const std::optional<std::int64_t>& value) {
  if (value) {
    s.bind(index, static_cast<int64_t>(*value));
  } else {
    s.bind(index);
  }
}

// Reading columns: the same for every store (store/rows.hpp).
using rows::integer;
using rows::optional_time;
using rows::stored_time;
using rows::text;
using rows::time;

// A stored time read through Query::text_view, or nothing for NULL.
inline std::optional<Timestamp> optional_time(Query& s, int index) {
  const auto text = s.text_view(index);
  if (!text) return std::nullopt;
  return stored_time(*text);
}

using rows::candidates;

}  // namespace refnet::store::detail
