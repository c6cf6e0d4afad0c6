// What the summary shares with the overdue list on PostgreSQL: which planned follow-ups are open.
#pragma once

#include <string>
#include <string_view>

namespace refnet::store::pg {

// A query counting the planned follow-ups `t` open at as-of (the parameter `at`, e.g. "?3") that
// also meet `due_condition`: at the present off the index of open plans, else as they stood then
// (see overdue.cpp).
std::string open_plans_sql(bool at_present, std::string_view at, std::string_view due_condition);

}  // namespace refnet::store::pg
