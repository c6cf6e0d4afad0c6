// The SQLite migrations, and the status conditions its partial indexes are queried by.
#pragma once

#include <vector>

namespace refnet::store {

struct Migration {
  int version;  // PRAGMA user_version after it ran
  const char* description;
  const char* sql;
};

// PRAGMA application_id of a refnet database, "RFNT" (schema version 11): what tells a refnet
// database, or a backup of one, from any other SQLite file.
inline constexpr int application_id = 0x52464E54;

// Every migration in order; the last one's version is the current schema.
const std::vector<Migration>& migrations();

// The conditions of the partial indexes referral_open and referral_ended (schema version 5). The
// planner uses a partial index only for a query that states its condition, so a query over open
// or ended referrals includes one of these word for word. They are comparisons, not `status IN
// (...)`: for a list SQLite builds a temporary table on every row it writes.
inline constexpr const char* open_status_condition =
    "(status = 'new' OR status = 'acknowledged' OR status = 'scheduled' OR status = 'seen')";
inline constexpr const char* ended_status_condition =
    "(status = 'closed' OR status = 'declined' OR status = 'cancelled' OR status = 'no-show')";

}  // namespace refnet::store
