// log: the audit trail, oldest first.
#include <fmt/format.h>

#include <memory>

#include "common.hpp"
#include "error.hpp"

namespace refnet::cli {

namespace {

std::string changes_text(const store::AuditEntry& a) {
  if (!a.old_json) return "created";
  std::string text;
  for (const auto& c : a.changes) {
    if (!text.empty()) text += "; ";
    text +=
        fmt::format("{}: {} → {}", c.field, c.old_value.value_or("∅"), c.new_value.value_or("∅"));
  }
  return text.empty() ? "no change" : text;
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
      id = require_referral(ctx, *referral).id;
      entity = "referral";
    }
    const std::vector<output::Column> columns{{"id", "ID", true},
                                              {"at", "When"},
                                              {"actor", "Who"},
                                              {"action", "Action"},
                                              {"entity", "Entity"},
                                              {"entity_id", "Entity ID", true},
                                              {"changes", "Changes"},
                                              {"old", "Old", false, output::Tone::plain, false},
                                              {"new", "New", false, output::Tone::plain, false}};
    auto sink = ctx.sink();
    sink->begin(columns);
    auto json = [](const store::Text& t) -> output::Cell {
      if (t) return output::RawJson{*t};
      return std::monostate{};
    };
    ctx.store().each_audit(from, id, entity, [&](const store::AuditEntry& a) {
      sink->row(std::vector<output::Cell>{a.id, a.at, a.actor, a.action, a.entity, a.entity_id,
                                          changes_text(a), json(a.old_json), json(a.new_json)});
    });
    sink->end();
  });
}

}  // namespace refnet::cli
