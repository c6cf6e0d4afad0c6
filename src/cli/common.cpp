// Helpers the command files share: names resolved, ids and dates parsed, audit rows written.
#include "common.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <ostream>
#include <sstream>

#include "domain/contact_ref.hpp"
#include "error.hpp"
#include "io/redact.hpp"
#include "output/json_writer.hpp"
#include "transfer.hpp"

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
    if (const auto voided = ctx.store().voided("referral", id)) {
      throw Error(Exit::data,
                  fmt::format("referral #{} was voided on {}: {}", id,
                              domain::format_local(voided->voided_at), voided->reason),
                  "see it with: refnet list referrals --voided");
    }
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

void plan_followup(Context& ctx, std::int64_t contact_id, std::optional<std::int64_t> referral_id,
                   std::string note, domain::Timestamp due, const char* origin) {
  store::Touchpoint plan;
  plan.contact_id = contact_id;
  plan.referral_id = referral_id;
  plan.via = "call";
  plan.note = std::move(note);
  plan.due = due;
  plan.origin = origin;
  plan.created = ctx.now();
  const auto id = ctx.store().add_touchpoint(plan);
  record_audit(ctx, "plan", "touchpoint", id, std::nullopt);
}

void change_touchpoint(store::Store& store, std::int64_t id,
                       const std::function<void(store::Touchpoint&)>& change) {
  auto touchpoint = store.touchpoint(id);
  if (!touchpoint) throw std::logic_error(fmt::format("no touchpoint #{} to change", id));
  change(*touchpoint);
  store.save_touchpoint(*touchpoint);
}

std::optional<std::string> snapshot(Context& ctx, std::string_view entity, std::int64_t id) {
  auto& store = ctx.store();
  const auto of = [](const auto& description, const auto& found) -> std::optional<std::string> {
    if (!found) return std::nullopt;
    return description.snapshot(*found);
  };
  if (entity == "contact") return of(record::contact(), store.contact(id));
  if (entity == "referral") return of(record::referral(), store.referral(id));
  if (entity == "touchpoint") return of(record::touchpoint(), store.touchpoint(id));
  if (entity == "event") return of(record::event(), store.event(id));
  throw std::logic_error(fmt::format("no audit snapshot of a {}", entity));
}

void record_audit(Context& ctx, std::string_view action, std::string_view entity, std::int64_t id,
                  const std::optional<std::string>& before, std::string_view reason) {
  auto after = snapshot(ctx, entity, id);
  if (!reason.empty()) {
    // A record that is gone (voided) keeps only the reason in the new snapshot. Its key is no
    // field's ("reason" is a referral's own).
    if (!after) after = "{}";
    std::ostringstream quoted;
    output::JsonWriter json(quoted);
    json.value(std::string(reason));
    after->pop_back();
    *after +=
        fmt::format("{}\"{}\":{}}}", after->size() > 1 ? "," : "", audit_why_key, quoted.str());
  }
  ctx.store().audit(action, entity, id, before, after, ctx.actor(), ctx.now(), std::nullopt);
}

std::string audit_changes(const store::AuditEntry& a,
                          const std::function<std::string(std::string_view)>& redact) {
  if (a.action == "restore") return "restored from a backup (see new)";
  if (a.action == "copy") return "copied from another database (see new)";
  if (a.action == "undo" && !a.old_json) return "put back (it was voided)";
  if (a.action == "undo" && !a.new_json) return "taken out";
  if (!a.old_json) return "created";
  if (a.action == "void") {
    for (const auto& c : a.changes) {
      // "reason" in entries written before the key was "why".
      if (c.field == audit_why_key || c.field == "reason") {
        return "voided: " + c.new_value.value_or("");
      }
    }
    return "voided";
  }
  std::string text;
  const auto shown = [&](const store::FieldChange& c, const store::Text& value) -> std::string {
    if (!value) return "∅";
    return redact && c.field == "patient" ? redact(*value) : *value;
  };
  for (const auto& c : a.changes) {
    if (!text.empty()) text += "; ";
    text += fmt::format("{}: {} → {}", c.field, shown(c, c.old_value), shown(c, c.new_value));
  }
  return text.empty() ? "no change" : text;
}

std::optional<std::string> optional_text(const std::string& value) {
  if (value.empty()) return std::nullopt;
  return value;
}

std::function<std::string(std::string_view)> patient_redactor(Context& ctx) {
  if (!ctx.redacting()) return {};
  return [key = transfer::redaction_key(ctx)](std::string_view patient) {
    return io::pseudonym(key, patient);
  };
}

std::string shown_patient(Context& ctx, std::string_view patient) {
  const auto redact = patient_redactor(ctx);
  return redact ? redact(patient) : std::string(patient);
}

void add_output_options(CLI::App& sub, Context& ctx, bool patients) {
  sub.add_option("-o,--output", ctx.output.file,
                 "Write to FILE (created 0600, replaced whole) instead of standard output")
      ->type_name("FILE");
  if (!patients) return;
  auto* redact = sub.add_flag("--redact", ctx.output.redact,
                              "Print patient references as keyed pseudonyms (P-…)");
  auto* keep = sub.add_flag("--no-redact", ctx.output.no_redact,
                            "Print patient references as they are, whatever output.redact says");
  redact->excludes(keep);
}

void set_example(CLI::App& sub, std::string_view example) {
  // After whatever the command's footer already says about its options; a footer it inherited
  // from its parent (CLI11 copies it to every subcommand) is the parent's to say.
  auto before = sub.get_footer();
  if (const auto* parent = sub.get_parent(); parent != nullptr && before == parent->get_footer()) {
    before.clear();
  }
  sub.footer(fmt::format("{}{}\nExample:\n  {}\n", before, before.empty() ? "" : "\n", example));
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
