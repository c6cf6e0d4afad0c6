// Internal to the store: how every connection to a database is opened.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>
#include <string>

namespace refnet::store::detail {

// A connection to `name` with SQLiteCpp's open `flags`, used from one thread at a time.
std::unique_ptr<SQLite::Database> connect(const std::string& name, int flags);

}  // namespace refnet::store::detail
