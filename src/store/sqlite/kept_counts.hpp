// The kept counts (referral_day): what triggers maintain, and counting them again from the rows.
#pragma once

// Internal to the store: the counts triggers keep up to date in every write (migration 7), and
// how to count them again from the rows themselves.

#include <string_view>

namespace SQLite {
class Database;
}

namespace refnet::store::detail {

// referral_day's rows as the referrals make them: per direction and UTC day (the first ten
// characters of referred_at), the referrals and the loops closed after the referral was made.
inline constexpr const char* referral_day_recount = R"sql(
  SELECT direction, substr(referred_at, 1, 10) AS day, count(*) AS referrals,
         coalesce(sum(closed_at >= referred_at), 0) AS closed
  FROM referral GROUP BY direction, substr(referred_at, 1, 10))sql";

// A table whose writes triggers count into another: a bulk load drops those triggers (named
// after the counts' table) and counts once at the end instead.
struct KeptCounts {
  std::string_view table;
  std::string_view counts;
  // Fills the emptied counts' table from the rows, as the table's recount SQL counts them.
  void (*fill)(SQLite::Database& db);
};

void fill_referral_day(SQLite::Database& db);

inline constexpr KeptCounts kept_counts[] = {{"referral", "referral_day", fill_referral_day}};

}  // namespace refnet::store::detail
