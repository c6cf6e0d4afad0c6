// Internal to the store: the schema of a refnet database on PostgreSQL.
#pragma once

namespace refnet::store::pg {

// The schema refnet init creates in an empty PostgreSQL database, at the same version as the
// SQLite schema's latest migration; refnet_meta holds that version and refnet's application id.
extern const char* const schema_sql;

// The conditions of the partial indexes referral_open and referral_ended, word for word, so the
// planner sees that they apply: a statement about open or ended referrals includes one of them.
inline constexpr const char* open_status = "status IN ('new','acknowledged','scheduled','seen')";
inline constexpr const char* ended_status = "status IN ('closed','declined','cancelled','no-show')";

}  // namespace refnet::store::pg

namespace refnet::store::pg {

// The tables, functions and triggers of the search index, created after schema_sql.
extern const char* const search_schema_sql;

}  // namespace refnet::store::pg
