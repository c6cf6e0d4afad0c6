// export contacts|referrals|touchpoints|events: every stored field, streamed from the store, in
// csv/tsv/json (what `refnet import` reads back), vCard for contacts, iCalendar for planned
// follow-ups.
#include <fmt/format.h>

#include <memory>
#include <unordered_map>

#include "common.hpp"
#include "error.hpp"
#include "io/private_file.hpp"
#include "io/redact.hpp"
#include "output/ics.hpp"
#include "output/vcard.hpp"
#include "transfer.hpp"

namespace refnet::cli {

namespace {

using transfer::Entity;

struct ExportOptions {
  std::string vcard = "4.0";
  std::string ics;  // event (when empty) | todo
};

// An export is data, not a view: without --format it is csv, unless the config asks for another
// machine format.
output::Format export_format(Context& ctx) {
  if (!ctx.global.format.empty()) return ctx.format();
  const auto configured = output::parse_format(ctx.config().output_format);
  if (!configured || *configured == output::Format::table) return output::Format::csv;
  return *configured;
}

// The exported fields of every record of `description`, as `each` reads them.
template <class R>
void export_records(output::RowSink& sink, const record::Description<R>& description,
                    const std::function<void(const std::function<void(const R&)>&)>& each,
                    const std::function<std::string(std::string_view)>& redact = {}) {
  sink.begin(description.columns(record::exported));
  each([&](const R& r) { sink.row(description.cells(r, record::exported, redact)); });
  sink.end();
}

void export_rows(Context& ctx, Entity entity) {
  auto& store = ctx.store();
  auto sink = output::make_sink(export_format(ctx), ctx.out, ctx.output_options());
  switch (entity) {
    case Entity::contacts: {
      store::ContactFilter filter;
      filter.include_archived = true;
      export_records<store::Contact>(*sink, record::contact(), [&](const auto& fn) {
        store.each_contact(filter, [&](const store::Contact& c) {
          auto with_events = c;
          with_events.met_at = store.contact_event_ids(c.id);
          fn(with_events);
        });
      });
      break;
    }
    case Entity::referrals:
      export_records<store::Referral>(
          *sink, record::referral(), [&](const auto& fn) { store.each_referral({}, fn); },
          patient_redactor(ctx));
      break;
    case Entity::touchpoints:
      export_records<store::Touchpoint>(*sink, record::touchpoint(),
                                        [&](const auto& fn) { store.each_touchpoint({}, fn); });
      break;
    case Entity::events:
      export_records<store::Event>(*sink, record::event(),
                                   [&](const auto& fn) { store.each_event({}, fn); });
      break;
  }
}

void export_vcards(Context& ctx, const ExportOptions& o) {
  auto& out = ctx.out;
  output::VcardVersion version = output::VcardVersion::v4;
  if (o.vcard == "3.0" || o.vcard == "3") {
    version = output::VcardVersion::v3;
  } else if (o.vcard != "4.0" && o.vcard != "4") {
    throw Error(Exit::usage, fmt::format("invalid --vcard '{}'", o.vcard), "use 4.0 or 3.0");
  }
  auto& store = ctx.store();
  const auto id = transfer::database_id(ctx);
  output::VcardWriter writer(out, version);
  // Archived contacts are history, not someone to call: an address book gets the active ones.
  store.each_contact({}, [&](const store::Contact& c) {
    output::VcardContact card;
    card.uid = fmt::format("urn:refnet:{}:contact:{}", id, c.id);
    for (auto& [property, value] : record::contact().vcard_values(c)) {
      card.set(property, std::move(value));
    }
    writer.write(card);
  });
  out.flush();
}

std::string followup_summary(const store::Touchpoint& t) {
  static const std::unordered_map<std::string, std::string> verbs{
      {"call", "Call"},       {"email", "Email"},
      {"visit", "Visit"},     {"video", "Video call with"},
      {"meeting", "Meet"},    {"linkedin", "LinkedIn message to"},
      {"letter", "Write to"}, {"update", "Send an update to"}};
  const auto it = verbs.find(t.via);
  return fmt::format("{} {}", it == verbs.end() ? "Follow up with" : it->second, t.contact_name);
}

void export_calendar(Context& ctx, const ExportOptions& o) {
  auto& out = ctx.out;
  auto& store = ctx.store();
  const auto id = transfer::database_id(ctx);
  const auto component =
      o.ics == "todo" ? output::CalendarComponent::todo : output::CalendarComponent::event;
  output::IcsWriter writer(out, ctx.now(), component);
  writer.begin();
  store::TouchpointFilter filter;
  filter.planned_only = true;
  // Closed plans stay a while, so a calendar that imported them drops them (or ticks them off).
  filter.plans_closed_since = domain::add_duration(
      ctx.now(), {-ctx.config().ics_keep_closed.count, ctx.config().ics_keep_closed.unit},
      ctx.sla().calendar);
  store.each_touchpoint(filter, [&](const store::Touchpoint& t) {
    output::CalendarEvent event;
    event.uid = fmt::format("followup-{}@{}.refnet", t.id, id);
    event.start = *t.due;
    event.all_day = domain::names_a_day(*t.due);
    if (t.dismissed_at) {
      event.status = output::CalendarStatus::dismissed;
      event.closed = t.dismissed_at;
    } else if (t.done_at || t.satisfied_by) {
      event.status = output::CalendarStatus::done;
      event.closed = t.done_at;
    }
    event.summary = followup_summary(t);
    std::string description = t.note.value_or("");
    if (t.referral_id)
      description += fmt::format("{}Referral #{}", description.empty() ? "" : "\n", *t.referral_id);
    description += fmt::format("{}refnet follow-up #{}", description.empty() ? "" : "\n", t.id);
    event.description = description;
    writer.write(event);
  });
  // Appointments are events too. A calendar shows the referral and the contact, never the
  // patient; a referral cancelled or declined after its booking is written cancelled, and one
  // whose appointment is older than export.ics_keep_closed and no longer scheduled is left out.
  store::ReferralFilter booked;
  booked.appointments_since = filter.plans_closed_since;
  store.each_referral(booked, [&](const store::Referral& r) {
    output::CalendarEvent event;
    event.uid = fmt::format("appointment-{}@{}.refnet", r.id, id);
    event.start = *r.appointment;
    event.all_day = domain::names_a_day(*r.appointment);
    event.summary =
        fmt::format("Appointment: referral #{} {} {}", r.id,
                    r.direction == domain::Direction::in ? "from" : "to", r.contact_name);
    event.description = fmt::format("refnet referral #{}", r.id);
    if (r.status == domain::Status::cancelled || r.status == domain::Status::declined) {
      event.status = output::CalendarStatus::dismissed;
      event.closed = r.status == domain::Status::cancelled ? r.cancelled : r.declined;
    } else if (r.status != domain::Status::scheduled &&
               component == output::CalendarComponent::todo) {
      // A visit that took place stays in a calendar as it was; a task app ticks it off.
      event.status = output::CalendarStatus::done;
      event.closed = r.seen ? r.seen : r.no_show;
    }
    writer.write(event);
  });
  writer.end();
}

void run_export(Context& ctx, Entity entity, const ExportOptions& o) {
  const auto format = export_format(ctx);
  if (format == output::Format::vcf && entity != Entity::contacts) {
    throw Error(Exit::usage, "--format vcf is for contacts only",
                "refnet export contacts --format vcf");
  }
  if (format == output::Format::ics && entity != Entity::touchpoints) {
    throw Error(Exit::usage, "--format ics is for planned follow-ups only",
                "refnet export touchpoints --format ics");
  }
  if (!o.ics.empty() && format != output::Format::ics) {
    throw Error(Exit::usage, "--ics goes with --format ics",
                "refnet export touchpoints --format ics --ics todo");
  }
  // -o FILE: ctx.out is a private file, replaced whole once the export is complete.
  if (format == output::Format::vcf) {
    export_vcards(ctx, o);
  } else if (format == output::Format::ics) {
    export_calendar(ctx, o);
  } else {
    export_rows(ctx, entity);
  }
}

}  // namespace

void wire_export(CLI::App& sub, Context& ctx) {
  sub.require_subcommand(1);
  auto o = std::make_shared<ExportOptions>();
  set_example(sub, "refnet export referrals --format csv --redact -o referrals.csv");
  struct Target {
    Entity entity;
    const char* description;
    const char* example;
  };
  const Target targets[] = {
      {Entity::contacts, "Every contact, archived ones too (vCard: the active ones)",
       "refnet export contacts --format vcf -o contacts.vcf"},
      {Entity::referrals, "Every referral with every status stamp",
       "refnet export referrals --redact --format json"},
      {Entity::touchpoints, "Every touchpoint, logged and planned (ics: planned ones still open)",
       "refnet export touchpoints --format ics --output followups.ics"},
      {Entity::events, "Every event", "refnet export events --format csv"},
  };
  for (const auto& target : targets) {
    auto* cmd =
        sub.add_subcommand(std::string(transfer::to_string(target.entity)), target.description);
    if (target.entity == Entity::touchpoints) cmd->alias("followups");
    // --redact is accepted by every export, so a script can pass it to each; only referrals
    // hold patient references.
    add_output_options(*cmd, ctx, true);
    if (target.entity == Entity::contacts) {
      cmd->add_option("--vcard", o->vcard, "vCard version with --format vcf: 4.0 (default) or 3.0")
          ->type_name("VERSION");
    }
    if (target.entity == Entity::touchpoints) {
      cmd->add_option("--ics", o->ics,
                      "With --format ics: event (calendar events, the default) or todo (tasks)")
          ->type_name("KIND")
          ->check(CLI::IsMember({"event", "todo"}));
    }
    set_example(*cmd, target.example);
    const Entity entity = target.entity;
    cmd->callback([entity, o, &ctx] { run_export(ctx, entity, *o); });
  }
}

}  // namespace refnet::cli
