// event: record an event and who was met there.
#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "common.hpp"
#include "domain/sla.hpp"
#include "domain/vocabulary.hpp"
#include "error.hpp"
#include "text/text.hpp"

namespace refnet::cli {

namespace {

struct EventOptions {
  std::string name, kind, date, location, note;
  std::vector<std::string> met;
};

void run_event(Context& ctx, const EventOptions& o) {
  auto& store = ctx.store();
  store::Event e;
  // Trimmed, so that `add --event NAME` finds it by the name the user sees.
  const auto name = text::trimmed_or_none(o.name);
  if (!name) throw Error(Exit::usage, "an event needs a name");
  e.name = *name;
  e.kind = domain::require_one_of(o.kind, domain::event_kinds, "--kind");
  const auto date = parse_date(ctx, o.date, domain::Toward::past, "--date");
  e.date = domain::format_local_date(date.at);
  e.location = optional_text(o.location);
  e.note = optional_text(o.note);
  e.created = ctx.now();
  store::Store::WriteTransaction tx(store);
  // The same name on the same day is the same event, as import judges it: a second one would
  // make the name ambiguous wherever it is typed.
  if (const auto same = store.find_event(e.name, e.date)) {
    throw Error(Exit::data, fmt::format("event #{} is already {} on {}", *same, e.name, e.date),
                "list it with: refnet list events; a contact met there is added with: refnet "
                "edit CONTACT --event ID");
  }
  std::vector<store::Contact> met;
  for (const auto& who : o.met) {
    auto contact = require_contact(ctx, who);
    if (contact.merged_into) {
      throw Error(Exit::data,
                  fmt::format("{} (#{}) was merged into #{}", contact.name, contact.id,
                              *contact.merged_into),
                  fmt::format("use that contact: --met {}", *contact.merged_into));
    }
    if (std::none_of(met.begin(), met.end(), [&](const auto& m) { return m.id == contact.id; })) {
      met.push_back(std::move(contact));
    }
  }

  const auto id = store.add_event(e);
  for (const auto& contact : met) store.add_event_contact(id, contact.id);
  record_audit(ctx, "event", "event", id, std::nullopt);
  // refnet(1) "Service levels": meeting a contact plans a circle-back follow-up. An event recorded
  // after the fact counts from now, so it is not overdue the moment it is written.
  const auto met_at = std::max(domain::local_midnight(domain::local_date(date.at)), ctx.now());
  int planned = 0;
  for (const auto& contact : met) {
    if (contact.archived || !store.open_plans(contact.id).empty()) continue;
    plan_followup(ctx, contact.id, std::nullopt, fmt::format("circle back after {}", e.name),
                  domain::followup_after_meeting_due(met_at, ctx.sla()),
                  store::origin_after_meeting);
    ++planned;
  }
  tx.commit();

  const auto written = *store.event(id);
  if (ctx.format() == output::Format::table) {
    std::string message = fmt::format("Recorded event #{} {} ({}, {})", id, e.name, e.kind, e.date);
    if (!met.empty()) {
      message += fmt::format("; met {} contact{}", met.size(), met.size() == 1 ? "" : "s");
    }
    if (planned > 0) {
      message += fmt::format("; {} follow-up{} planned", planned, planned == 1 ? "" : "s");
    }
    say(ctx, message);
  } else {
    ctx.print_record(listed_fields(record::event(), written));
  }
}

}  // namespace

void wire_event(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<EventOptions>();
  sub.add_option("NAME", o->name, "The event's name")->required();
  sub.add_option("--kind", o->kind,
                 fmt::format("Kind: {}", domain::one_of_text(domain::event_kinds)))
      ->required()
      ->type_name("KIND");
  sub.add_option("--date", o->date, "When it took place")->required()->type_name("DATE");
  sub.add_option("--location", o->location, "Where");
  sub.add_option("--met", o->met, "A contact met there (repeat for more)")->type_name("CONTACT");
  sub.add_option("--note", o->note, "A free-text note");
  set_example(sub,
              "refnet event \"ACC Cardiology Update\" --kind cme --date 2026-10-14"
              " --location Boston --met \"Ann Lee\" --met 12");
  sub.callback([o, &ctx] { run_event(ctx, *o); });
}

}  // namespace refnet::cli
