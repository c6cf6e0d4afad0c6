// The search index of a refnet database on PostgreSQL (README "Search").
#include "store/postgres/schema.hpp"

namespace refnet::store::pg {

const char* const search_schema_sql = "";

}  // namespace refnet::store::pg
