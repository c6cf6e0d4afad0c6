#include "common.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <ostream>

#include "domain/contact_ref.hpp"
#include "error.hpp"

namespace refnet::cli {

using output::Cell;
using output::Column;

std::int64_t parse_id(std::string_view text, std::string_view what) {
  std::string_view digits = text;
  if (!digits.empty() && digits.front() == '#') digits.remove_prefix(1);
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || id <= 0) {
    throw Error(Exit::usage, fmt::format("invalid {} '{}': expected a number", what, text));
  }
  return id;
}

std::int64_t resolve_contact(Context& ctx, std::string_view text) {
  auto& store = ctx.store();
  switch (domain::classify_contact_ref(text)) {
    case domain::ContactRefKind::id: {
      const auto id = parse_id(text, "contact id");
      if (!store.contact(id)) {
        throw Error(Exit::data, fmt::format("no contact with id {}", id),
                    "list them with: refnet list contacts");
      }
      return id;
    }
    case domain::ContactRefKind::npi: {
      if (auto id = store.contact_id_by_npi(text)) return *id;
      throw Error(Exit::data, fmt::format("no contact with NPI {}", text),
                  "list them with: refnet list contacts");
    }
    case domain::ContactRefKind::name_part:
      break;
  }
  if (text.empty()) throw Error(Exit::usage, "a contact name cannot be empty");
  return domain::resolve_contact(text, store.contacts_matching(text));
}

store::Contact require_contact(Context& ctx, std::string_view text) {
  return *ctx.store().contact(resolve_contact(ctx, text));
}

store::Referral require_referral(Context& ctx, std::string_view text) {
  const auto id = parse_id(text, "referral id");
  auto referral = ctx.store().referral(id);
  if (!referral) {
    throw Error(Exit::data, fmt::format("no referral #{}", id),
                "list them with: refnet list referrals");
  }
  return *referral;
}

domain::ParsedDate parse_date(Context& ctx, std::string_view text, domain::Toward toward,
                              std::string_view what) {
  return domain::parse_user_date(text, ctx.now(), toward, what);
}

domain::Timestamp parse_since(Context& ctx, std::string_view text) {
  return parse_date(ctx, text, domain::Toward::past, "--since").at;
}

domain::Timestamp parse_until(Context& ctx, std::string_view text) {
  const auto parsed = parse_date(ctx, text, domain::Toward::past, "--until");
  // "Up to and including": an instant is included too, and times are whole seconds.
  if (!parsed.date_only) return parsed.at + std::chrono::seconds(1);
  // A named day is included whole.
  const auto day = std::chrono::sys_days(domain::local_date(parsed.at)) + std::chrono::days(1);
  return domain::local_midnight(std::chrono::year_month_day(day));
}

void record_audit(Context& ctx, std::string_view action, std::string_view entity, std::int64_t id,
                  const std::optional<std::string>& before) {
  auto& store = ctx.store();
  store.audit(action, entity, id, before, store.snapshot(entity, id), ctx.actor(), ctx.now());
}

std::optional<std::string> optional_text(const std::string& value) {
  if (value.empty()) return std::nullopt;
  return value;
}

void set_example(CLI::App& sub, std::string_view example) {
  sub.footer(fmt::format("\nExample:\n  {}\n", example));
}

Cell cell(const std::optional<std::string>& v) {
  if (v) return *v;
  return std::monostate{};
}

Cell cell(const std::optional<domain::Timestamp>& v) {
  if (v) return *v;
  return std::monostate{};
}

Cell cell(const std::optional<std::int64_t>& v) {
  if (v) return *v;
  return std::monostate{};
}

std::vector<Column> contact_columns() {
  return {{"id", "ID", true},
          {"name", "Name"},
          {"role", "Role"},
          {"specialty", "Specialty"},
          {"practice", "Practice"},
          {"npi", "NPI"},
          {"phone", "Phone", false, output::Tone::plain, false},
          {"email", "Email", false, output::Tone::plain, false},
          {"city", "City"},
          {"source", "Source"},
          {"event", "Event", false, output::Tone::plain, false},
          {"tags", "Tags"},
          {"note", "Note", false, output::Tone::plain, false},
          {"created", "Created", false, output::Tone::plain, false},
          {"archived", "Archived", false, output::Tone::plain, false}};
}

