// log: the audit trail, oldest first.
#include <fmt/format.h>

#include <memory>

#include "common.hpp"
#include "error.hpp"
#include "output/json_writer.hpp"

namespace refnet::cli {

namespace {

using Redact = std::function<std::string(std::string_view)>;

// The audit snapshots' member that holds a patient reference (a referral's).
constexpr std::string_view patient_key = "patient";

// A snapshot as raw JSON, its patient reference pseudonymised when `redact` is given. One that
// cannot be read as a flat object is left out rather than shown unredacted.
output::Cell snapshot_cell(const store::Text& json, const Redact& redact) {
  if (!json) return std::monostate{};
  if (!redact) return output::RawJson{*json};
  if (auto redacted = output::with_member_replaced(*json, patient_key, redact)) {
    return output::RawJson{std::move(*redacted)};
  }
  return std::monostate{};
}

}  // namespace

void wire_log(CLI::App& sub, Context& ctx) {
  auto since = std::make_shared<std::string>();
  auto contact = std::make_shared<std::string>();
  auto referral = std::make_shared<std::string>();
  sub.add_option("--since", *since, "Only changes on or after this date")->type_name("DATE");
  auto* c = sub.add_option("--contact", *contact,
                           "Only changes concerning this contact: it, its referrals and "
                           "touchpoints, the events where it was met")
                ->type_name("CONTACT");
  auto* r = sub.add_option("--referral", *referral,
                           "Only changes concerning this referral: it and its touchpoints")
                ->type_name("ID");
  c->excludes(r);
  add_output_options(sub, ctx, true);
  set_example(sub, "refnet log --since yesterday");
  sub.callback([=, &ctx] {
    std::optional<domain::Timestamp> from;
    if (!since->empty()) from = parse_since(ctx, *since);
    std::optional<std::int64_t> id;
    store::Text entity;
    if (!contact->empty()) {
      id = resolve_contact(ctx, *contact);
      entity = "contact";
    }
    if (!referral->empty()) {
      // A voided referral's history is still in the trail.
      const auto asked = parse_id(*referral, "referral id");
      id = ctx.store().voided("referral", asked) ? asked : require_referral(ctx, *referral).id;
      entity = "referral";
    }
    const std::vector<output::Column> columns{{"id", "ID", true},
                                              {"change_set", "Change", true},
                                              {"at", "When"},
                                              {"actor", "Who"},
                                              {"action", "Action"},
                                              {"entity", "Entity"},
                                              {"entity_id", "Entity ID", true},
                                              output::free_text({"changes", "Changes"}),
                                              {"old", "Old", false, output::Tone::plain, false},
                                              {"new", "New", false, output::Tone::plain, false}};
    const auto redact = patient_redactor(ctx);
    auto sink = ctx.sink();
    sink->begin(columns);
    ctx.store().each_audit(from, id, entity, [&](const store::AuditEntry& a) {
      sink->row(std::vector<output::Cell>{a.id, a.change_set, a.at, a.actor, a.action, a.entity,
                                          a.entity_id, audit_changes(a, redact),
                                          snapshot_cell(a.old_json, redact),
                                          snapshot_cell(a.new_json, redact)});
    });
    sink->end();
  });
}

}  // namespace refnet::cli
