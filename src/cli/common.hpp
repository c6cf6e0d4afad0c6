// Helpers the command files share: naming contacts and referrals, dates, audit rows, cells.
#pragma once

// Helpers shared by the command files: resolving what the user named, parsing option values,
// and the audit step every mutation ends with.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/context.hpp"
#include "domain/time.hpp"
#include "output/json_writer.hpp"
#include "record/records.hpp"
#include "store/records.hpp"

namespace refnet::cli {

// CONTACT as the user typed it: an id, an NPI, or part of a name (refnet(1) "Naming a contact or a
// referral").
std::int64_t resolve_contact(Context& ctx, std::string_view text);
store::Contact require_contact(Context& ctx, std::string_view text);
// REFERRAL: a numeric id, optionally written "#12".
store::Referral require_referral(Context& ctx, std::string_view text);
std::int64_t parse_id(std::string_view text, std::string_view what);

// A date option: the user's text parsed against the (possibly fixed) clock.
domain::ParsedDate parse_date(Context& ctx, std::string_view text, domain::Toward toward,
                              std::string_view what);
// --since: start of the named day; --until: the named day (or instant) is included, so the
// result is an exclusive end: the next midnight, or the instant plus one second.
domain::Timestamp parse_since(Context& ctx, std::string_view text);
domain::Timestamp parse_until(Context& ctx, std::string_view text);

// The audit snapshot of `entity` #id as it stands (its description's audited fields), or
// nullopt when there is no such record.
std::optional<std::string> snapshot(Context& ctx, std::string_view entity, std::int64_t id);

// A call the service levels plan (refnet(1) "Service levels"), due at `due`, written with its
// audit row, in the caller's transaction.
void plan_followup(Context& ctx, std::int64_t contact_id, std::optional<std::int64_t> referral_id,
                   std::string note, domain::Timestamp due, const char* origin);

// Changes one stored record: `change` edits it as read, then it is saved whole.
void change_touchpoint(store::Store& store, std::int64_t id,
                       const std::function<void(store::Touchpoint&)>& change);

// The member of an audit snapshot that holds why a change was made, not a field of the record.
inline constexpr std::string_view audit_why_key = "why";

// Writes the audit row for a change to `entity` #id, whose fields were `before` (nullopt for a
// creation), in the caller's transaction. A `reason` (a correction's, a void's) is kept in the
// new snapshot as its member audit_why_key; for a record that is gone (voided) it is all there
// is.
void record_audit(Context& ctx, std::string_view action, std::string_view entity, std::int64_t id,
                  const std::optional<std::string>& before, std::string_view reason = {});

// What an audit entry changed, in words for `log` and `undo`: "status: "new" → "seen"; ...",
// "created", "voided: REASON", "taken out"; `redact`, when given, replaces patient references.
std::string audit_changes(const store::AuditEntry& a,
                          const std::function<std::string(std::string_view)>& redact);

// An empty string means "not given".
std::optional<std::string> optional_text(const std::string& value);

// Adds the example shown at the end of `--help`.
void set_example(CLI::App& sub, std::string_view example);

// Column/cell pairs as one record (for print_record).
std::vector<output::Field> as_fields(const std::vector<output::Column>& columns,
                                     std::vector<output::Cell> cells);

// A record's listed fields as one record, as list and show print them; `redact`, when given,
// replaces its patient references (see patient_redactor).
template <class R>
std::vector<output::Field> listed_fields(
    const record::Description<R>& description, const R& record,
    const std::function<std::string(std::string_view)>& redact = {}) {
  return as_fields(description.columns(record::listed),
                   description.cells(record, record::listed, redact));
}

// How this command prints a patient reference: empty (as it is) unless Context::redacting(),
// else the database's keyed pseudonym (P-…, as export --redact writes it).
std::function<std::string(std::string_view)> patient_redactor(Context& ctx);
// `patient` as this command prints it.
std::string shown_patient(Context& ctx, std::string_view patient);

// -o FILE, and with `patients` --redact and --no-redact: the options of a command that prints
// data, bound to ctx.output.
void add_output_options(CLI::App& sub, Context& ctx, bool patients);

// A message for people in table mode (stdout), nothing in machine formats.
void say(Context& ctx, std::string_view message);

// Nullable values as cells.
output::Cell cell(const std::optional<std::string>& v);
output::Cell cell(const std::optional<domain::Timestamp>& v);
output::Cell cell(const std::optional<std::int64_t>& v);

}  // namespace refnet::cli
