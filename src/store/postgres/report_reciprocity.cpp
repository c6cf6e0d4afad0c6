// report reciprocity on PostgreSQL: referrals each way per contact, and the last of each.
#include "store/postgres/pg_store.hpp"
#include "store/postgres/query.hpp"
#include "store/postgres/report_window.hpp"

namespace refnet::store {

using namespace pg;

std::vector<ReciprocityRow> PgStore::reciprocity_counts(std::optional<Timestamp> since,
                                                        Timestamp end) {
  // The period's referrals grouped per contact in one pass, both directions at once, before the
  // join: each contact's name is read once, not once per referral.
  auto s = prepare(R"sql(
    SELECT c.id, c.name, k.n_in, k.n_out, k.last_in, k.last_out
    FROM (SELECT contact_id,
            count(*) FILTER (WHERE direction = 'in') AS n_in,
            count(*) FILTER (WHERE direction = 'out') AS n_out,
            max(referred_at) FILTER (WHERE direction = 'in') AS last_in,
            max(referred_at) FILTER (WHERE direction = 'out') AS last_out
          FROM referral WHERE referred_at >= ?1 AND referred_at < ?2
          GROUP BY contact_id) k
    JOIN contact c ON c.id = k.contact_id)sql");
  put_period(s, since, end);
  std::vector<ReciprocityRow> out;
  while (s.executeStep()) out.push_back(rows::read_reciprocity_row(s));
  return out;
}

}  // namespace refnet::store
