#pragma once

// Internal to the store: binding C++ values to statements and reading them back.

#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "refnet/domain/time.hpp"
#include "refnet/error.hpp"

namespace refnet::store::detail {

using domain::Timestamp;

// A statement from Store::prepare, bound and stepped by one caller, and reset when it goes out of
// scope. A SELECT left on a row keeps its read transaction open, and a connection holding one can
// neither wait for the write lock (SQLite skips the busy handler) nor take it once another process
// has committed (SQLITE_BUSY_SNAPSHOT): the next BEGIN IMMEDIATE would fail at once.
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
    if (in_use_ != nullptr) *in_use_ = false;
  }

  template <typename... Value>
  void bind(int index, Value&&... value) {
    statement_->bind(index, std::forward<Value>(value)...);
  }
  // Steps to the next row; false when there is none left.
  bool executeStep() { return statement_->executeStep(); }
  SQLite::Column getColumn(int index) { return statement_->getColumn(index); }
  // Runs a statement that returns no row, and readies it to be bound and run again.
  int exec() {
    const int changed = statement_->exec();
    statement_->reset();
    return changed;
  }

 private:
  std::unique_ptr<SQLite::Statement> own_;
  SQLite::Statement* statement_;
  bool* in_use_ = nullptr;
};

inline void put(Query& s, int index, const std::optional<std::string>& value) {
  if (value) {
    s.bind(index, *value);
  } else {
    s.bind(index);
  }
}

inline void put(Query& s, int index, Timestamp value) {
  s.bind(index, domain::UtcText(value).c_str());  // SQLite copies it
}

inline void put(Query& s, int index, const std::optional<Timestamp>& value) {
  if (value) {
    s.bind(index, domain::UtcText(*value).c_str());
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

inline std::optional<std::string> text(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getString();
}

inline std::optional<std::int64_t> integer(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getInt64();
}

inline Timestamp time(const SQLite::Column& c) {
  const char* chars = c.getText();  // before getBytes(), as SQLite asks
  const auto parsed =
      domain::parse_stored(std::string_view(chars, static_cast<std::size_t>(c.getBytes())));
  if (!parsed) {
    throw Error(Exit::io, "the database holds a malformed time: '" + c.getString() + "'",
                "check it with: refnet db check");
  }
  return *parsed;
}

inline std::optional<Timestamp> optional_time(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return time(c);
}

}  // namespace refnet::store::detail
