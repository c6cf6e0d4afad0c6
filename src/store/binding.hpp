#pragma once

// Internal to the store: binding C++ values to statements and reading them back.

#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>

#include "refnet/domain/time.hpp"
#include "refnet/error.hpp"

namespace refnet::store::detail {

using domain::Timestamp;

inline void put(SQLite::Statement& s, int index, const std::optional<std::string>& value) {
  if (value) {
    s.bind(index, *value);
  } else {
    s.bind(index);
  }
}

inline void put(SQLite::Statement& s, int index, Timestamp value) {
  s.bind(index, domain::format_utc(value));
}

inline void put(SQLite::Statement& s, int index, const std::optional<Timestamp>& value) {
  if (value) {
    s.bind(index, domain::format_utc(*value));
  } else {
    s.bind(index);
  }
}

inline void put(SQLite::Statement& s, int index, const std::optional<std::int64_t>& value) {
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
  auto parsed = domain::parse_iso(c.getString());
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
