// add, edit, archive, merge: the commands that change contacts.
#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "common.hpp"
#include "domain/npi.hpp"
#include "domain/sla.hpp"
#include "domain/vocabulary.hpp"
#include "error.hpp"
#include "referral_edit.hpp"
#include "text/text.hpp"

namespace refnet::cli {

namespace {

// Options shared by add and edit.
struct ContactOptions {
  std::string name, role, specialty, practice, npi, phone, fax, email, city, source, event, note;
  std::vector<std::string> tags, untags;
  std::map<std::string, CLI::Option*> given;

  bool has(const std::string& key) const { return given.at(key)->count() > 0; }
};

void add_contact_options(CLI::App& sub, ContactOptions& o) {
  auto role = fmt::format("Role: {}", domain::one_of_text(domain::roles));
  auto source = fmt::format("How the relationship began: {}", domain::one_of_text(domain::sources));
  o.given["role"] = sub.add_option("--role", o.role, role)->type_name("ROLE");
  o.given["specialty"] = sub.add_option("--specialty", o.specialty, "Specialty, e.g. cardiology");
  o.given["practice"] = sub.add_option("--practice", o.practice, "Practice or organisation");
  o.given["npi"] = sub.add_option("--npi", o.npi, "National Provider Identifier (10 digits)");
  o.given["phone"] = sub.add_option("--phone", o.phone,
                                    "Phone number: digits, + ( ) - . and spaces, x123 for an "
                                    "extension");
  o.given["fax"] = sub.add_option("--fax", o.fax, "Fax number, written as a phone number");
  o.given["email"] = sub.add_option("--email", o.email, "Email address, as ann@example.org");
  o.given["city"] = sub.add_option("--city", o.city, "City");
  o.given["source"] = sub.add_option("--source", o.source, source)->type_name("SOURCE");
  o.given["event"] = sub.add_option("--event", o.event, "The event where you met (id or name)")
                         ->type_name("EVENT");
  o.given["tag"] = sub.add_option("--tag", o.tags, "A tag (repeat for more)")->type_name("TAG");
  o.given["note"] = sub.add_option("--note", o.note, "A free-text note");
}

store::Text normalized(std::string_view value) {
  return text::trimmed_or_none(value);
}

std::string require_name(const std::string& value) {
  auto name = normalized(value);
  if (!name) throw Error(Exit::usage, "a contact needs a name", "e.g. refnet add \"Dr. Ann Lee\"");
  return *name;
}

void check_npi(Context& ctx, const store::Text& npi, std::optional<std::int64_t> except) {
  if (!npi) return;
  if (auto problem = domain::npi_problem(*npi)) {
    throw Error(Exit::usage, fmt::format("invalid --npi '{}': {}", *npi, *problem));
  }
  if (auto holder = ctx.store().active_contact_with_npi(*npi, except)) {
    auto other = ctx.store().contact(*holder);
    throw Error(Exit::data,
                fmt::format("NPI {} already belongs to {} (#{})", *npi, other->name, other->id),
                except ? fmt::format("if they are the same, merge them: refnet merge {} {}",
                                     other->id, *except)
                       : fmt::format("if they are the same, edit #{} instead: refnet edit {}",
                                     other->id, other->id));
  }
}

std::int64_t resolve_event(Context& ctx, const std::string& text) {
  if (!text.empty() &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    const auto id = parse_id(text, "--event");
    if (ctx.store().event(id)) return id;
    throw Error(Exit::data, fmt::format("no event with id {}", id),
                "list them with: refnet list events");
  }
  auto events = ctx.store().events_named(text);
  if (events.empty()) {
    throw Error(Exit::data, fmt::format("no event named '{}'", text),
                "record it first with: refnet event NAME --kind K --date D");
  }
  return events.front().id;
}

bool same_tag(std::string_view a, std::string_view b) {
  return text::iequals_ascii(a, b);
}

std::vector<std::string> split_tags(const std::vector<std::string>& values) {
  std::vector<std::string> tags;
  for (const auto& value : values) {
    std::size_t start = 0;
    while (start <= value.size()) {
      const auto end = std::min(value.find(',', start), value.size());
      if (auto tag = normalized(value.substr(start, end - start))) tags.push_back(*tag);
      start = end + 1;
    }
  }
  return tags;
}

// The options the contact's description checks as it reads them from a file, checked the same
// way here: a bad value is a usage error naming the option.
void check_as_described(const ContactOptions& o) {
  const auto check = [&](const char* key, const std::string& value) {
    if (!o.has(key)) return;
    store::Contact scratch;
    if (auto problem = record::contact().find(key)->read(scratch, value)) {
      throw Error(Exit::usage, fmt::format("invalid --{}: {}", key, *problem));
    }
  };
  check("phone", o.phone);
  check("fax", o.fax);
  check("email", o.email);
}

// Fills `fields` from the options the user gave; untouched fields keep their value.
void apply(Context& ctx, const ContactOptions& o, store::ContactFields& fields) {
  auto set = [&](const char* key, const std::string& value, store::Text& field) {
    if (o.has(key)) field = normalized(value);
  };
  check_as_described(o);
  if (o.has("role")) fields.role = domain::require_one_of(o.role, domain::roles, "--role");
  set("specialty", o.specialty, fields.specialty);
  set("practice", o.practice, fields.practice);
  set("npi", o.npi, fields.npi);
  set("phone", o.phone, fields.phone);
  set("fax", o.fax, fields.fax);
  set("email", o.email, fields.email);
  set("city", o.city, fields.city);
  set("note", o.note, fields.note);
  if (o.has("source")) {
    fields.source = normalized(o.source);
    if (fields.source)
      fields.source = domain::require_one_of(*fields.source, domain::sources, "--source");
  }
  if (o.has("event")) {
    fields.event_id = normalized(o.event) ? std::optional(resolve_event(ctx, *normalized(o.event)))
                                          : std::nullopt;
  }
  // Tags compare case-insensitively, as `list --tag` filters them: --tag Diabetes on a contact
  // tagged diabetes changes nothing, and --untag diabetes removes Diabetes. A comma separates
  // tags, as in the tags column of import and export.
  for (const auto& tag : split_tags(o.tags)) {
    if (std::none_of(fields.tags.begin(), fields.tags.end(),
                     [&](const std::string& have) { return same_tag(have, tag); })) {
      fields.tags.push_back(tag);
    }
  }
  for (const auto& tag : split_tags(o.untags)) {
    std::erase_if(fields.tags, [&](const std::string& have) { return same_tag(have, tag); });
  }
}

void print_contact(Context& ctx, const store::Contact& c, std::string_view message) {
  if (ctx.format() == output::Format::table) {
    say(ctx, message);
  } else {
    ctx.print_record(listed_fields(record::contact(), c));
  }
}

// The event's list of contacts met there includes every contact whose "where met" it is.
void record_attendance(Context& ctx, std::int64_t event_id, std::int64_t contact_id) {
  auto& store = ctx.store();
  const auto attending = store.event_contacts(event_id);
  if (std::find(attending.begin(), attending.end(), contact_id) != attending.end()) return;
  const auto before = snapshot(ctx, "event", event_id);
  store.add_event_contact(event_id, contact_id);
  record_audit(ctx, "met", "event", event_id, before);
}

// refnet(1) "Service levels": after adding a contact met in person or at an event, a follow-up is
// planned.
std::optional<domain::Timestamp> plan_meeting_followup(Context& ctx, std::int64_t contact_id,
                                                       domain::Timestamp met) {
  auto& store = ctx.store();
  if (!store.open_plans(contact_id).empty()) return std::nullopt;
  const auto due = domain::followup_after_meeting_due(met, ctx.sla());
  plan_followup(ctx, contact_id, std::nullopt, "circle back after meeting", due,
                store::origin_after_meeting);
  return due;
}

void run_add(Context& ctx, const ContactOptions& o) {
  auto& store = ctx.store();
  store::ContactFields fields;
  fields.name = require_name(o.name);
  // What is checked (the event, the NPI) is checked under the write lock it is written under.
  store::Store::WriteTransaction tx(store);
  apply(ctx, o, fields);
  check_npi(ctx, fields.npi, std::nullopt);
  // The same name and practice as an active contact is that contact, as import judges it: a
  // second one would make the name ambiguous wherever it is typed.
  if (const auto same = store.contact_with_name_and_practice(fields.name, fields.practice, false)) {
    const auto existing = *store.contact(*same);
    throw Error(Exit::data,
                fmt::format("contact #{} is already {}{}", existing.id, existing.name,
                            existing.practice ? fmt::format(" ({})", *existing.practice) : ""),
                fmt::format("change it with: refnet edit {}", existing.id));
  }

  store::Contact added;
  static_cast<store::ContactFields&>(added) = fields;
  added.created = ctx.now();
  const auto id = store.add_contact(added);
  record_audit(ctx, "add", "contact", id, std::nullopt);
  if (fields.event_id) record_attendance(ctx, *fields.event_id, id);
  std::optional<domain::Timestamp> followup;
  if (fields.event_id || (fields.source && domain::met_in_person(*fields.source))) {
    followup = plan_meeting_followup(ctx, id, ctx.now());
  }
  tx.commit();

  const auto contact = *store.contact(id);
  std::string message = fmt::format("Added contact #{} {} ({})", id, contact.name, contact.role);
  if (followup) {
    message += fmt::format("; follow-up planned, due {}", domain::format_local(*followup));
  }
  print_contact(ctx, contact, message);
}

void run_edit(Context& ctx, const std::string& who, const ContactOptions& o, bool renamed) {
  auto& store = ctx.store();
  // Read, checked and changed under one write lock, so no other refnet changes it in between.
  store::Store::WriteTransaction tx(store);
  auto contact = require_contact(ctx, who);
  store::ContactFields fields = contact;
  if (renamed) fields.name = require_name(o.name);
  apply(ctx, o, fields);
  if (o.has("npi")) check_npi(ctx, fields.npi, contact.id);

  const auto before = snapshot(ctx, "contact", contact.id);
  auto updated = contact;
  static_cast<store::ContactFields&>(updated) = fields;
  store.save_contact(updated);
  const auto after = snapshot(ctx, "contact", contact.id);
  if (before == after) {
    tx.commit();
    say(ctx, fmt::format("Nothing to change for #{} {}", contact.id, contact.name));
    if (ctx.format() != output::Format::table) print_contact(ctx, contact, "");
    return;
  }
  record_audit(ctx, "edit", "contact", contact.id, before);
  if (o.has("event") && fields.event_id) record_attendance(ctx, *fields.event_id, contact.id);
  tx.commit();
  print_contact(ctx, *store.contact(contact.id),
                fmt::format("Updated contact #{} {}", contact.id, fields.name));
}

}  // namespace

void wire_add(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<ContactOptions>();
  sub.add_option("NAME", o->name, "The contact's name")->required();
  add_contact_options(sub, *o);
  set_example(sub,
              "refnet add \"Dr. Ann Lee\" --role pcp --practice \"Elm Street Family Medicine\""
              " --npi 1234567893 --source visit");
  sub.callback([o, &ctx] { run_add(ctx, *o); });
}

void wire_edit(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<ContactOptions>();
  auto who = std::make_shared<std::string>();
  auto* contact = sub.add_option("CONTACT", *who, "Id, NPI or part of the name");
  auto* name = sub.add_option("--name", o->name, "A new name");
  add_contact_options(sub, *o);
  auto* untag =
      sub.add_option("--untag", o->untags, "Remove a tag (repeat for more)")->type_name("TAG");
  auto referral = add_referral_edit_options(sub);
  set_example(sub,
              "refnet edit \"Ann Lee\" --role pcp --phone \"555-0100\" --tag diabetes\n"
              "  refnet edit --referral 42 --contact \"Raj Patel\" --date \"2026-11-20 09:30\"");
  sub.callback([=, &ctx] {
    if (referral->has("referral")) {
      // One record at a time: a contact's options are not a referral's.
      for (const auto& [key, option] : o->given) {
        if (key != "note" && option->count() > 0) {
          throw Error(Exit::usage, fmt::format("--{} is a contact's, not a referral's", key),
                      "edit the contact apart: refnet edit CONTACT --" + key + " ...");
        }
      }
      if (contact->count() > 0 || name->count() > 0 || untag->count() > 0) {
        throw Error(Exit::usage, "give a CONTACT or --referral ID, not both",
                    "the referral's contact is changed with --contact");
      }
      referral->note = o->note;
      run_referral_edit(ctx, *referral, o->has("note"));
      return;
    }
    if (referral->any_field()) {
      throw Error(Exit::usage,
                  "--contact, --direction, --patient, --reason, --urgency and --date "
                  "edit a referral: give its --referral ID");
    }
    if (contact->count() == 0) {
      throw Error(Exit::usage, "say which contact to edit, or --referral ID",
                  "refnet edit \"Ann Lee\" --phone 555-0100");
    }
    run_edit(ctx, *who, *o, name->count() > 0);
  });
}

// archive --undo: the contact is active again, as it was; the follow-ups archiving dismissed stay
// dismissed (plan new ones). Refused when it was merged into another, or when an active contact
// now holds its NPI or its name and practice: there would be two of one person.
void unarchive(Context& ctx, const std::string& who) {
  auto& store = ctx.store();
  store::Store::WriteTransaction tx(store);
  auto contact = require_contact(ctx, who);
  if (!contact.archived) {
    throw Error(Exit::data, fmt::format("{} (#{}) is not archived", contact.name, contact.id));
  }
  if (contact.merged_into) {
    throw Error(
        Exit::data,
        fmt::format("{} (#{}) was merged into #{}", contact.name, contact.id, *contact.merged_into),
        fmt::format("that contact is the one to use: refnet show {}", *contact.merged_into));
  }
  std::optional<std::int64_t> holder;
  if (contact.npi) holder = store.active_contact_with_npi(*contact.npi, contact.id);
  if (!holder) holder = store.contact_with_name_and_practice(contact.name, contact.practice, false);
  if (holder) {
    throw Error(Exit::data,
                fmt::format("contact #{} is already active with the same {}", *holder,
                            contact.npi && store.active_contact_with_npi(*contact.npi, contact.id)
                                ? "NPI"
                                : "name and practice"),
                fmt::format("use it, or merge them: refnet merge {} {}", *holder, contact.id));
  }
  const auto before = snapshot(ctx, "contact", contact.id);
  contact.archived = std::nullopt;
  store.save_contact(contact);
  record_audit(ctx, "unarchive", "contact", contact.id, before);
  tx.commit();
  print_contact(ctx, *store.contact(contact.id),
                fmt::format("Contact #{} {} is active again", contact.id, contact.name));
}

void wire_archive(CLI::App& sub, Context& ctx) {
  auto who = std::make_shared<std::string>();
  auto undo = std::make_shared<bool>(false);
  sub.add_option("CONTACT", *who, "Id, NPI or part of the name")->required();
  sub.add_flag("--undo", *undo, "Make an archived contact active again");
  set_example(sub, "refnet archive \"Ann Lee\"\n  refnet archive \"Ann Lee\" --undo");
  sub.callback([who, undo, &ctx] {
    if (*undo) return unarchive(ctx, *who);
    auto& store = ctx.store();
    store::Store::WriteTransaction tx(store);
    auto contact = require_contact(ctx, *who);
    if (contact.archived) {
      throw Error(Exit::data,
                  fmt::format("{} (#{}) is already archived", contact.name, contact.id));
    }
    const auto before = snapshot(ctx, "contact", contact.id);
    contact.archived = ctx.now();
    store.save_contact(contact);
    record_audit(ctx, "archive", "contact", contact.id, before);
    // A retired contact's planned follow-ups would stay overdue forever; they are dismissed
    // (each with its audit row), while referrals stay open: a patient may still be waiting.
    const auto plans = store.open_plans(contact.id);
    for (const auto& plan : plans) {
      const auto plan_before = snapshot(ctx, "touchpoint", plan.id);
      change_touchpoint(store, plan.id, [&](store::Touchpoint& t) { t.dismissed_at = ctx.now(); });
      record_audit(ctx, "dismiss", "touchpoint", plan.id, plan_before);
    }
    tx.commit();
    std::string message = fmt::format("Archived contact #{} {}", contact.id, contact.name);
    if (!plans.empty()) {
      message += fmt::format("; dismissed {} planned follow-up{}", plans.size(),
                             plans.size() == 1 ? "" : "s");
    }
    print_contact(ctx, *store.contact(contact.id), message);
  });
}

void wire_merge(CLI::App& sub, Context& ctx) {
  auto keep = std::make_shared<std::string>();
  auto dup = std::make_shared<std::string>();
  sub.add_option("KEEP", *keep, "The contact to keep")->required();
  sub.add_option("DUP", *dup, "The duplicate: its history moves to KEEP, then it is archived")
      ->required();
  set_example(sub, "refnet merge 12 31");
  sub.callback([keep, dup, &ctx] {
    auto& store = ctx.store();
    store::Store::WriteTransaction tx(store);
    const auto k = require_contact(ctx, *keep);
    const auto d = require_contact(ctx, *dup);
    if (k.id == d.id) {
      throw Error(Exit::data, fmt::format("cannot merge {} (#{}) into itself", k.name, k.id));
    }
    if (k.archived) {
      throw Error(Exit::data,
                  fmt::format("{} (#{}) is archived; keep an active contact", k.name, k.id));
    }
    if (d.merged_into) {
      throw Error(Exit::data, fmt::format("{} (#{}) was already merged into #{}", d.name, d.id,
                                          *d.merged_into));
    }
    // Everything that changes hands gets its own audit row too, so the log of a referral or a
    // follow-up says why its contact changed: nothing is silently rewritten.
    std::vector<std::pair<std::string, std::int64_t>> moved;
    store::ReferralFilter referrals;
    referrals.contact_id = d.id;
    store.each_referral(referrals,
                        [&](const store::Referral& r) { moved.emplace_back("referral", r.id); });
    store::TouchpointFilter touchpoints;
    touchpoints.contact_id = d.id;
    store.each_touchpoint(
        touchpoints, [&](const store::Touchpoint& t) { moved.emplace_back("touchpoint", t.id); });
    store::EventFilter events;
    events.contact_id = d.id;
    store.each_event(events, [&](const store::Event& e) { moved.emplace_back("event", e.id); });
    std::vector<store::Text> moved_before;
    for (const auto& [entity, id] : moved) moved_before.push_back(snapshot(ctx, entity, id));
    const auto keep_before = snapshot(ctx, "contact", k.id);
    const auto dup_before = snapshot(ctx, "contact", d.id);
    store.merge_contacts(k.id, d.id, ctx.now());
    record_audit(ctx, "merge", "contact", k.id, keep_before);
    record_audit(ctx, "merge", "contact", d.id, dup_before);
    for (std::size_t i = 0; i < moved.size(); ++i) {
      record_audit(ctx, "merge", moved[i].first, moved[i].second, moved_before[i]);
    }
    tx.commit();
    print_contact(ctx, *store.contact(k.id),
                  fmt::format("Merged #{} {} into #{} {}", d.id, d.name, k.id, k.name));
  });
}

}  // namespace refnet::cli
