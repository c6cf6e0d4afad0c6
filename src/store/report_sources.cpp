#include "binding.hpp"
#include "report_window.hpp"
#include "store/store.hpp"

namespace refnet::store {

using namespace detail;

void Store::each_source_share(std::optional<Timestamp> since, Timestamp end,
                              std::string_view as_of_date,
                              const std::function<void(const SourceShare&)>& fn) {
  // Referrals are counted per contact first, then each referring contact is attributed to one
  // source channel and one event, so both sections add up to the same inbound total.
  // Event attribution: the contact's own event (where `add --event` says they were met) wins;
  // otherwise the most recent event they were recorded at with `event --met`, because the latest
  // meeting is the one that renewed the relationship (last-touch attribution). Events dated after
  // as-of had not happened yet. Contacts met at no event are shown as "no event", and contacts
  // without a source as "unknown", each after the named ones.
  // The counting goes contact by contact: a range of the covering referral_contact_history index
  // each, and no sorting of referrals to group them.
  auto s = prepare(R"sql(
    WITH counted AS MATERIALIZED (
      SELECT c.id AS contact_id, c.source, c.event_id,
        (SELECT count(*) FROM referral r WHERE r.contact_id = c.id AND r.direction = 'in'
           AND r.referred_at >= ?1 AND r.referred_at < ?2) AS n
      FROM contact c),
    per_contact AS (SELECT * FROM counted WHERE n > 0),
    attributed AS MATERIALIZED (
      SELECT p.contact_id, p.n, coalesce(p.source, 'unknown') AS source,
             coalesce(p.event_id,
                      (SELECT ec.event_id FROM event_contact ec JOIN event e ON e.id = ec.event_id
                       WHERE ec.contact_id = p.contact_id AND e.date <= ?3
                       ORDER BY e.date DESC, e.id DESC LIMIT 1)) AS event_id
      FROM per_contact p),
    total AS (SELECT sum(n) AS n FROM attributed),
    shares AS (
      SELECT 0 AS section, 'source' AS by, source AS name, NULL AS event_id, NULL AS event_date,
             sum(n) AS referrals, count(*) AS contacts, source = 'unknown' AS unattributed
      FROM attributed GROUP BY source
      UNION ALL
      SELECT 1, 'event', coalesce(e.name, 'no event'), a.event_id, e.date,
             sum(a.n), count(*), a.event_id IS NULL
      FROM attributed a LEFT JOIN event e ON e.id = a.event_id GROUP BY a.event_id)
    SELECT by, name, event_id, event_date, referrals,
           round(100.0 * referrals / (SELECT n FROM total), 1), contacts
    FROM shares
    ORDER BY section, unattributed, referrals DESC, name COLLATE NOCASE, event_date DESC)sql");
  put_since(s, 1, since);
  put(s, 2, end);
  s.bind(3, std::string(as_of_date));
  while (s.executeStep()) {
    SourceShare row;
    row.by = s.getColumn(0).getString();
    row.name = s.getColumn(1).getString();
    row.event_id = integer(s.getColumn(2));
    row.event_date = text(s.getColumn(3));
    row.referrals = s.getColumn(4).getInt64();
    row.share = s.getColumn(5).getDouble();
    row.contacts = s.getColumn(6).getInt64();
    fn(row);
  }
}

}  // namespace refnet::store
