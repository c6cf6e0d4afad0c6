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

// The id columns read better right-aligned in a table.
bool is_number_column(std::string_view key) {
  return key == "id" || key.ends_with("_id") || key == "merged_into" || key == "satisfied_by" ||
         key == "met";
}

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

std::vector<output::Column> columns(Entity entity) {
  std::vector<output::Column> out;
  for (const auto key : keys(entity)) {
    output::Column column;
    column.key = std::string(key);
    column.right_align = is_number_column(key);
    out.push_back(std::move(column));
  }
  return out;
}

std::string join_ids(const std::vector<std::int64_t>& ids) {
  std::string out;
  for (const auto id : ids) out += fmt::format("{}{}", out.empty() ? "" : ",", id);
  return out;
}

std::vector<output::Cell> contact_cells(const store::Contact& c,
                                        const std::vector<std::int64_t>& met_at) {
  std::string tags;
  for (const auto& t : c.tags) tags += (tags.empty() ? "" : ",") + t;
  return {c.id,
          c.name,
          c.role,
          cell(c.specialty),
          cell(c.practice),
          cell(c.npi),
          cell(c.phone),
          cell(c.email),
          cell(c.city),
          cell(c.source),
          cell(c.event_id),
          cell(c.event_name),
          met_at.empty() ? output::Cell{} : output::Cell{join_ids(met_at)},
          tags.empty() ? output::Cell{} : output::Cell{tags},
          cell(c.note),
          c.created,
          cell(c.archived),
          cell(c.merged_into)};
}

std::vector<output::Cell> referral_cells(const store::Referral& r, const std::string& patient) {
  return {r.id,
          std::string(domain::to_string(r.direction)),
          r.contact_id,
          r.contact_name,
          cell(r.contact_npi),
          patient,
          cell(r.reason),
          std::string(domain::to_string(r.urgency)),
          std::string(domain::to_string(r.status)),
          r.referred,
          r.acknowledge_due,
          cell(r.acknowledged),
          cell(r.scheduled),
          cell(r.seen),
          cell(r.closed),
          cell(r.declined),
          cell(r.cancelled),
          cell(r.no_show),
          cell(r.report_due),
          cell(r.decline_reason),
          cell(r.note),
          r.created};
}

std::vector<output::Cell> touchpoint_cells(const store::Touchpoint& t) {
  return {t.id,
          t.contact_id,
          t.contact_name,
          cell(t.contact_npi),
          cell(t.referral_id),
          t.state(),
          t.via,
          cell(t.due),
          cell(t.done_at),
          cell(t.satisfied_by),
          cell(t.dismissed_at),
          t.origin,
          cell(t.note),
          t.created};
}

std::vector<output::Cell> event_cells(const store::Event& e) {
  return {e.id,         e.name,    e.kind,     output::DateCell{e.date}, cell(e.location),
          cell(e.note), e.created, e.met_count};
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
