// refer, ack, status: recording referrals and moving them through their lifecycle.
#include <fmt/format.h>

#include <memory>

#include "common.hpp"
#include "domain/referral_status.hpp"
#include "domain/sla.hpp"
#include "error.hpp"
#include "record/rules.hpp"
#include "referral_edit.hpp"
#include "text/text.hpp"

namespace refnet::cli {

namespace {

struct ReferOptions {
  std::string to, from, patient, reason, urgency = "routine", date, note;
  CLI::Option* date_given = nullptr;
};

void print_referral(Context& ctx, const store::Referral& r, std::string_view message) {
  if (ctx.format() == output::Format::table) {
    say(ctx, message);
  } else {
    ctx.print_record(listed_fields(record::referral(), r, patient_redactor(ctx)));
  }
}

store::Contact require_active(Context& ctx, const std::string& who) {
  auto contact = require_contact(ctx, who);
  if (contact.archived) {
    std::string hint = contact.merged_into ? fmt::format("it was merged into #{}; use that contact",
                                                         *contact.merged_into)
                                           : "pick an active contact";
    throw Error(Exit::data, fmt::format("{} (#{}) is archived", contact.name, contact.id), hint);
  }
  return contact;
}

// A --date of something that happened: now when not given, never in the future. Given empty
// (--date "$UNSET") it is an invalid date, not now.
domain::Timestamp happened_at(Context& ctx, const std::string& text, bool given) {
  if (!given) return ctx.now();
  const auto at = parse_date(ctx, text, domain::Toward::past, "--date").at;
  if (at > ctx.now()) {
    throw Error(Exit::usage,
                fmt::format("--date {} is in the future; record what has happened",
                            domain::format_local(at)),
                "leave --date out for now, or put an appointment's date in --note");
  }
  return at;
}

std::string trimmed(const std::string& value) {
  return std::string(text::trim(value));
}

// What the record rules found wrong with a referral a command made, as the command's error; the
// commands' own checks come first and say it better, so this is their net.
void check_referral(const store::Referral& r, const std::vector<record::FieldProblem>& problems) {
  if (problems.empty()) return;
  const auto& p = problems.front();
  throw Error(Exit::data, r.id != 0 ? fmt::format("referral #{}: {}: {}", r.id, p.field, p.what)
                                    : fmt::format("the referral's {}: {}", p.field, p.what));
}

std::string sla_text(Context& ctx, domain::Urgency urgency) {
  const auto& sla = ctx.config().sla;
  switch (urgency) {
    case domain::Urgency::routine:
      return domain::format_duration(sla.acknowledge_routine);
    case domain::Urgency::urgent:
      return domain::format_duration(sla.acknowledge_urgent);
    case domain::Urgency::emergent:
      return domain::format_duration(sla.acknowledge_emergent);
  }
  return "";
}

void run_refer(Context& ctx, const ReferOptions& o) {
  if (o.to.empty() && o.from.empty()) {
    throw Error(Exit::usage, "say who the referral is to (--to) or from (--from)",
                "refnet refer --from \"Ann Lee\" --patient MRN-1001");
  }
  if (!o.to.empty() && !o.from.empty()) {
    throw Error(Exit::usage, "a referral is either to (--to) or from (--from), not both");
  }
  // Trimmed: the reference is matched on import and pseudonymised on export.
  const auto patient = trimmed(o.patient);
  if (patient.empty()) {
    throw Error(Exit::usage, "--patient cannot be empty",
                "a chart number, MRN or initials; never required to be a name");
  }
  const auto urgency_word = domain::require_one_of(o.urgency, domain::urgencies, "--urgency");
  const auto urgency = *domain::parse_urgency(urgency_word);
  const auto referred = happened_at(ctx, o.date, o.date_given->count() > 0);

  auto& store = ctx.store();
  store::Store::WriteTransaction tx(store);
  const auto contact = require_active(ctx, o.to.empty() ? o.from : o.to);
  store::Referral r;
  r.direction = o.to.empty() ? domain::Direction::in : domain::Direction::out;
  r.contact_id = contact.id;
  r.patient = patient;
  r.reason = optional_text(trimmed(o.reason));
  r.urgency = urgency;
  r.referred = referred;
  r.note = optional_text(o.note);
  // The same rules as an imported referral's: the acknowledgement due by the SLA, created now.
  check_referral(r, record::complete_referral(r, {}, ctx.now(), ctx.sla()));

  const auto id = store.add_referral(r);
  record_audit(ctx, "refer", "referral", id, std::nullopt);
  std::optional<domain::Timestamp> thanks_due;
  if (r.direction == domain::Direction::in) {
    // refnet(1) "Service levels": after an inbound referral, a thank-you / circle-back follow-up is
    // planned.
    thanks_due = domain::followup_after_referral_due(referred, ctx.sla());
    plan_followup(ctx, contact.id, id, "thank for the referral", *thanks_due,
                  store::origin_after_referral);
  }
  tx.commit();

  const auto written = *store.referral(id);
  std::string message =
      r.direction == domain::Direction::in
          ? fmt::format("Referral #{} from {} (patient {}): acknowledge by {} ({} {})", id,
                        contact.name, shown_patient(ctx, patient),
                        domain::format_local(r.acknowledge_due), urgency_word,
                        sla_text(ctx, urgency))
          : fmt::format("Referral #{} to {} (patient {}): acknowledgement expected by {} ({} {})",
                        id, contact.name, shown_patient(ctx, patient),
                        domain::format_local(r.acknowledge_due), urgency_word,
                        sla_text(ctx, urgency));
  if (thanks_due) {
    message +=
        fmt::format("\nThank-you follow-up planned, due {}", domain::format_local(*thanks_due));
  }
  print_referral(ctx, written, message);
}

// When a scheduled referral's visit is: --appointment, or a --date still to come (the booking is
// now, the visit then). Nothing for any other status, and for a --date in the past.
std::optional<domain::Timestamp> appointment_at(Context& ctx, domain::Status to,
                                                const std::string& date, bool date_given,
                                                const std::string& appointment) {
  if (!appointment.empty()) {
    if (to != domain::Status::scheduled) {
      throw Error(Exit::usage, "--appointment is only for scheduled",
                  "refnet status ID scheduled --appointment \"friday 10:30\"");
    }
    const auto at = parse_date(ctx, appointment, domain::Toward::future, "--appointment");
    return at.date_only ? domain::day_kept_whole(at.at) : at.at;  // a day, kept whole
  }
  if (to != domain::Status::scheduled || !date_given) return std::nullopt;
  const auto at = parse_date(ctx, date, domain::Toward::future, "--date");
  if (at.at <= ctx.now()) return std::nullopt;
  return at.date_only ? domain::day_kept_whole(at.at) : at.at;
}

void move(Context& ctx, const std::string& which, domain::Status to, const std::string& date,
          bool date_given, const std::string& reason, const std::string& note,
          const std::string& appointment = {}) {
  auto& store = ctx.store();
  // The transition is checked against the status under the write lock: two refnets acknowledging
  // one referral at once must not both succeed.
  store::Store::WriteTransaction tx(store);
  const auto referral = require_referral(ctx, which);
  const auto why = trimmed(reason);
  if (!why.empty() && to != domain::Status::declined) {
    throw Error(Exit::usage, "--reason is only for declined (it is the decline reason)",
                fmt::format("say why it is {} with --note", domain::to_string(to)));
  }
  domain::check_transition(referral.status, to, !why.empty(), referral.id);
  store::StatusChange change;
  change.to = to;
  change.appointment = appointment_at(ctx, to, date, date_given, appointment);
  // A --date to come for scheduled is the appointment: the booking itself happens now.
  const bool booked_ahead = change.appointment && appointment.empty();
  change.at = happened_at(ctx, date, date_given && !booked_ahead);
  if (change.at < referral.referred) {
    throw Error(Exit::data, fmt::format("{} is before referral #{} was made ({})",
                                        domain::format_local(change.at), referral.id,
                                        domain::format_local(referral.referred)));
  }
  // The timeline reads forward: a step cannot be dated before the step already recorded.
  const std::pair<const char*, std::optional<domain::Timestamp>> steps[] = {
      {"acknowledged", referral.acknowledged},
      {"scheduled", referral.scheduled},
      {"seen", referral.seen}};
  for (const auto& [step, stamped] : steps) {
    if (stamped && change.at < *stamped) {
      throw Error(
          Exit::data,
          fmt::format("{} is before referral #{} was {} ({})", domain::format_local(change.at),
                      referral.id, step, domain::format_local(*stamped)),
          "give a --date on or after it");
    }
  }
  change.reason = optional_text(why);
  change.note = optional_text(note);
  if (to == domain::Status::seen) change.report_due = domain::report_due(change.at, ctx.sla());

  const auto before = snapshot(ctx, "referral", referral.id);
  auto moved = referral;
  record::apply_status(moved, change);
  check_referral(moved, record::complete_referral(moved, {true, true}, ctx.now(), ctx.sla()));
  store.save_referral(moved);
  record_audit(ctx, to == domain::Status::acknowledged ? "ack" : "status", "referral", referral.id,
               before);
  tx.commit();

  const auto written = *store.referral(referral.id);
  std::string message = fmt::format("Referral #{} ({} {}) is now {}", referral.id,
                                    referral.direction == domain::Direction::in ? "from" : "to",
                                    referral.contact_name, domain::to_string(to));
  if (change.report_due) {
    message += fmt::format(
        "; {} due {}",
        referral.direction == domain::Direction::in ? "our report back" : "the consultant's report",
        domain::format_local(*change.report_due));
  }
  if (change.appointment) {
    message += fmt::format("; appointment {}", domain::format_local(*change.appointment));
  }
  print_referral(ctx, written, message);
}

// status --correct: a mistaken status put right. Any status may be given, backwards or out of a
// final one; every stamp that is not on the way to it is cleared (with the decline reason, the
// report due after seen and an appointment before scheduled), and the log keeps the old values
// and why (refnet(1) status).
void correct(Context& ctx, const std::string& which, domain::Status to, const std::string& date,
             bool date_given, const std::string& reason, const std::string& note,
             const std::string& appointment) {
  const auto why = trimmed(reason);
  if (why.empty()) {
    throw Error(Exit::usage, "--correct needs --reason: say why the status was wrong",
                "refnet status 42 scheduled --correct --reason \"typed seen for scheduled\"");
  }
  auto& store = ctx.store();
  store::Store::WriteTransaction tx(store);
  const auto referral = require_referral(ctx, which);
  if (referral.status == to && !date_given && appointment.empty()) {
    throw Error(Exit::data,
                fmt::format("referral #{} is already {}", referral.id, domain::to_string(to)),
                "give --date to correct when it happened");
  }
  auto moved = referral;
  moved.status = to;
  for (const auto step : {domain::Status::acknowledged, domain::Status::scheduled,
                          domain::Status::seen, domain::Status::closed, domain::Status::declined,
                          domain::Status::cancelled, domain::Status::no_show}) {
    if (!domain::on_the_way(step, to)) record::stamp(moved, step).reset();
  }
  if (to != domain::Status::new_) {
    auto& at = record::stamp(moved, to);
    if (date_given || !at) at = happened_at(ctx, date, date_given);
    for (const auto step :
         {domain::Status::acknowledged, domain::Status::scheduled, domain::Status::seen}) {
      const auto& earlier = record::stamp(moved, step);
      if (step != to && earlier && *earlier > *at) {
        throw Error(
            Exit::data,
            fmt::format("{} is before referral #{} was {} ({})", domain::format_local(*at),
                        referral.id, domain::to_string(step), domain::format_local(*earlier)),
            "give a --date on or after it");
      }
    }
    if (*at < referral.referred) {
      throw Error(Exit::data,
                  fmt::format("{} is before referral #{} was made ({})", domain::format_local(*at),
                              referral.id, domain::format_local(referral.referred)));
    }
  }
  moved.decline_reason =
      to == domain::Status::declined ? std::optional<std::string>(why) : std::nullopt;
  moved.report_due.reset();  // worked out again from seen, when it still is
  if (!domain::on_the_way(domain::Status::scheduled, to)) moved.appointment.reset();
  if (!appointment.empty()) moved.appointment = appointment_at(ctx, to, date, false, appointment);
  if (!note.empty()) {
    moved.note = moved.note && !moved.note->empty() ? *moved.note + "\n" + note : note;
  }
  check_referral(moved, record::complete_referral(moved, {true, true}, ctx.now(), ctx.sla()));
  const auto before = snapshot(ctx, "referral", referral.id);
  store.save_referral(moved);
  record_audit(ctx, "correct", "referral", referral.id, before, why);
  tx.commit();

  print_referral(ctx, *store.referral(referral.id),
                 fmt::format("Referral #{} ({} {}) corrected to {} (was {})", referral.id,
                             referral.direction == domain::Direction::in ? "from" : "to",
                             referral.contact_name, domain::to_string(to),
                             domain::to_string(referral.status)));
}

// The open follow-ups planned for a referral.
std::vector<store::Touchpoint> open_plans_of(store::Store& store, std::int64_t referral_id) {
  store::TouchpointFilter filter;
  filter.referral_id = referral_id;
  filter.planned_only = true;
  std::vector<store::Touchpoint> plans;
  store.each_touchpoint(filter, [&](const store::Touchpoint& t) { plans.push_back(t); });
  return plans;
}

}  // namespace

bool ReferralEdit::has(const std::string& key) const {
  return given.at(key)->count() > 0;
}

bool ReferralEdit::any_field() const {
  for (const auto& [key, option] : given) {
    if (key != "referral" && key != "note" && option->count() > 0) return true;
  }
  return false;
}

std::shared_ptr<ReferralEdit> add_referral_edit_options(CLI::App& edit) {
  auto o = std::make_shared<ReferralEdit>();
  const auto add = [&](const char* name, std::string& value, const char* what,
                       const char* type = "TEXT") {
    o->given[name] = edit.add_option(fmt::format("--{}", name), value, what)->type_name(type);
  };
  add("referral", o->referral, "Edit this referral instead of a contact", "ID");
  add("contact", o->contact, "With --referral: the contact it is from or to", "CONTACT");
  add("direction", o->direction, "With --referral: in (from the contact) or out (to them)", "DIR");
  add("patient", o->patient, "With --referral: the patient reference", "REF");
  add("reason", o->reason, "With --referral: the reason for it (empty to clear)");
  add("urgency", o->urgency, "With --referral: routine, urgent or emergent", "URGENCY");
  add("date", o->date, "With --referral: when it was made", "DATE");
  return o;
}

void run_referral_edit(Context& ctx, const ReferralEdit& o, bool note_given) {
  auto& store = ctx.store();
  store::Store::WriteTransaction tx(store);
  const auto referral = require_referral(ctx, o.referral);
  auto updated = referral;
  std::optional<store::Contact> new_contact;
  if (o.has("contact")) {
    new_contact = require_active(ctx, o.contact);
    updated.contact_id = new_contact->id;
  }
  if (o.has("direction")) {
    const auto word = domain::require_one_of(o.direction, domain::directions, "--direction");
    updated.direction = *domain::parse_direction(word);
  }
  if (o.has("patient")) {
    updated.patient = trimmed(o.patient);
    if (updated.patient.empty()) throw Error(Exit::usage, "--patient cannot be empty");
  }
  if (o.has("reason")) updated.reason = optional_text(trimmed(o.reason));
  if (o.has("urgency")) {
    updated.urgency =
        *domain::parse_urgency(domain::require_one_of(o.urgency, domain::urgencies, "--urgency"));
  }
  if (o.has("date")) {
    updated.referred = happened_at(ctx, o.date, true);
    for (const auto step : {domain::Status::acknowledged, domain::Status::scheduled,
                            domain::Status::seen, domain::Status::closed, domain::Status::declined,
                            domain::Status::cancelled, domain::Status::no_show}) {
      const auto& at = record::stamp(updated, step);
      if (at && *at < updated.referred) {
        throw Error(Exit::data,
                    fmt::format("referral #{} was {} on {}, before {}", referral.id,
                                domain::to_string(step), domain::format_local(*at),
                                domain::format_local(updated.referred)),
                    fmt::format("correct that step first: refnet status {} STATUS --correct "
                                "--reason TEXT",
                                referral.id));
      }
    }
  }
  if (note_given) updated.note = optional_text(o.note);
  // The acknowledgement is due by the SLA of its urgency from when it was made.
  updated.acknowledge_due = domain::acknowledge_due(updated.referred, updated.urgency, ctx.sla());
  check_referral(updated, record::complete_referral(updated, {true, true}, ctx.now(), ctx.sla()));

  const auto before = snapshot(ctx, "referral", referral.id);
  store.save_referral(updated);
  const auto after = snapshot(ctx, "referral", referral.id);
  if (before == after) {
    tx.commit();
    say(ctx, fmt::format("Nothing to change for referral #{}", referral.id));
    if (ctx.format() != output::Format::table) print_referral(ctx, referral, "");
    return;
  }
  record_audit(ctx, "edit", "referral", referral.id, before);
  // Its open follow-ups go with it: to its new contact; dismissed when it is no longer inbound
  // (the thank-you is for a referral received); a thank-you planned when it now is.
  std::vector<std::string> said;
  const auto plans = open_plans_of(store, referral.id);
  for (const auto& plan : plans) {
    const auto plan_before = snapshot(ctx, "touchpoint", plan.id);
    if (updated.direction == domain::Direction::out &&
        plan.origin == store::origin_after_referral) {
      change_touchpoint(store, plan.id, [&](store::Touchpoint& t) { t.dismissed_at = ctx.now(); });
      record_audit(ctx, "dismiss", "touchpoint", plan.id, plan_before);
      said.push_back(fmt::format("thank-you follow-up #{} dismissed", plan.id));
    } else if (plan.contact_id != updated.contact_id) {
      change_touchpoint(store, plan.id,
                        [&](store::Touchpoint& t) { t.contact_id = updated.contact_id; });
      record_audit(ctx, "edit", "touchpoint", plan.id, plan_before);
      said.push_back(fmt::format("follow-up #{} moved with it", plan.id));
    }
  }
  if (referral.direction == domain::Direction::out && updated.direction == domain::Direction::in) {
    const auto due = domain::followup_after_referral_due(updated.referred, ctx.sla());
    plan_followup(ctx, updated.contact_id, referral.id, "thank for the referral", due,
                  store::origin_after_referral);
    said.push_back(fmt::format("thank-you follow-up planned, due {}", domain::format_local(due)));
  }
  tx.commit();

  const auto written = *store.referral(referral.id);
  std::string message = fmt::format("Updated referral #{} ({} {}, patient {})", referral.id,
                                    written.direction == domain::Direction::in ? "from" : "to",
                                    written.contact_name, shown_patient(ctx, written.patient));
  for (const auto& line : said) message += "; " + line;
  print_referral(ctx, written, message);
}

void wire_refer(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<ReferOptions>();
  auto* to = sub.add_option("--to", o->to, "We refer a patient to this contact (outbound)")
                 ->type_name("CONTACT");
  auto* from = sub.add_option("--from", o->from, "This contact refers a patient to us (inbound)")
                   ->type_name("CONTACT");
  to->excludes(from);
  sub.add_option("--patient", o->patient, "Patient reference: chart number, MRN or initials")
      ->required()
      ->type_name("REF");
  sub.add_option("--reason", o->reason, "Reason for the referral");
  sub.add_option("--urgency", o->urgency, "routine, urgent or emergent (default routine)")
      ->type_name("URGENCY");
  o->date_given =
      sub.add_option("--date", o->date, "When it was made (default now)")->type_name("DATE");
  sub.add_option("--note", o->note, "A free-text note");
  set_example(sub,
              "refnet refer --from \"Ann Lee\" --patient MRN-1001 --reason \"chest pain\""
              " --urgency urgent");
  sub.callback([o, &ctx] { run_refer(ctx, *o); });
}

void wire_ack(CLI::App& sub, Context& ctx) {
  auto which = std::make_shared<std::string>();
  auto date = std::make_shared<std::string>();
  auto note = std::make_shared<std::string>();
  sub.add_option("REFERRAL", *which, "The referral id")->required();
  auto* date_given =
      sub.add_option("--date", *date, "When it was acknowledged (default now)")->type_name("DATE");
  sub.add_option("--note", *note, "A free-text note");
  set_example(sub, "refnet ack 42 --note \"faxed confirmation\"");
  sub.callback([=, &ctx] {
    move(ctx, *which, domain::Status::acknowledged, *date, date_given->count() > 0, "", *note);
  });
}

void wire_status(CLI::App& sub, Context& ctx) {
  auto which = std::make_shared<std::string>();
  auto status = std::make_shared<std::string>();
  auto date = std::make_shared<std::string>();
  auto reason = std::make_shared<std::string>();
  auto note = std::make_shared<std::string>();
  sub.add_option("REFERRAL", *which, "The referral id")->required();
  sub.add_option("STATUS", *status,
                 "acknowledged, scheduled, seen, closed, declined, cancelled or no-show (with "
                 "--correct also new)")
      ->required();
  auto appointment = std::make_shared<std::string>();
  auto* date_given =
      sub.add_option("--date", *date,
                     "When it happened (default now); for scheduled, a time to come is the "
                     "appointment")
          ->type_name("DATE");
  sub.add_option("--appointment", *appointment,
                 "With scheduled: when the visit is (e.g. \"friday 10:30\")")
      ->type_name("WHEN");
  sub.add_option("--reason", *reason,
                 "Why it was declined (required for declined); with --correct, why the status "
                 "was wrong");
  sub.add_option("--note", *note, "A free-text note");
  auto correcting = std::make_shared<bool>(false);
  sub.add_flag("--correct", *correcting,
               "Put a mistaken status right: any status (new too), backwards or out of a final "
               "one; later stamps are cleared (needs --reason)");
  set_example(sub,
              "refnet status 42 seen --date yesterday\n"
              "  refnet status 43 scheduled --date \"tuesday 10:30\"\n"
              "  refnet status 44 scheduled --correct --reason \"typed seen for scheduled\"");
  sub.callback([=, &ctx] {
    auto to = domain::parse_status(*status);
    if (!to || (*to == domain::Status::new_ && !*correcting)) {
      throw Error(
          Exit::usage, fmt::format("invalid STATUS '{}'", *status),
          to && *to == domain::Status::new_
              ? "a referral goes back to new only with --correct --reason"
              : "use one of: acknowledged, scheduled, seen, closed, declined, cancelled, no-show");
    }
    if (*correcting) {
      correct(ctx, *which, *to, *date, date_given->count() > 0, *reason, *note, *appointment);
    } else {
      move(ctx, *which, *to, *date, date_given->count() > 0, *reason, *note, *appointment);
    }
  });
}

}  // namespace refnet::cli
