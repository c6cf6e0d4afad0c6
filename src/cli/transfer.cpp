#include "transfer.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "common.hpp"
#include "error.hpp"

namespace refnet::cli::transfer {

namespace {

constexpr std::array<std::string_view, contact_col::count> contact_keys{
    "id",     "name",  "role", "specialty", "practice", "npi",
    "phone",  "email", "city", "source",    "event_id", "event",
    "met_at", "tags",  "note", "created",   "archived", "merged_into"};
constexpr std::array<std::string_view, referral_col::count> referral_keys{
    "id",         "direction",      "contact_id", "contact",  "contact_npi",     "patient",
    "reason",     "urgency",        "status",     "referred", "acknowledge_due", "acknowledged",
    "scheduled",  "seen",           "closed",     "declined", "cancelled",       "no_show",
    "report_due", "decline_reason", "note",       "created"};
constexpr std::array<std::string_view, touchpoint_col::count> touchpoint_keys{
    "id",  "contact_id", "contact",      "contact_npi",  "referral_id", "state", "via",
    "due", "done_at",    "satisfied_by", "dismissed_at", "origin",      "note",  "created"};
constexpr std::array<std::string_view, event_col::count> event_keys{
    "id", "name", "kind", "date", "location", "note", "created", "met"};

}  // namespace

std::string_view to_string(Entity entity) {
  switch (entity) {
    case Entity::contacts:
      return "contacts";
    case Entity::referrals:
      return "referrals";
    case Entity::touchpoints:
      return "touchpoints";
    case Entity::events:
      return "events";
  }
  return "contacts";
}

std::span<const std::string_view> keys(Entity entity) {
  switch (entity) {
    case Entity::contacts:
      return contact_keys;
    case Entity::referrals:
      return referral_keys;
    case Entity::touchpoints:
      return touchpoint_keys;
    case Entity::events:
      return event_keys;
  }
  return contact_keys;
}

io::Key redaction_key(Context& ctx) {
  auto& store = ctx.store();
  auto stored = store.secret("redaction");
  if (!stored) {
    const auto fresh = io::new_key();
    store::Store::WriteTransaction tx(store);
    // Another refnet may have stored one meanwhile: INSERT OR IGNORE keeps the first.
    store.add_secret("redaction", std::vector<unsigned char>(fresh.begin(), fresh.end()),
                     ctx.now());
    tx.commit();
    stored = store.secret("redaction");
  }
  if (!stored || stored->size() != io::key_size) {
    throw Error(Exit::io, "the database's redaction key is damaged",
                "check it with: refnet db check");
  }
  io::Key key{};
  std::copy(stored->begin(), stored->end(), key.begin());
  return key;
}

std::string database_id(Context& ctx) {
  return io::derived_id(redaction_key(ctx), "calendar", 16);
}

}  // namespace refnet::cli::transfer
