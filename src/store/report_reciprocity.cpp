#include <algorithm>
#include <cstdint>
#include <vector>

#include "binding.hpp"
#include "collate.hpp"
#include "parallel.hpp"
#include "refnet/store/store.hpp"
#include "report_window.hpp"

namespace refnet::store {

using namespace detail;

namespace {

// How finely the contacts are cut for the two connections (see parallel.hpp).
constexpr int slices = 16;

}  // namespace

void Store::each_reciprocity(std::optional<Timestamp> since, Timestamp end,
                             const std::function<void(const ReciprocityRow&)>& fn) {
  // Contact by contact, one direction at a time: each count is a range of the covering
  // referral_contact_history index, and each last date a single seek (SQLite's max()
  // shortcut), so the cost follows the number of contacts and the referrals in the period, and
  // referrals are never sorted to group them. A contact's ranges for both directions lie side by
  // side in that index, so its four lookups read the same few pages.
  //
  // Ranges of contact ids are read on two connections at once (in one pass this took 0.47 s of
  // a 0.5 s budget at a million referrals), and the rows put in the order one ORDER BY gave them
  // before.
  std::int64_t first = 0;
  std::int64_t last = 0;
  {  // ended before the read, whose snapshot it would otherwise hold (see parallel.hpp)
    auto bounds = prepare("SELECT (SELECT min(id) FROM contact), (SELECT max(id) FROM contact)");
    if (!bounds.executeStep() || bounds.getColumn(0).isNull()) return;  // no contact at all
    first = bounds.getColumn(0).getInt64();
    last = bounds.getColumn(1).getInt64();
  }
  auto rows = rows_by_id_range<ReciprocityRow>(
      *db_, busy_timeout_, R"sql(
        WITH counted AS MATERIALIZED (
          SELECT c.id AS contact_id, c.name AS name,
            (SELECT count(*) FROM referral r WHERE r.contact_id = c.id AND r.direction = 'in'
               AND r.referred_at >= ?1 AND r.referred_at < ?2) AS n_in,
            (SELECT count(*) FROM referral r WHERE r.contact_id = c.id AND r.direction = 'out'
               AND r.referred_at >= ?1 AND r.referred_at < ?2) AS n_out
          FROM contact c WHERE c.id BETWEEN ?3 AND ?4)
        SELECT g.contact_id, g.name, g.n_in, g.n_out,
          (SELECT max(r.referred_at) FROM referral r WHERE r.contact_id = g.contact_id
             AND r.direction = 'in' AND r.referred_at >= ?1 AND r.referred_at < ?2),
          (SELECT max(r.referred_at) FROM referral r WHERE r.contact_id = g.contact_id
             AND r.direction = 'out' AND r.referred_at >= ?1 AND r.referred_at < ?2)
        FROM counted g
        WHERE g.n_in + g.n_out > 0)sql",
      first, last, slices,
      [&](Query& s, std::int64_t low, std::int64_t high) {
        put_since(s, 1, since);
        put(s, 2, end);
        s.bind(3, static_cast<int64_t>(low));
        s.bind(4, static_cast<int64_t>(high));
      },
      [](Query& s) {
        ReciprocityRow row;
        row.contact_id = s.getColumn(0).getInt64();
        row.contact_name = s.getColumn(1).getString();
        row.referrals_in = s.getColumn(2).getInt64();
        row.referrals_out = s.getColumn(3).getInt64();
        row.last_in = optional_time(s.getColumn(4));
        row.last_out = optional_time(s.getColumn(5));
        return row;
      });

  // Most referrals both ways first, then by name as COLLATE NOCASE orders it, then by id.
  std::sort(rows.begin(), rows.end(), [](const ReciprocityRow& a, const ReciprocityRow& b) {
    const auto a_total = a.referrals_in + a.referrals_out;
    const auto b_total = b.referrals_in + b.referrals_out;
    if (a_total != b_total) return a_total > b_total;
    if (const int by_name = nocase_compare(a.contact_name, b.contact_name); by_name != 0) {
      return by_name < 0;
    }
    return a.contact_id < b.contact_id;
  });
  for (const auto& row : rows) fn(row);
}

}  // namespace refnet::store
