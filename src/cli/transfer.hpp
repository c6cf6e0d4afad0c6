#pragma once

// What import and export share: the columns of each entity (an export's header is exactly what an
// import reads back), and the database's redaction key.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/context.hpp"
#include "io/redact.hpp"
#include "output/sink.hpp"
#include "store/records.hpp"

namespace refnet::cli::transfer {

enum class Entity { contacts, referrals, touchpoints, events };
std::string_view to_string(Entity entity);

// Column keys in export order. Each entity's enum indexes its key list.
namespace contact_col {
enum : int {
  id,
  name,
  role,
  specialty,
  practice,
  npi,
  phone,
  email,
  city,
  source,
  event_id,
  event,
  met_at,
  tags,
  note,
  created,
  archived,
  merged_into,
  count
};
}
namespace referral_col {
enum : int {
  id,
  direction,
  contact_id,
  contact,
  contact_npi,
  patient,
  reason,
  urgency,
  status,
  referred,
  acknowledge_due,
  acknowledged,
  scheduled,
  seen,
  closed,
  declined,
  cancelled,
  no_show,
  report_due,
  decline_reason,
  note,
  created,
  count
};
}
namespace touchpoint_col {
enum : int {
  id,
  contact_id,
  contact,
  contact_npi,
  referral_id,
  state,
  via,
  due,
  done_at,
  satisfied_by,
  dismissed_at,
  origin,
  note,
  created,
  count
};
}
namespace event_col {
enum : int { id, name, kind, date, location, note, created, met, count };
}

std::span<const std::string_view> keys(Entity entity);
// The database's redaction key, made (and stored) on first need.
io::Key redaction_key(Context& ctx);
// A stable id of this database for calendar UIDs, derived from its key.
std::string database_id(Context& ctx);

}  // namespace refnet::cli::transfer
