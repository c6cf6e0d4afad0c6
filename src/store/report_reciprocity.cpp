#include "binding.hpp"
#include "refnet/store/store.hpp"
#include "report_window.hpp"

namespace refnet::store {

using namespace detail;

void Store::each_reciprocity(std::optional<Timestamp> since, Timestamp end,
                             const std::function<void(const ReciprocityRow&)>& fn) {
  // Contact by contact (CROSS JOIN keeps contact the outer loop): two seeks of the covering
  // referral_direction_contact index per contact, one per direction, so the cost follows the
  // number of contacts and the referrals in the period, and referrals are never sorted to group.
  auto s = prepare(R"sql(
    SELECT c.id, c.name,
           sum(r.direction = 'in') AS n_in,
           sum(r.direction = 'out') AS n_out,
           max(CASE r.direction WHEN 'in' THEN r.referred_at END),
           max(CASE r.direction WHEN 'out' THEN r.referred_at END)
    FROM contact c CROSS JOIN referral r
    WHERE r.contact_id = c.id AND r.direction IN ('in','out')
      AND r.referred_at >= ?1 AND r.referred_at < ?2
    GROUP BY c.id
    ORDER BY n_in + n_out DESC, c.name COLLATE NOCASE, c.id)sql");
  put_since(s, 1, since);
  put(s, 2, end);
  while (s.executeStep()) {
    ReciprocityRow row;
    row.contact_id = s.getColumn(0).getInt64();
    row.contact_name = s.getColumn(1).getString();
    row.referrals_in = s.getColumn(2).getInt64();
    row.referrals_out = s.getColumn(3).getInt64();
    row.last_in = optional_time(s.getColumn(4));
    row.last_out = optional_time(s.getColumn(5));
    fn(row);
  }
}

}  // namespace refnet::store
