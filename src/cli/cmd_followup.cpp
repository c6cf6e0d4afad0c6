// followup: log a touchpoint that happened, plan one, or close a plan (done, dismiss).
#include <fmt/format.h>

#include <memory>

#include "common.hpp"
#include "domain/followup.hpp"
#include "domain/vocabulary.hpp"
#include "error.hpp"

namespace refnet::cli {

namespace {

struct FollowupOptions {
  std::string contact, via = "call", referral, note, date, due;
  // Whether each was given at all: an empty --due "$WHEN" must not turn a plan into a log.
  CLI::Option *referral_given = nullptr, *date_given = nullptr, *due_given = nullptr;
};

void print_touchpoint(Context& ctx, const store::Touchpoint& t, std::string_view message) {
  if (ctx.format() == output::Format::table) {
    say(ctx, message);
  } else {
    ctx.print_record(listed_fields(record::touchpoint(), t));
  }
}

// refnet(1) followup: any touchpoint with the same contact logged after a plan was made satisfies
// it.
std::vector<store::Touchpoint> satisfy_open_plans(Context& ctx, std::int64_t touchpoint_id,
                                                  std::int64_t contact_id,
                                                  domain::Timestamp done_at) {
  auto& store = ctx.store();
  std::vector<store::Touchpoint> satisfied;
  const auto plans = store.open_plans(contact_id);
  for (const auto plan_id : domain::satisfied_by({contact_id, done_at}, plans)) {
    if (plan_id == touchpoint_id) continue;
    const auto before = snapshot(ctx, "touchpoint", plan_id);
    change_touchpoint(store, plan_id,
                      [&](store::Touchpoint& t) { t.satisfied_by = touchpoint_id; });
    record_audit(ctx, "satisfy", "touchpoint", plan_id, before);
    satisfied.push_back(*store.touchpoint(plan_id));
  }
  return satisfied;
}

std::string satisfied_text(const std::vector<store::Touchpoint>& satisfied) {
  std::string text;
  for (const auto& t : satisfied) {
    text += fmt::format("\nSatisfied planned follow-up #{} ({}, due {})", t.id, t.via,
                        domain::format_local(*t.due));
  }
  return text;
}

void run_followup(Context& ctx, const FollowupOptions& o) {
  auto& store = ctx.store();
  const auto via = domain::require_one_of(o.via, domain::vias, "--via");
  const bool planned = o.due_given->count() > 0;
  if (planned && o.date_given->count() > 0) {
    throw Error(Exit::usage, "--date (it happened) and --due (it is planned) exclude each other");
  }
  store::Store::WriteTransaction tx(store);
  const auto contact = require_contact(ctx, o.contact);
  // A merged duplicate's history lives with the contact it was merged into; a touchpoint written
  // here would not satisfy that contact's plans.
  if (contact.merged_into) {
    throw Error(
        Exit::data,
        fmt::format("{} (#{}) was merged into #{}", contact.name, contact.id, *contact.merged_into),
        fmt::format("use that contact: refnet followup {} ...", *contact.merged_into));
  }
  if (contact.archived && o.due_given->count() > 0) {
    throw Error(Exit::data,
                fmt::format("{} (#{}) is archived; follow-ups are planned with active contacts",
                            contact.name, contact.id));
  }
  store::Touchpoint t;
  t.contact_id = contact.id;
  t.via = via;
  t.note = optional_text(o.note);
  t.created = ctx.now();
  if (o.referral_given->count() > 0) {
    const auto referral = require_referral(ctx, o.referral);
    if (referral.contact_id != contact.id) {
      throw Error(Exit::data, fmt::format("referral #{} is with {}, not {}", referral.id,
                                          referral.contact_name, contact.name));
    }
    t.referral_id = referral.id;
  }
  if (planned) {
    auto due = parse_date(ctx, o.due, domain::Toward::future, "--due");
    // A named day is due by its end, so "--due friday" is not overdue on Friday morning.
    t.due = due.date_only ? domain::day_kept_whole(due.at) : due.at;
  } else {
    t.done_at = o.date_given->count() == 0
                    ? ctx.now()
                    : parse_date(ctx, o.date, domain::Toward::past, "--date").at;
    if (*t.done_at > ctx.now()) {
      throw Error(Exit::usage, "--date is in the future; a logged touchpoint has happened",
                  "plan it instead with --due");
    }
  }

  const auto id = store.add_touchpoint(t);
  record_audit(ctx, t.due ? "plan" : "followup", "touchpoint", id, std::nullopt);
  std::vector<store::Touchpoint> satisfied;
  if (t.done_at) satisfied = satisfy_open_plans(ctx, id, contact.id, *t.done_at);
  tx.commit();

  const auto written = *store.touchpoint(id);
  const auto message = t.due ? fmt::format("Planned follow-up #{} with {} ({}), due {}", id,
                                           contact.name, via, domain::format_local(*t.due))
                             : fmt::format("Logged {} #{} with {} at {}", via, id, contact.name,
                                           domain::format_local(*t.done_at)) +
                                   satisfied_text(satisfied);
  print_touchpoint(ctx, written, message);
}

// done and dismiss take an id: a CONTACT or a logging option next to them (followup ann done 3,
// followup done 3 --due friday) would otherwise be silently ignored.
void refuse_followup_options(const CLI::App& followup, std::string_view verb) {
  for (const CLI::Option* option : followup.get_options()) {
    if (option->count() > 0 && option->get_name() != "--help") {
      throw Error(
          Exit::usage,
          fmt::format("followup {} takes a follow-up ID only, not {}", verb, option->get_name()),
          fmt::format("refnet followup {} ID", verb));
    }
  }
}

store::Touchpoint require_open_plan(Context& ctx, const std::string& which) {
  const auto id = parse_id(which, "follow-up id");
  auto t = ctx.store().touchpoint(id);
  if (!t) {
    throw Error(Exit::data, fmt::format("no follow-up #{}", id),
                "list planned ones with: refnet list followups --open");
  }
  if (!t->due || t->state() != "planned") {
    throw Error(Exit::data,
                fmt::format("follow-up #{} is not an open plan (it is {})", id, t->state()),
                "list planned ones with: refnet list followups --open");
  }
  return *t;
}

}  // namespace

void wire_followup(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<FollowupOptions>();
  sub.add_option("CONTACT", o->contact, "Id, NPI or part of the name");
  sub.add_option("--via", o->via,
                 fmt::format("How: {} (default call)", domain::one_of_text(domain::vias)))
      ->type_name("VIA");
  o->referral_given =
      sub.add_option("--referral", o->referral, "The referral it concerns")->type_name("ID");
  sub.add_option("--note", o->note, "What was said or is to be said");
  o->date_given =
      sub.add_option("--date", o->date, "When it happened (default now)")->type_name("DATE");
  o->due_given =
      sub.add_option("--due", o->due,
                     "Plan it instead: when it is due (e.g. friday, tomorrow 9am, in 3 days)")
          ->type_name("WHEN");
  sub.require_subcommand(0, 1);
  set_example(sub,
              "refnet followup \"Ann Lee\" --via call --note \"thanked for referral\"\n"
              "  refnet followup \"Ann Lee\" --due friday --via visit");

  auto* done = sub.add_subcommand("done", "Mark a planned follow-up as done");
  auto done_id = std::make_shared<std::string>();
  auto done_date = std::make_shared<std::string>();
  done->add_option("ID", *done_id, "The planned follow-up")->required();
  auto* done_date_given =
      done->add_option("--date", *done_date, "When it was done (default now)")->type_name("DATE");
  set_example(*done, "refnet followup done 17");
  done->callback([=, &sub, &ctx] {
    refuse_followup_options(sub, "done");
    auto& store = ctx.store();
    store::Store::WriteTransaction tx(store);
    const auto plan = require_open_plan(ctx, *done_id);
    const auto at = done_date_given->count() == 0
                        ? ctx.now()
                        : parse_date(ctx, *done_date, domain::Toward::past, "--date").at;
    if (at > ctx.now()) {
      throw Error(Exit::usage, "--date is in the future; a follow-up is done once it has happened",
                  "move the plan instead: dismiss it and plan another with --due");
    }
    const auto before = snapshot(ctx, "touchpoint", plan.id);
    change_touchpoint(store, plan.id, [&](store::Touchpoint& t) { t.done_at = at; });
    record_audit(ctx, "done", "touchpoint", plan.id, before);
    const auto satisfied = satisfy_open_plans(ctx, plan.id, plan.contact_id, at);
    tx.commit();
    print_touchpoint(ctx, *store.touchpoint(plan.id),
                     fmt::format("Follow-up #{} with {} done", plan.id, plan.contact_name) +
                         satisfied_text(satisfied));
  });

  auto* dismiss = sub.add_subcommand("dismiss", "Drop a planned follow-up without doing it");
  auto dismiss_id = std::make_shared<std::string>();
  dismiss->add_option("ID", *dismiss_id, "The planned follow-up")->required();
  set_example(*dismiss, "refnet followup dismiss 17");
  dismiss->callback([=, &sub, &ctx] {
    refuse_followup_options(sub, "dismiss");
    auto& store = ctx.store();
    store::Store::WriteTransaction tx(store);
    const auto plan = require_open_plan(ctx, *dismiss_id);
    const auto before = snapshot(ctx, "touchpoint", plan.id);
    change_touchpoint(store, plan.id, [&](store::Touchpoint& t) { t.dismissed_at = ctx.now(); });
    record_audit(ctx, "dismiss", "touchpoint", plan.id, before);
    tx.commit();
    print_touchpoint(ctx, *store.touchpoint(plan.id),
                     fmt::format("Dismissed follow-up #{} with {}", plan.id, plan.contact_name));
  });

  sub.callback([o, &sub, &ctx] {
    if (!sub.get_subcommands().empty()) return;
    if (o->contact.empty()) {
      throw Error(Exit::usage, "followup needs a CONTACT, or done/dismiss and an id",
                  "see: refnet followup --help");
    }
    run_followup(ctx, *o);
  });
}

}  // namespace refnet::cli
