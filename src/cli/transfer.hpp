// What import and export share: the entities they move, and the database's redaction key.
#pragma once

#include <string>
#include <string_view>

#include "cli/context.hpp"
#include "io/redact.hpp"

namespace refnet::cli::transfer {

enum class Entity { contacts, referrals, touchpoints, events };
std::string_view to_string(Entity entity);

// The database's redaction key, made (and stored) on first need.
io::Key redaction_key(Context& ctx);
// A stable id of this database for calendar UIDs, derived from its key.
std::string database_id(Context& ctx);

}  // namespace refnet::cli::transfer
