// Internal to the store: binding a report's period to its statements.
#pragma once

#include <cstdint>
#include <optional>

#include "binding.hpp"

namespace refnet::store::detail {

// An unset start of a period binds as the empty string, which sorts before every stored time, so
// one prepared statement serves "since X" and "from the beginning" alike.
inline void put_since(Query& s, int index, const std::optional<Timestamp>& since) {
  s.bind(index, since ? domain::format_utc(*since) : std::string());
}

// The per-contact reports' statements take their period as ?1 and ?2 and a task's range of
// contact ids (see parallel.hpp) as ?3 and ?4.
inline void put_period_and_ids(Query& s, const std::optional<Timestamp>& since, Timestamp end,
                               std::int64_t low, std::int64_t high) {
  put_since(s, 1, since);
  put(s, 2, end);
  s.bind(3, static_cast<int64_t>(low));
  s.bind(4, static_cast<int64_t>(high));
}

}  // namespace refnet::store::detail