std::vector<Cell> contact_cells(const store::Contact& c) {
  std::string tags;
  for (const auto& t : c.tags) tags += (tags.empty() ? "" : ",") + t;
  return {c.id,
          c.name,
          c.role,
          cell(c.specialty),
          cell(c.practice),
          cell(c.npi),
          cell(c.phone),
          cell(c.email),
          cell(c.city),
          cell(c.source),
          cell(c.event_name),
          tags.empty() ? Cell{} : Cell{tags},
          cell(c.note),
          c.created,
          cell(c.archived)};
}

std::vector<Column> referral_columns() {
  return {{"id", "ID", true},
          {"direction", "Dir"},
          {"contact_id", "Contact ID", true, output::Tone::plain, false},
          {"contact", "Contact"},
          {"patient", "Patient"},
          {"reason", "Reason"},
          {"urgency", "Urgency"},
          {"status", "Status"},
          {"referred", "Referred"},
          {"acknowledge_due", "Ack due"},
          {"acknowledged", "Acknowledged", false, output::Tone::plain, false},
          {"scheduled", "Scheduled", false, output::Tone::plain, false},
          {"seen", "Seen", false, output::Tone::plain, false},
          {"closed", "Closed", false, output::Tone::plain, false},
          {"declined", "Declined", false, output::Tone::plain, false},
          {"cancelled", "Cancelled", false, output::Tone::plain, false},
          {"no_show", "No-show", false, output::Tone::plain, false},
          {"report_due", "Report due", false, output::Tone::plain, false},
          {"decline_reason", "Decline reason", false, output::Tone::plain, false},
          {"note", "Note", false, output::Tone::plain, false}};
}

std::vector<Cell> referral_cells(const store::Referral& r) {
  return {r.id,
          std::string(domain::to_string(r.direction)),
          r.contact_id,
          r.contact_name,
          r.patient,
          cell(r.reason),
          std::string(domain::to_string(r.urgency)),
          std::string(domain::to_string(r.status)),
          r.referred,
          r.acknowledge_due,
          cell(r.acknowledged),
          cell(r.scheduled),
          cell(r.seen),
          cell(r.closed),
          cell(r.declined),
          cell(r.cancelled),
          cell(r.no_show),
          cell(r.report_due),
          cell(r.decline_reason),
          cell(r.note)};
}

std::vector<Column> touchpoint_columns() {
  return {{"id", "ID", true},
          {"contact_id", "Contact ID", true, output::Tone::plain, false},
          {"contact", "Contact"},
          {"state", "State"},
          {"via", "Via"},
          {"due", "Due"},
          {"done_at", "Done"},
          {"referral_id", "Referral", true, output::Tone::plain, false},
          {"origin", "Origin", false, output::Tone::plain, false},
          {"satisfied_by", "Satisfied by", true, output::Tone::plain, false},
          {"dismissed_at", "Dismissed", false, output::Tone::plain, false},
          {"note", "Note", false, output::Tone::plain, false},
          {"created", "Created", false, output::Tone::plain, false}};
}

std::vector<Cell> touchpoint_cells(const store::Touchpoint& t) {
  return {t.id,     t.contact_id,         t.contact_name,       t.state(),
          t.via,    cell(t.due),          cell(t.done_at),      cell(t.referral_id),
          t.origin, cell(t.satisfied_by), cell(t.dismissed_at), cell(t.note),
          t.created};
}

std::vector<Column> event_columns() {
  return {{"id", "ID", true},
          {"name", "Name"},
          {"kind", "Kind"},
          {"date", "Date"},
          {"location", "Location"},
          {"met", "Met", true},
          {"note", "Note", false, output::Tone::plain, false}};
}

std::vector<Cell> event_cells(const store::Event& e) {
  return {e.id,        e.name,      e.kind, output::DateCell{e.date}, cell(e.location),
          e.met_count, cell(e.note)};
}

std::vector<output::Field> as_fields(const std::vector<Column>& columns, std::vector<Cell> cells) {
  std::vector<output::Field> fields;
  fields.reserve(columns.size());
  for (std::size_t i = 0; i < columns.size(); ++i) {
    fields.push_back({columns[i], std::move(cells[i])});
  }
  return fields;
}

void say(Context& ctx, std::string_view message) {
  if (ctx.format() != output::Format::table) return;
  // Messages quote stored names, and a name must never drive the terminal: each line is made
  // safe on its own so the message keeps its line breaks.
  std::size_t start = 0;
  while (start <= message.size()) {
    const auto end = std::min(message.find('\n', start), message.size());
    ctx.out << output::sanitize_for_terminal(message.substr(start, end - start)) << '\n';
    start = end + 1;
  }
}

}  // namespace refnet::cli
