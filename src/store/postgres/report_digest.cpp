// report digest on PostgreSQL: who referred in the period, and whether anyone touched base since.
#include <fmt/format.h>

#include <string>

#include "store/postgres/pg_store.hpp"
#include "store/postgres/query.hpp"
#include "store/postgres/report_window.hpp"

namespace refnet::store {

using namespace pg;

std::vector<ReferrerTouch> PgStore::referrer_touches(std::optional<Timestamp> since, Timestamp end,
                                                     Timestamp as_of) {
  // For each contact who referred, its last touchpoint done by as-of (?3) is one seek to the end
  // of its range of touchpoint_contact.
  static const std::string sql = fmt::format(R"sql(
    SELECT c.id, c.name, c.archived_at, k.n, k.last,
      (SELECT max(t.done_at) FROM touchpoint t WHERE t.contact_id = k.contact_id
         AND t.done_at <= ?3)
    FROM ({}) k JOIN contact c ON c.id = k.contact_id)sql",
                                             inbound_per_contact);
  auto s = prepare(sql);
  put_period(s, since, end);
  put(s, 3, as_of);
  std::vector<ReferrerTouch> out;
  while (s.executeStep()) out.push_back(rows::read_referrer_touch(s));
  return out;
}

}  // namespace refnet::store
