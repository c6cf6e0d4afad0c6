#pragma once

#include <vector>

namespace refnet::store {

struct Migration {
  int version;              // PRAGMA user_version after it ran
  const char* description;
  const char* sql;
};

// Every migration in order; the last one's version is the current schema.
const std::vector<Migration>& migrations();

}  // namespace refnet::store
