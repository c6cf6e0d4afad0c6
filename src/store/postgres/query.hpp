// Internal to the store: statements on PostgreSQL, bound and read the way the SQLite store's are.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "domain/contact_ref.hpp"
#include "domain/time.hpp"
#include "error.hpp"
#include "store/rows.hpp"

namespace refnet::store::pg {

using domain::Timestamp;

// An error the server or libpq reported, with its SQLSTATE ("" for a lost connection).
class ServerError : public std::runtime_error {
 public:
  ServerError(std::string sqlstate, const std::string& what)
      : std::runtime_error(what), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const noexcept { return sqlstate_; }

 private:
  std::string sqlstate_;
};

// A result of libpq's, freed when it goes.
struct ResultFree {
  void operator()(PGresult* result) const noexcept;
};
using Result = std::unique_ptr<PGresult, ResultFree>;

// Runs `sql` with text parameters (nullopt: NULL), typed by `types` (0: the server infers it).
// Throws ServerError.
Result run(PGconn* conn, const std::string& sql,
           const std::vector<std::optional<std::string>>& values,
           const std::vector<unsigned>& types);
// Runs SQL without parameters (several statements may be given). Throws ServerError.
Result run(PGconn* conn, const std::string& sql);

// Runs `sql`, a COPY ... FROM STDIN, sending it `data` (rows in COPY's text format). Throws
// ServerError, the connection ready for the next statement.
void copy_in(PGconn* conn, const std::string& sql, std::string_view data);

// Refuses (Exit::data) text a PostgreSQL text column cannot hold, which a SQLite file would:
// a NUL character, or bytes that are not UTF-8 (an argument from a terminal or script in
// another encoding). Nothing is sent, so the transaction changes nothing.
void check_text(std::string_view value);

// SQLite's numbered parameters (?1) as PostgreSQL's ($1), outside quoted text and names, so the
// two stores' statements read alike.
std::string numbered_parameters(std::string_view sql);

// One value of a row, as SQLiteCpp's Column reads it.
class Column {
 public:
  Column(const PGresult* result, int row, int column)
      : result_(result), row_(row), column_(column) {}
  bool isNull() const;
  // The text of the value ("" for NULL).
  const char* getText() const;
  int getBytes() const;
  std::string getString() const { return {getText(), static_cast<std::size_t>(getBytes())}; }
  // An integer, or a boolean as 1 or 0 (PostgreSQL's comparisons are booleans, SQLite's 1 or 0).
  std::int64_t getInt64() const;
  int getInt() const { return static_cast<int>(getInt64()); }
  double getDouble() const;
  // A bytea value, decoded.
  std::vector<unsigned char> getBlob() const;

 private:
  const PGresult* result_;
  int row_;
  int column_;
};

// A cursor a Query reads its rows through, closed (and the transaction it began ended) when it
// goes.
class Cursor {
 public:
  Cursor(PGconn* conn, std::string name, bool own_transaction)
      : conn_(conn), name_(std::move(name)), own_transaction_(own_transaction) {}
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;
  ~Cursor();
  const std::string& name() const noexcept { return name_; }

 private:
  PGconn* conn_;
  std::string name_;
  bool own_transaction_;
};

// A statement: bound, then run on the first step (every row is fetched at once, or a batch at a
// time after in_batches()), or by exec().
class Query {
 public:
  Query(PGconn* conn, std::string sql) : conn_(conn), sql_(std::move(sql)) {}

  // Reads the rows `batch` at a time through a cursor, so a command that streams a million rows
  // (list, export, a backup) holds one batch, not the whole result. Outside a transaction it
  // begins one for the cursor, ended with it; other statements may run between the steps.
  void in_batches(int batch = 2000) { batch_ = batch; }

  void bind(int index, std::int64_t value);
  void bind(int index, int value) { bind(index, static_cast<std::int64_t>(value)); }
  void bind(int index, std::string_view value);
  void bind(int index, const std::string& value) { bind(index, std::string_view(value)); }
  void bind(int index, const char* value) { bind(index, std::string_view(value)); }
  void bind(int index, double value);
  void bind(int index, bool value) = delete;  // say which: 1/0 or an SQL boolean
  // A boolean parameter, for comparing with a PostgreSQL boolean.
  void bind_flag(int index, bool value);
  // bytea.
  void bind_blob(int index, const std::vector<unsigned char>& value);
  // NULL.
  void bind(int index);
  // Text the server reads as the type its place asks for (a column's, in an INSERT).
  void bind_untyped(int index, const std::optional<std::string>& value);
  // NULL, of an integer column's type (where the server cannot infer one, as in coalesce).
  void bind_null_integer(int index);
  void bind_time(int index, Timestamp t);
  // As the SQLite store's Query lends text without a copy; here the text is copied.
  void lend(int index, const std::string& text) { bind(index, text); }
  void lend_literal(int index, std::string_view literal) { bind(index, literal); }

  // Steps to the next row; false when there is none left.
  bool executeStep();
  Column getColumn(int index) const { return {result_.get(), row_, index}; }
  std::optional<std::string_view> text_view(int index) const;
  // Runs a statement that returns no row; the rows it changed.
  std::int64_t exec();
  // The rows of the result, after the first executeStep (of the batch, after in_batches()).
  int rows() const;

 private:
  void set(int index, std::optional<std::string> value, unsigned type);
  void run_once();
  void fetch();

  PGconn* conn_;
  std::string sql_;
  std::vector<std::optional<std::string>> values_;
  std::vector<unsigned> types_;
  Result result_;
  int row_ = -1;
  int batch_ = 0;
  std::unique_ptr<Cursor> cursor_;
};

inline void put(Query& s, int index, const std::optional<std::string>& value) {
  if (value) {
    s.bind(index, *value);
  } else {
    s.bind(index);
  }
}

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
    s.bind(index, *value);
  } else {
    s.bind_null_integer(index);
  }
}

// Reading columns: the same for every store (store/rows.hpp).
using rows::integer;
using rows::optional_time;
using rows::stored_time;
using rows::text;
using rows::time;

inline std::optional<Timestamp> optional_time(Query& s, int index) {
  const auto text = s.text_view(index);
  if (!text) return std::nullopt;
  return stored_time(*text);
}

using rows::candidates;

}  // namespace refnet::store::pg
