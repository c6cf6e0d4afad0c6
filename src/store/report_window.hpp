#pragma once

// Internal to the store: binding a report's period to its statements.

#include <optional>

#include "binding.hpp"

namespace refnet::store::detail {

// An unset start of a period binds as the empty string, which sorts before every stored time, so
// one prepared statement serves "since X" and "from the beginning" alike.
inline void put_since(Query& s, int index, const std::optional<Timestamp>& since) {
  s.bind(index, since ? domain::format_utc(*since) : std::string());
}

}  // namespace refnet::store::detail
