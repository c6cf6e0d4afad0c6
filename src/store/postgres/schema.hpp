// Internal to the store: the schema of a refnet database on PostgreSQL.
#pragma once

#include <vector>

namespace refnet::store::pg {

// The schema refnet init creates in an empty PostgreSQL database, at the same version as the
// SQLite schema's latest migration; refnet_meta holds that version and refnet's application id.
extern const char* const schema_sql;

// A change to the schema of a PostgreSQL database an earlier refnet made, run in one transaction
// by its owner (PgStore::migrate). `revision` counts them: refnet_meta's postgresql_revision
// after it ran (a database made before the first says none: 0). `version` is the schema version
// it leaves, the SQLite schema's whose records the two share: a revision that changes only what
// PostgreSQL keeps (an index, a function) leaves it as it was. A revision never changes once
// released; schema_sql is always the result of them all.
struct Revision {
  int revision;
  int version;
  const char* description;
  const char* sql;
};

// Every revision in order; the last one's is the current schema.
const std::vector<Revision>& revisions();

// The conditions of the partial indexes referral_open and referral_ended, word for word, so the
// planner sees that they apply: a statement about open or ended referrals includes one of them.
inline constexpr const char* open_status = "status IN ('new','acknowledged','scheduled','seen')";
inline constexpr const char* ended_status = "status IN ('closed','declined','cancelled','no-show')";

}  // namespace refnet::store::pg

namespace refnet::store::pg {

// The tables, functions and triggers of the search index, created after schema_sql.
extern const char* const search_schema_sql;

}  // namespace refnet::store::pg
