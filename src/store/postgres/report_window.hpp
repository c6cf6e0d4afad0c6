// Internal to the store: a report's period bound to its statements on PostgreSQL, and the inbound
// referrals per contact that several reports start from.
#pragma once

#include <optional>
#include <string>

#include "domain/time.hpp"
#include "store/postgres/query.hpp"

namespace refnet::store::pg {

// An unset start of a period binds as the empty string, which sorts before every stored time, so
// one statement serves "since X" and "from the beginning" alike.
inline void put_since(Query& s, int index, const std::optional<Timestamp>& since) {
  s.bind(index, since ? domain::format_utc(*since) : std::string());
}

// The period [since, end) as ?1 and ?2, as every statement of a per-contact report takes it.
inline void put_period(Query& s, const std::optional<Timestamp>& since, Timestamp end) {
  put_since(s, 1, since);
  put(s, 2, end);
}

// Each contact's inbound referrals made in the period ?1 to ?2: how many (n) and the last one
// (last), one row per contact who made any. Grouped before any join, so a contact is read once,
// not once per referral.
inline constexpr const char* inbound_per_contact = R"sql(
  SELECT contact_id, count(*) AS n, max(referred_at) AS last FROM referral
  WHERE direction = 'in' AND referred_at >= ?1 AND referred_at < ?2
  GROUP BY contact_id)sql";

}  // namespace refnet::store::pg
