// Statements on PostgreSQL: text parameters and results through libpq.
#include "store/postgres/query.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <new>

#include "store/postgres/libpq.hpp"
#include "text/text.hpp"

namespace refnet::store::pg {

namespace {

// Type OIDs (PostgreSQL's pg_type.dat): parameters are typed, so `$1 IS NULL` needs no cast.
constexpr unsigned int8_oid = 20;
constexpr unsigned text_oid = 25;
constexpr unsigned float8_oid = 701;
constexpr unsigned bool_oid = 16;
constexpr unsigned bytea_oid = 17;

ServerError error_of(PGconn* conn, const PGresult* result) {
  const auto& pq = libpq();
  if (result == nullptr) return ServerError("", pq.errorMessage(conn));
  const char* state = pq.resultErrorField(result, PG_DIAG_SQLSTATE);
  const char* message = pq.resultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  return ServerError(state == nullptr ? "" : state,
                     message != nullptr ? message : pq.resultErrorMessage(result));
}

Result checked(PGconn* conn, PGresult* raw) {
  Result result(raw);
  const auto status = raw == nullptr ? PGRES_FATAL_ERROR : libpq().resultStatus(raw);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
    throw error_of(conn, raw);
  }
  return result;
}

}  // namespace

void ResultFree::operator()(PGresult* result) const noexcept {
  if (result != nullptr) libpq().clear(result);
}

Result run(PGconn* conn, const std::string& sql,
           const std::vector<std::optional<std::string>>& values,
           const std::vector<unsigned>& types) {
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const auto& v : values) pointers.push_back(v ? v->c_str() : nullptr);
  return checked(conn, libpq().execParams(conn, sql.c_str(), static_cast<int>(values.size()),
                                          types.data(), pointers.data(), nullptr, nullptr, 0));
}

Result run(PGconn* conn, const std::string& sql) {
  return checked(conn, libpq().exec(conn, sql.c_str()));
}

void copy_in(PGconn* conn, const std::string& sql, std::string_view data) {
  const auto& pq = libpq();
  {
    Result started(pq.exec(conn, sql.c_str()));
    if (started == nullptr || pq.resultStatus(started.get()) != PGRES_COPY_IN) {
      throw error_of(conn, started.get());
    }
  }
  // On a blocking connection PQputCopyData returns 1 once libpq has queued the data, -1 on a
  // failure (libpq's manual, "Functions Associated with the COPY Command"); pieces of a few
  // MiB keep libpq's own buffer small.
  constexpr std::size_t piece = 4 << 20;
  std::optional<ServerError> failed;
  for (std::size_t at = 0; at < data.size() && !failed; at += piece) {
    const auto n = std::min(piece, data.size() - at);
    if (pq.putCopyData(conn, data.data() + at, static_cast<int>(n)) != 1) {
      failed = error_of(conn, nullptr);
    }
  }
  if (pq.putCopyEnd(conn, nullptr) != 1 && !failed) failed = error_of(conn, nullptr);
  // The COPY's outcome, then nothing: PQgetResult must be called until it returns NULL.
  while (PGresult* raw = pq.getResult(conn)) {
    Result result(raw);
    if (pq.resultStatus(raw) != PGRES_COMMAND_OK && !failed) failed = error_of(conn, raw);
  }
  if (failed) throw *failed;
}

std::string numbered_parameters(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  char quote = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '?' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      out += '$';
      continue;
    }
    out += c;
  }
  return out;
}

bool Column::isNull() const {
  return libpq().getisnull(result_, row_, column_) != 0;
}

const char* Column::getText() const {
  return libpq().getvalue(result_, row_, column_);
}

int Column::getBytes() const {
  return libpq().getlength(result_, row_, column_);
}

std::int64_t Column::getInt64() const {
  if (isNull()) return 0;
  const char* text = getText();
  const auto size = static_cast<std::size_t>(getBytes());
  if (size == 1 && text[0] == 't') return 1;
  if (size == 1 && text[0] == 'f') return 0;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text, text + size, value);
  if (ec != std::errc() || end != text + size) {
    // a numeric such as 3.0 from an average: its integer part, as SQLite's getInt64 would give
    return static_cast<std::int64_t>(getDouble());
  }
  return value;
}

double Column::getDouble() const {
  if (isNull()) return 0;
  double value = 0;
  const char* text = getText();
  std::from_chars(text, text + getBytes(), value);
  return value;
}

std::vector<unsigned char> Column::getBlob() const {
  // bytea's text form: \x and two hex digits a byte.
  const std::string_view text(getText(), static_cast<std::size_t>(getBytes()));
  std::vector<unsigned char> out;
  if (!text.starts_with("\\x")) throw Error(Exit::io, "the database holds a malformed bytea value");
  for (std::size_t i = 2; i + 1 < text.size(); i += 2) {
    unsigned value = 0;
    std::from_chars(text.data() + i, text.data() + i + 2, value, 16);
    out.push_back(static_cast<unsigned char>(value));
  }
  return out;
}

