// void: a referral, touchpoint or event recorded in error taken out of everything (refnet(1) void).
#include <fmt/format.h>

#include <memory>

#include "common.hpp"
#include "error.hpp"
#include "text/text.hpp"

namespace refnet::cli {

namespace {

struct VoidOptions {
  std::string referral, touchpoint, event, reason;
};

std::string void_touchpoint(Context& ctx, std::int64_t id, std::string_view reason) {
  const auto before = snapshot(ctx, "touchpoint", id);
  ctx.store().void_record("touchpoint", id, reason, ctx.now());
  record_audit(ctx, "void", "touchpoint", id, before, reason);
  return fmt::format("follow-up #{}", id);
}

// A referral, with the thank-you planned after it when that is still open: a follow-up for a
// referral that never was. Its other touchpoints happened, and stay (no longer about it).
std::string void_referral(Context& ctx, const std::string& which, const std::string& reason) {
  auto& store = ctx.store();
  const auto referral = require_referral(ctx, which);
  std::vector<std::string> with;
  store::TouchpointFilter filter;
  filter.referral_id = referral.id;
  filter.planned_only = true;
  std::vector<std::int64_t> plans;
  store.each_touchpoint(filter, [&](const store::Touchpoint& t) {
    if (t.origin == store::origin_after_referral) plans.push_back(t.id);
  });
  for (const auto plan : plans) {
    with.push_back(
        void_touchpoint(ctx, plan, fmt::format("with referral #{}: {}", referral.id, reason)));
  }
  const auto before = snapshot(ctx, "referral", referral.id);
  store.void_record("referral", referral.id, reason, ctx.now());
  record_audit(ctx, "void", "referral", referral.id, before, reason);
  auto message = fmt::format("Voided referral #{} ({} {}, patient {}): {}", referral.id,
                             referral.direction == domain::Direction::in ? "from" : "to",
                             referral.contact_name, shown_patient(ctx, referral.patient), reason);
  for (const auto& w : with) message += fmt::format("; {} with it", w);
  return message;
}

// Why there is no `entity` #id to void: it was voided already (when, and why), or never was.
[[noreturn]] void missing(Context& ctx, std::string_view entity, std::int64_t id,
                          std::string_view listing) {
  if (const auto v = ctx.store().voided(entity, id)) {
    throw Error(Exit::data,
                fmt::format("{} #{} was voided on {}: {}", entity, id,
                            domain::format_local(v->voided_at), v->reason),
                fmt::format("see it with: refnet list {} --voided", listing));
  }
  throw Error(Exit::data, fmt::format("no {} #{}", entity, id),
              fmt::format("list them with: refnet list {}", listing));
}

void run_void(Context& ctx, const VoidOptions& o) {
  const int given = !o.referral.empty() + !o.touchpoint.empty() + !o.event.empty();
  if (given != 1) {
    throw Error(Exit::usage, "say what to void: one --referral, --touchpoint or --event ID",
                "refnet void --referral 42 --reason \"entered for the wrong patient\"");
  }
  const auto why = std::string(text::trim(o.reason));
  if (why.empty()) {
    throw Error(Exit::usage, "--reason cannot be empty: say why it was entered in error");
  }
  auto& store = ctx.store();
  store::Store::WriteTransaction tx(store);
  std::string message;
  if (!o.referral.empty()) {
    message = void_referral(ctx, o.referral, why);
  } else if (!o.touchpoint.empty()) {
    const auto id = parse_id(o.touchpoint, "touchpoint id");
    const auto t = store.touchpoint(id);
    if (!t) missing(ctx, "touchpoint", id, "followups");
    void_touchpoint(ctx, id, why);
    message = fmt::format("Voided {} #{} with {}: {}", t->due ? "follow-up" : "touchpoint", id,
                          t->contact_name, why);
  } else {
    const auto id = parse_id(o.event, "event id");
    const auto e = store.event(id);
    if (!e) missing(ctx, "event", id, "events");
    const auto before = snapshot(ctx, "event", id);
    store.void_record("event", id, why, ctx.now());
    record_audit(ctx, "void", "event", id, before, why);
    message = fmt::format("Voided event #{} {} ({}): {}", id, e->name, e->date, why);
  }
  tx.commit();
  say(ctx, message);
}

}  // namespace

void wire_void(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<VoidOptions>();
  auto* r = sub.add_option("--referral", o->referral, "Void this referral")->type_name("ID");
  auto* t =
      sub.add_option("--touchpoint", o->touchpoint, "Void this touchpoint or planned follow-up")
          ->type_name("ID");
  auto* e = sub.add_option("--event", o->event, "Void this event")->type_name("ID");
  r->excludes(t)->excludes(e);
  t->excludes(e);
  sub.add_option("--reason", o->reason, "Why it was entered in error")->required();
  set_example(sub, "refnet void --referral 42 --reason \"entered for the wrong patient\"");
  sub.callback([o, &ctx] { run_void(ctx, *o); });
}

}  // namespace refnet::cli
