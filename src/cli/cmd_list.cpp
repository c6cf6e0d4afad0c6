// list contacts|referrals|followups|events: listings with the filters of refnet(1), streamed.
#include <fmt/format.h>

#include <functional>
#include <memory>

#include "common.hpp"
#include "domain/referral_status.hpp"
#include "domain/vocabulary.hpp"
#include "error.hpp"
#include "io/redact.hpp"
#include "text/text.hpp"
#include "transfer.hpp"

namespace refnet::cli {

namespace {

// Every filter refnet(1) names under list; each listing wires the ones that mean something for it.
struct Filters {
  std::string role, specialty, source, tag, status, contact, since, until, via, kind, patient;
  bool in = false, out = false, open = false, overdue = false, archived = false, voided = false;

  // Whether any filter but --voided was given.
  bool filters() const {
    for (const auto* text : {&role, &specialty, &source, &tag, &status, &contact, &since, &until,
                             &via, &kind, &patient}) {
      if (!text->empty()) return true;
    }
    return in || out || open || overdue || archived;
  }
};

// --voided: the records voided as entered in error (refnet void), most recently voided first,
// with when and why; the listing's other filters do not apply to them.
void list_voided(Context& ctx, const Filters& f, const char* entity) {
  if (f.filters()) {
    throw Error(Exit::usage, "--voided lists every voided record; it takes no other filter");
  }
  const std::string_view kind = entity;
  std::vector<output::Column> columns{{"id", "ID", true}};
  if (kind == "referral") {
    columns.push_back({"direction", "Dir"});
    columns.push_back(output::free_text({"contact", "Contact"}));
    columns.push_back({"patient", "Patient"});
    columns.push_back({"referred", "Referred"});
  } else if (kind == "touchpoint") {
    columns.push_back(output::free_text({"contact", "Contact"}));
    columns.push_back({"via", "Via"});
    columns.push_back({"at", "Done or due"});
  } else {
    columns.push_back(output::free_text({"name", "Name"}));
    columns.push_back({"date", "Date"});
  }
  columns.push_back({"voided", "Voided"});
  columns.push_back(output::free_text({"reason", "Reason"}));
  const auto redact = kind == "referral" ? patient_redactor(ctx) : nullptr;
  const auto cell = [](const store::Text& t) -> output::Cell {
    if (t) return *t;
    return std::monostate{};
  };
  auto sink = ctx.sink();
  sink->begin(columns);
  ctx.store().each_voided(kind, [&](const store::VoidedRecord& v) {
    std::vector<output::Cell> row{v.id};
    if (kind == "referral") {
      row.push_back(cell(v.direction));
      row.push_back(cell(v.name));
      row.push_back(v.patient && redact ? output::Cell(redact(*v.patient)) : cell(v.patient));
      row.push_back(v.at ? output::Cell(*v.at) : output::Cell(std::monostate{}));
    } else if (kind == "touchpoint") {
      row.push_back(cell(v.name));
      row.push_back(cell(v.via));
      row.push_back(v.at ? output::Cell(*v.at) : output::Cell(std::monostate{}));
    } else {
      row.push_back(cell(v.name));
      row.push_back(cell(v.date));
    }
    row.push_back(v.voided_at);
    row.push_back(v.reason);
    sink->row(row, output::Tone::dim);
  });
  sink->end();
}

store::Text given(const std::string& value) {
  return optional_text(value);
}

store::Text role_filter(const Filters& f) {
  if (f.role.empty()) return std::nullopt;
  return domain::require_one_of(f.role, domain::roles, "--role");
}

store::Text source_filter(const Filters& f) {
  if (f.source.empty()) return std::nullopt;
  return domain::require_one_of(f.source, domain::sources, "--source");
}

void add_contact_filters(CLI::App& sub, Filters& f) {
  sub.add_option("--role", f.role, "Only contacts with this role")->type_name("ROLE");
  sub.add_option("--specialty", f.specialty, "Only specialties containing this text");
  sub.add_option("--source", f.source, "Only contacts from this source channel")
      ->type_name("SOURCE");
  sub.add_option("--tag", f.tag, "Only contacts with this tag")->type_name("TAG");
}

void add_period(CLI::App& sub, Filters& f, const char* what) {
  sub.add_option("--since", f.since, fmt::format("Only {} on or after this date", what))
      ->type_name("DATE");
  sub.add_option("--until", f.until, fmt::format("Only {} up to this date (inclusive)", what))
      ->type_name("DATE");
}

// What every listing filters on that is a contact's (role, specialty, source, tag, the contact
// itself) and the period, for a filter of store::ContactFilter's, ReferralFilter's or
// TouchpointFilter's kind.
template <typename Filter>
void contact_and_period(Context& ctx, const Filters& f, Filter& filter) {
  filter.role = role_filter(f);
  filter.specialty = given(f.specialty);
  filter.source = source_filter(f);
  filter.tag = given(f.tag);
  if (!f.contact.empty()) filter.contact_id = resolve_contact(ctx, f.contact);
  if (!f.since.empty()) filter.since = parse_since(ctx, f.since);
  if (!f.until.empty()) filter.until = parse_until(ctx, f.until);
}

template <typename Record>
void stream(Context& ctx, const record::Description<Record>& description,
            const std::function<void(const std::function<void(const Record&)>&)>& each,
            const std::function<output::Tone(const Record&)>& tone,
            const std::function<std::string(std::string_view)>& redact = {}) {
  auto sink = ctx.sink();
  sink->begin(description.columns(record::listed));
  each([&](const Record& r) { sink->row(description.cells(r, record::listed, redact), tone(r)); });
  sink->end();
}

void list_contacts(Context& ctx, const Filters& f) {
  store::ContactFilter filter;
  contact_and_period(ctx, f, filter);
  filter.include_archived = f.archived;
  auto& store = ctx.store();
  stream<store::Contact>(
      ctx, record::contact(), [&](const auto& fn) { store.each_contact(filter, fn); },
      [](const store::Contact& c) { return c.archived ? output::Tone::dim : output::Tone::plain; });
}

void list_referrals(Context& ctx, const Filters& f) {
  if (f.voided) return list_voided(ctx, f, "referral");
  store::ReferralFilter filter;
  if (f.in && f.out) throw Error(Exit::usage, "--in and --out exclude each other");
  if (f.in) filter.direction = domain::Direction::in;
  if (f.out) filter.direction = domain::Direction::out;
  if (!f.status.empty()) {
    filter.status = domain::parse_status(f.status);
    if (!filter.status) {
      throw Error(Exit::usage, fmt::format("invalid --status '{}'", f.status),
                  "use one of: new, acknowledged, scheduled, seen, closed, declined, cancelled, "
                  "no-show");
    }
  }
  filter.open_only = f.open;
  if (f.overdue) filter.overdue_at = ctx.now();
  contact_and_period(ctx, f, filter);
  auto& store = ctx.store();
  const auto now = ctx.now();
  // --patient: the reference as typed, or the pseudonym a redacted output showed for it, which
  // only the database's key can tell: then every referral's reference is pseudonymised to find it.
  const auto patient = std::string(text::trim(f.patient));
  std::function<bool(const store::Referral&)> wanted = [](const store::Referral&) { return true; };
  if (io::looks_like_pseudonym(patient)) {
    wanted = [patient, key = transfer::redaction_key(ctx)](const store::Referral& r) {
      return r.patient == patient || io::pseudonym(key, r.patient) == patient;
    };
  } else if (!patient.empty()) {
    filter.patient = patient;
  }
  stream<store::Referral>(
      ctx, record::referral(),
      [&](const auto& fn) {
        store.each_referral(filter, [&](const store::Referral& r) {
          if (wanted(r)) fn(r);
        });
      },
      [now](const store::Referral& r) {
        if (r.status == domain::Status::new_ && r.acknowledge_due < now) return output::Tone::alert;
        return domain::is_final(r.status) ? output::Tone::dim : output::Tone::plain;
      },
      patient_redactor(ctx));
}

void list_followups(Context& ctx, const Filters& f) {
  if (f.voided) return list_voided(ctx, f, "touchpoint");
  store::TouchpointFilter filter;
  filter.planned_only = f.open;
  if (f.overdue) filter.overdue_at = ctx.now();
  if (!f.via.empty()) filter.via = domain::require_one_of(f.via, domain::vias, "--via");
  contact_and_period(ctx, f, filter);
  auto& store = ctx.store();
  const auto now = ctx.now();
  stream<store::Touchpoint>(
      ctx, record::touchpoint(), [&](const auto& fn) { store.each_touchpoint(filter, fn); },
      [now](const store::Touchpoint& t) {
        if (t.state() != "planned") return output::Tone::dim;
        return *t.due < now ? output::Tone::alert : output::Tone::plain;
      });
}

void list_events(Context& ctx, const Filters& f) {
  if (f.voided) return list_voided(ctx, f, "event");
  store::EventFilter filter;
  if (!f.kind.empty()) filter.kind = domain::require_one_of(f.kind, domain::event_kinds, "--kind");
  if (!f.contact.empty()) filter.contact_id = resolve_contact(ctx, f.contact);
  if (!f.since.empty()) filter.since = domain::format_local_date(parse_since(ctx, f.since));
  if (!f.until.empty()) {
    // Events have a date, not a time: --until keeps the whole day its last instant falls on.
    const auto last = parse_until(ctx, f.until) - std::chrono::seconds(1);
    const auto next_day = std::chrono::sys_days(domain::local_date(last)) + std::chrono::days(1);
    filter.until = domain::format_date(std::chrono::year_month_day(next_day));
  }
  auto& store = ctx.store();
  stream<store::Event>(
      ctx, record::event(), [&](const auto& fn) { store.each_event(filter, fn); },
      [](const store::Event&) { return output::Tone::plain; });
}

}  // namespace

void wire_list(CLI::App& sub, Context& ctx) {
  sub.require_subcommand(1);
  set_example(sub, "refnet list referrals --in --open --since 2026-01-01 --format csv");

  auto fc = std::make_shared<Filters>();
  auto* contacts = sub.add_subcommand("contacts", "Contacts, by name");
  add_contact_filters(*contacts, *fc);
  contacts->add_option("--contact", fc->contact, "Only this contact")->type_name("CONTACT");
  add_period(*contacts, *fc, "contacts added");
  contacts->add_flag("--archived", fc->archived, "Include archived contacts");
  add_output_options(*contacts, ctx, false);
  set_example(*contacts, "refnet list contacts --role pcp --tag diabetes");
  contacts->callback([fc, &ctx] { list_contacts(ctx, *fc); });

  auto fr = std::make_shared<Filters>();
  auto* referrals = sub.add_subcommand("referrals", "Referrals, oldest first");
  auto* in = referrals->add_flag("--in", fr->in, "Only inbound referrals (to us)");
  auto* out = referrals->add_flag("--out", fr->out, "Only outbound referrals (from us)");
  in->excludes(out);
  referrals->add_option("--status", fr->status, "Only referrals in this status")
      ->type_name("STATUS");
  referrals->add_flag("--open", fr->open,
                      "Only referrals not yet closed, declined, cancelled or no-show");
  referrals->add_flag("--overdue", fr->overdue,
                      "Only referrals whose acknowledgement or report is past due");
  referrals->add_option("--contact", fr->contact, "Only referrals with this contact")
      ->type_name("CONTACT");
  add_contact_filters(*referrals, *fr);
  add_period(*referrals, *fr, "referrals made");
  referrals
      ->add_option("--patient", fr->patient,
                   "Only this patient's: the reference, or its pseudonym (P-…) from --redact")
      ->type_name("REF");
  referrals->add_flag("--voided", fr->voided, "Only the referrals voided as entered in error");
  add_output_options(*referrals, ctx, true);
  set_example(*referrals, "refnet list referrals --out --open --contact \"Ann Lee\"");
  referrals->callback([fr, &ctx] { list_referrals(ctx, *fr); });

  auto ff = std::make_shared<Filters>();
  auto* followups = sub.add_subcommand("followups", "Touchpoints: logged and planned");
  followups->add_flag("--open", ff->open, "Only planned follow-ups still open");
  followups->add_flag("--overdue", ff->overdue, "Only planned follow-ups past due");
  followups->add_option("--contact", ff->contact, "Only with this contact")->type_name("CONTACT");
  followups->add_option("--via", ff->via, "Only this channel")->type_name("VIA");
  add_contact_filters(*followups, *ff);
  add_period(*followups, *ff, "touchpoints done or due");
  followups->add_flag("--voided", ff->voided, "Only the touchpoints voided as entered in error");
  add_output_options(*followups, ctx, false);
  set_example(*followups, "refnet list followups --open");
  followups->callback([ff, &ctx] { list_followups(ctx, *ff); });

  auto fe = std::make_shared<Filters>();
  auto* events = sub.add_subcommand("events", "Events, by date");
  events->add_option("--kind", fe->kind, "Only events of this kind")->type_name("KIND");
  events->add_option("--contact", fe->contact, "Only events where this contact was met")
      ->type_name("CONTACT");
  add_period(*events, *fe, "events");
  events->add_flag("--voided", fe->voided, "Only the events voided as entered in error");
  add_output_options(*events, ctx, false);
  set_example(*events, "refnet list events --kind cme --since 2026-01-01");
  events->callback([fe, &ctx] { list_events(ctx, *fe); });
}

}  // namespace refnet::cli