void Query::set(int index, std::optional<std::string> value, unsigned type) {
  const auto at = static_cast<std::size_t>(index - 1);
  if (values_.size() <= at) {
    values_.resize(at + 1);
    types_.resize(at + 1, text_oid);  // a number the statement skips is bound NULL, as text
  }
  values_[at] = std::move(value);
  types_[at] = type;
  result_.reset();
  cursor_.reset();
  row_ = -1;
}

void Query::bind(int index, std::int64_t value) {
  set(index, std::to_string(value), int8_oid);
}

void check_text(std::string_view value) {
  if (value.find('\0') != std::string_view::npos) {
    throw Error(Exit::data, "PostgreSQL cannot store text with a NUL character in it");
  }
  if (const auto at = text::first_invalid_utf8(value)) {
    throw Error(
        Exit::data,
        fmt::format(
            "PostgreSQL takes only UTF-8 text, and a value given is not UTF-8 (byte 0x{:02X})",
            static_cast<unsigned char>(value[*at])),
        "give the text as UTF-8: check the locale of the terminal or script that passed it");
  }
}

void Query::bind(int index, std::string_view value) {
  check_text(value);
  set(index, std::string(value), text_oid);
}

void Query::bind(int index, double value) {
  set(index, fmt::format("{}", value), float8_oid);
}

void Query::bind_flag(int index, bool value) {
  set(index, value ? "t" : "f", bool_oid);
}

void Query::bind_blob(int index, const std::vector<unsigned char>& value) {
  std::string hex = "\\x";
  for (const unsigned char c : value) hex += fmt::format("{:02x}", c);
  set(index, std::move(hex), bytea_oid);
}

void Query::bind(int index) {
  const auto at = static_cast<std::size_t>(index - 1);
  // NULL keeps a type bound before (a statement run again), else text.
  const unsigned type = at < types_.size() ? types_[at] : text_oid;
  set(index, std::nullopt, type);
}

void Query::bind_untyped(int index, const std::optional<std::string>& value) {
  if (value) check_text(*value);  // libpq would cut a value at a NUL without a word
  set(index, value, 0);
}

void Query::bind_null_integer(int index) {
  set(index, std::nullopt, int8_oid);
}

void Query::bind_time(int index, Timestamp t) {
  const domain::UtcText text(t);
  set(index, std::string(text.view()), text_oid);
}

Cursor::~Cursor() {
  try {
    run(conn_, "CLOSE " + name_);
    if (own_transaction_) run(conn_, "COMMIT");
  } catch (...) {  // an aborted transaction's COMMIT rolls it back; a destructor must not throw
    if (own_transaction_) {
      try {
        run(conn_, "ROLLBACK");
      } catch (...) {
      }
    }
  }
}

void Query::run_once() {
  row_ = -1;
  if (batch_ == 0) {
    result_ = run(conn_, sql_, values_, types_);
    return;
  }
  cursor_.reset();
  // A cursor lives in a transaction: the command's own (a write, a snapshot) or one begun here.
  const bool own = libpq().transactionStatus(conn_) == PQTRANS_IDLE;
  if (own) run(conn_, "BEGIN");
  static std::atomic<unsigned> opened = 0;
  auto name = fmt::format("refnet_rows_{}", ++opened);
  try {
    run(conn_, fmt::format("DECLARE {} NO SCROLL CURSOR FOR {}", name, sql_), values_, types_);
  } catch (...) {
    if (own) {
      try {
        run(conn_, "ROLLBACK");
      } catch (...) {  // the statement's error is the one to report
      }
    }
    throw;
  }
  cursor_ = std::make_unique<Cursor>(conn_, std::move(name), own);
  fetch();
}

void Query::fetch() {
  result_ = run(conn_, fmt::format("FETCH {} FROM {}", batch_, cursor_->name()));
  row_ = -1;
  // The last batch: the cursor is done with before its rows are read.
  if (libpq().ntuples(result_.get()) < batch_) cursor_.reset();
}

bool Query::executeStep() {
  if (!result_) run_once();
  if (row_ + 1 >= libpq().ntuples(result_.get())) {
    if (!cursor_) return false;
    fetch();
    if (libpq().ntuples(result_.get()) == 0) return false;
  }
  ++row_;
  return true;
}

std::optional<std::string_view> Query::text_view(int index) const {
  const auto c = getColumn(index);
  if (c.isNull()) return std::nullopt;
  return std::string_view(c.getText(), static_cast<std::size_t>(c.getBytes()));
}

std::int64_t Query::exec() {
  run_once();
  const char* changed = libpq().cmdTuples(result_.get());
  std::int64_t count = 0;
  if (changed != nullptr && *changed != '\0') {
    std::from_chars(changed, changed + std::char_traits<char>::length(changed), count);
  }
  result_.reset();
  return count;
}

int Query::rows() const {
  return result_ ? libpq().ntuples(result_.get()) : 0;
}

}  // namespace refnet::store::pg
