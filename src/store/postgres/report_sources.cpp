// report sources on PostgreSQL: each inbound referrer's count, channel, own event and last-met
// event.
#include <fmt/format.h>

#include <string>

#include "store/postgres/pg_store.hpp"
#include "store/postgres/query.hpp"
#include "store/postgres/report_window.hpp"

namespace refnet::store {

using namespace pg;

std::vector<ReferrerOrigin> PgStore::referrer_origins(std::optional<Timestamp> since, Timestamp end,
                                                      std::string_view as_of_date) {
  // For the contacts who referred: their own event and the latest one they were met at (a seek
  // on event_contact_contact each), each only when dated by as-of (?3).
  static const std::string sql = fmt::format(R"sql(
    SELECT k.contact_id, k.n, c.source, own.id, own.name, own.date, met.id, met.name, met.date
    FROM ({}) k
    JOIN contact c ON c.id = k.contact_id
    LEFT JOIN event own ON own.id = c.event_id AND own.date <= ?3
    LEFT JOIN LATERAL (
      SELECT e.id, e.name, e.date FROM event_contact ec JOIN event e ON e.id = ec.event_id
      WHERE ec.contact_id = k.contact_id AND e.date <= ?3
      ORDER BY e.date DESC, e.id DESC LIMIT 1) met ON true)sql",
                                             inbound_per_contact);
  auto s = prepare(sql);
  put_period(s, since, end);
  s.bind(3, as_of_date);
  std::vector<ReferrerOrigin> out;
  while (s.executeStep()) out.push_back(rows::read_referrer_origin(s));
  return out;
}

}  // namespace refnet::store
