// report sources on SQLite: each inbound referrer's count, channel, own event and last-met event.
#include "binding.hpp"
#include "report_window.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace refnet::store {

using namespace detail;

std::vector<ReferrerOrigin> SqliteStore::referrer_origins(std::optional<Timestamp> since,
                                                          Timestamp end,
                                                          std::string_view as_of_date) {
  // Contact by contact: a range of the covering referral_contact_history index each, and no
  // sorting of referrals to group them; then, for the contacts who referred, their own event and
  // the latest one they were met at, each only when dated by as-of.
  auto s = prepare(R"sql(
    WITH counted AS MATERIALIZED (
      SELECT c.id AS contact_id, c.source, c.event_id,
        (SELECT count(*) FROM referral r WHERE r.contact_id = c.id AND r.direction = 'in'
           AND r.referred_at >= ?1 AND r.referred_at < ?2) AS n
      FROM contact c),
    referrers AS MATERIALIZED (
      SELECT contact_id, n, source, event_id,
        (SELECT ec.event_id FROM event_contact ec JOIN event e ON e.id = ec.event_id
         WHERE ec.contact_id = k.contact_id AND e.date <= ?3
         ORDER BY e.date DESC, e.id DESC LIMIT 1) AS met_id
      FROM counted k WHERE n > 0)
    SELECT r.contact_id, r.n, r.source, own.id, own.name, own.date, met.id, met.name, met.date
    FROM referrers r
    LEFT JOIN event own ON own.id = r.event_id AND own.date <= ?3
    LEFT JOIN event met ON met.id = r.met_id)sql");
  put_since(s, 1, since);
  put(s, 2, end);
  s.bind(3, std::string(as_of_date));
  std::vector<ReferrerOrigin> out;
  while (s.executeStep()) out.push_back(rows::read_referrer_origin(s));
  return out;
}

}  // namespace refnet::store
