// export contacts|referrals|touchpoints|events: every stored field, streamed from the store, in
// csv/tsv/json (what `refnet import` reads back), vCard for contacts, iCalendar for planned
// follow-ups.
#include <fmt/format.h>

#include <memory>
#include <unordered_map>

#include "common.hpp"
#include "refnet/error.hpp"
#include "refnet/io/redact.hpp"
#include "refnet/output/ics.hpp"
#include "refnet/output/vcard.hpp"
#include "transfer.hpp"

namespace refnet::cli {

namespace {

using transfer::Entity;

struct ExportOptions {
  bool redact = false;
  std::string vcard = "4.0";
};

// An export is data, not a view: without --format it is csv, unless the config asks for another
// machine format.
output::Format export_format(Context& ctx) {
  if (!ctx.global.format.empty()) return ctx.format();
  const auto configured = output::parse_format(ctx.config().output_format);
  if (!configured || *configured == output::Format::table) return output::Format::csv;
  return *configured;
}

void export_rows(Context& ctx, Entity entity, const ExportOptions& o) {
  auto& store = ctx.store();
  const auto columns = transfer::columns(entity);
  auto options = ctx.output_options();
  auto sink = output::make_sink(export_format(ctx), ctx.out, options);
  sink->begin(columns);
  switch (entity) {
    case Entity::contacts: {
      store::ContactFilter filter;
      filter.include_archived = true;
      store.each_contact(filter, [&](const store::Contact& c) {
        sink->row(transfer::contact_cells(c, store.contact_event_ids(c.id)));
      });
      break;
    }
    case Entity::referrals: {
      std::optional<io::Key> key;
      if (o.redact) key = transfer::redaction_key(ctx);
      store.each_referral({}, [&](const store::Referral& r) {
        sink->row(transfer::referral_cells(r, key ? io::pseudonym(*key, r.patient) : r.patient));
      });
      break;
    }
    case Entity::touchpoints:
      store.each_touchpoint({}, [&](const store::Touchpoint& t) {
        sink->row(transfer::touchpoint_cells(t));
      });
      break;
    case Entity::events:
      store.each_event({}, [&](const store::Event& e) { sink->row(transfer::event_cells(e)); });
      break;
  }
  sink->end();
}

void export_vcards(Context& ctx, const ExportOptions& o) {
  output::VcardVersion version = output::VcardVersion::v4;
  if (o.vcard == "3.0" || o.vcard == "3") {
    version = output::VcardVersion::v3;
  } else if (o.vcard != "4.0" && o.vcard != "4") {
    throw Error(Exit::usage, fmt::format("invalid --vcard '{}'", o.vcard), "use 4.0 or 3.0");
  }
  auto& store = ctx.store();
  const auto id = transfer::database_id(ctx);
  output::VcardWriter writer(ctx.out, version);
  // Archived contacts are history, not someone to call: an address book gets the active ones.
  store.each_contact({}, [&](const store::Contact& c) {
    output::VcardContact card;
    card.uid = fmt::format("urn:refnet:{}:contact:{}", id, c.id);
    card.name = c.name;
    card.role = c.role;
    card.specialty = c.specialty;
    card.practice = c.practice;
    card.npi = c.npi;
    card.phone = c.phone;
    card.email = c.email;
    card.city = c.city;
    card.source = c.source;
    card.note = c.note;
    card.tags = c.tags;
    writer.write(card);
  });
  ctx.out.flush();
}

std::string followup_summary(const store::Touchpoint& t) {
  static const std::unordered_map<std::string, std::string> verbs{
      {"call", "Call"},       {"email", "Email"},       {"visit", "Visit"},
      {"video", "Video call with"}, {"meeting", "Meet"}, {"linkedin", "LinkedIn message to"},
      {"letter", "Write to"}, {"update", "Send an update to"}};
  const auto it = verbs.find(t.via);
  return fmt::format("{} {}", it == verbs.end() ? "Follow up with" : it->second, t.contact_name);
}

void export_calendar(Context& ctx) {
  auto& store = ctx.store();
  const auto id = transfer::database_id(ctx);
  output::IcsWriter writer(ctx.out, ctx.now());
  writer.begin();
  store::TouchpointFilter filter;
  filter.planned_only = true;
  store.each_touchpoint(filter, [&](const store::Touchpoint& t) {
    output::CalendarEvent event;
    event.uid = fmt::format("followup-{}@{}.refnet", t.id, id);
    event.start = *t.due;
    event.summary = followup_summary(t);
    std::string description = t.note.value_or("");
    if (t.referral_id) description += fmt::format("{}Referral #{}", description.empty() ? "" : "\n", *t.referral_id);
    description += fmt::format("{}refnet follow-up #{}", description.empty() ? "" : "\n", t.id);
    event.description = description;
    writer.write(event);
  });
  writer.end();
}

void run_export(Context& ctx, Entity entity, const ExportOptions& o) {
  const auto format = export_format(ctx);
  if (format == output::Format::vcf) {
    if (entity != Entity::contacts) {
      throw Error(Exit::usage, "--format vcf is for contacts only",
                  "refnet export contacts --format vcf");
    }
    export_vcards(ctx, o);
    return;
  }
  if (format == output::Format::ics) {
    if (entity != Entity::touchpoints) {
      throw Error(Exit::usage, "--format ics is for planned follow-ups only",
                  "refnet export touchpoints --format ics");
    }
    export_calendar(ctx);
    return;
  }
  export_rows(ctx, entity, o);
}

}  // namespace

void wire_export(CLI::App& sub, Context& ctx) {
  sub.require_subcommand(1);
  auto o = std::make_shared<ExportOptions>();
  set_example(sub, "refnet export referrals --format csv --redact > referrals.csv");
  struct Target {
    Entity entity;
    const char* description;
    const char* example;
  };
  const Target targets[] = {
      {Entity::contacts, "Every contact, archived ones too (vCard: the active ones)",
       "refnet export contacts --format vcf > contacts.vcf"},
      {Entity::referrals, "Every referral with every status stamp",
       "refnet export referrals --redact --format json"},
      {Entity::touchpoints, "Every touchpoint, logged and planned (ics: planned ones still open)",
       "refnet export touchpoints --format ics > followups.ics"},
      {Entity::events, "Every event", "refnet export events --format csv"},
  };
  for (const auto& target : targets) {
    auto* cmd = sub.add_subcommand(std::string(transfer::to_string(target.entity)), target.description);
    if (target.entity == Entity::touchpoints) cmd->alias("followups");
    if (target.entity == Entity::referrals) {
      cmd->add_flag("--redact", o->redact,
                    "Replace patient references with stable keyed pseudonyms (P-…)");
    } else {
      // Accepted everywhere, so a script can pass it to every export; only referrals hold patients.
      cmd->add_flag("--redact", o->redact, "Accepted for symmetry; only referrals hold patient references");
    }
    if (target.entity == Entity::contacts) {
      cmd->add_option("--vcard", o->vcard, "vCard version with --format vcf: 4.0 (default) or 3.0")
          ->type_name("VERSION");
    }
    set_example(*cmd, target.example);
    const Entity entity = target.entity;
    cmd->callback([entity, o, &ctx] { run_export(ctx, entity, *o); });
  }
}

}  // namespace refnet::cli
