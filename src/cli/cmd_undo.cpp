// undo: takes back the changes one command made, its change set in the audit trail (refnet(1)
// undo).
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "common.hpp"
#include "error.hpp"

namespace refnet::cli {

namespace {

struct UndoOptions {
  std::string change;
  bool dry_run = false;
};

// A change set as a person recognises it: "#43 (ack of referral #1, 2026-11-02 10:00, ann)".
std::string describe(const std::vector<store::AuditEntry>& entries) {
  const auto& first = entries.front();
  return fmt::format("#{} ({} of {} #{}{}, {}, {})", first.change_set, first.action, first.entity,
                     first.entity_id,
                     entries.size() == 1 ? "" : fmt::format(" and {} more", entries.size() - 1),
                     domain::format_local(first.at), first.actor);
}

// The change set to take back: the one named, or the latest not taken back yet.
std::vector<store::AuditEntry> target(Context& ctx, const UndoOptions& o) {
  auto& store = ctx.store();
  std::int64_t change = 0;
  if (o.change.empty()) {
    const auto last = store.last_undoable_change();
    if (!last) {
      throw Error(Exit::data,
                  "nothing to undo: the audit trail holds no change that is not taken back",
                  "see it with: refnet log");
    }
    change = *last;
  } else {
    change = parse_id(o.change, "change");
  }
  auto entries = store.change_entries(change);
  if (entries.empty() || entries.front().change_set != change) {
    throw Error(Exit::data, fmt::format("no change #{} in the audit trail", change),
                "the Change column of refnet log numbers them");
  }
  if (entries.front().action == "undo") {
    throw Error(Exit::data,
                fmt::format("change #{} is an undo (of change #{}); an undo is not taken back",
                            change, entries.front().undoes.value_or(0)),
                "make the change again instead");
  }
  if (const auto by = store.undone_by(change)) {
    throw Error(Exit::data,
                fmt::format("change #{} was taken back already, by change #{}", change, *by),
                "see it with: refnet log");
  }
  for (const auto& e : entries) {
    if (e.entity == "database") {
      throw Error(Exit::data,
                  fmt::format("change #{} ({} of the whole database, {}) cannot be undone: undo "
                              "takes back what commands did to records",
                              change, e.action, domain::format_local(e.at)),
                  fmt::format("{}restore a backup taken before it (refnet db restore FILE); "
                              "refnet undo N still takes back an older change",
                              e.action == "import" ? "void what it added, or " : ""));
    }
  }
  return entries;
}

// The latest change to the record of entry `e` after e's change set, to name in a refusal.
std::string later_change(Context& ctx, const store::AuditEntry& e) {
  std::optional<store::AuditEntry> later;
  ctx.store().each_audit(e.at, e.entity_id, e.entity, [&](const store::AuditEntry& a) {
    if (a.entity == e.entity && a.entity_id == e.entity_id && a.change_set > e.change_set) {
      later = a;
    }
  });
  // A void lets go of what pointed at the record it voids without an entry of their own.
  if (!later) return "by a change to a record it pointed at (a void, or an undo of one)";
  return fmt::format("by change #{} ({}, {})", later->change_set, later->action,
                     domain::format_local(later->at));
}

[[noreturn]] void refuse(const std::vector<store::AuditEntry>& entries, const std::string& why) {
  throw Error(Exit::data, fmt::format("cannot undo change {}: {}", describe(entries), why),
              "undo the later changes first (refnet undo takes back the latest), or change the "
              "record yourself");
}

// Takes back one entry of the change set, after checking the record is as it left it, and
// writes the undo's own audit entry.
void take_back(Context& ctx, const std::vector<store::AuditEntry>& entries,
               const store::AuditEntry& e, std::int64_t& undo_set) {
  auto& store = ctx.store();
  const auto audit = [&](const store::Text& before) {
    undo_set =
        store.audit("undo", e.entity, e.entity_id, before, snapshot(ctx, e.entity, e.entity_id),
                    ctx.actor(), ctx.now(), entries.front().change_set);
  };
  const auto now = snapshot(ctx, e.entity, e.entity_id);
  // What a record to be put back refers to must be there, and it must not be a second active
  // holder of an NPI, or of a name and practice.
  const auto check_conflicts = [&](const store::Text& as) {
    if (const auto found = store.revert_conflicts(e.entity, e.entity_id, as); !found.empty()) {
      std::string what;
      for (const auto& f : found) what += (what.empty() ? "" : "; ") + f;
      refuse(entries, fmt::format("{} #{} cannot be put back: {}", e.entity, e.entity_id, what));
    }
  };
  if (e.action == "void") {
    if (now || !store.voided(e.entity, e.entity_id)) {
      refuse(entries, fmt::format("{} #{} is no longer voided", e.entity, e.entity_id));
    }
    check_conflicts(std::nullopt);
    store.unvoid_record(e.entity, e.entity_id);
    audit(std::nullopt);
    return;
  }
  if (!e.new_json) return;
  if (!now) {
    const bool voided = store.voided(e.entity, e.entity_id).has_value();
    refuse(entries, fmt::format("{} #{} was {} since, {}", e.entity, e.entity_id,
                                voided ? "voided" : "taken out", later_change(ctx, e)));
  }
  if (const auto differ = store.snapshot_differences(*e.new_json, *now, audit_why_key);
      !differ.empty()) {
    std::string fields;
    for (const auto& f : differ) fields += (fields.empty() ? "" : ", ") + f;
    refuse(entries, fmt::format("{} #{} changed since ({}), {}", e.entity, e.entity_id, fields,
                                later_change(ctx, e)));
  }
  if (!e.old_json) {
    const auto held = store.dependents(e.entity, e.entity_id);
    if (!held.empty()) {
      std::string names;
      for (std::size_t i = 0; i < held.size() && i < 10; ++i) {
        names += (i == 0 ? "" : ", ") + held[i];
      }
      if (held.size() > 10) names += ", …";
      refuse(entries, fmt::format("{} #{} was made by it, and {} refer{} to it", e.entity,
                                  e.entity_id, names, held.size() == 1 ? "s" : ""));
    }
  }
  if (e.old_json) check_conflicts(e.old_json);
  store.revert_record(e.entity, e.entity_id, e.old_json);
  audit(now);
}

// Later entries first, so what was made from a record goes before it; a contact made active
// again goes last, when the NPI it holds is free again (merge moved it to the contact kept).
std::vector<const store::AuditEntry*> undo_order(const std::vector<store::AuditEntry>& entries) {
  std::vector<const store::AuditEntry*> order;
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) order.push_back(&*it);
  // The change archived it (the fields the store read as changed): taking it back reactivates.
  std::stable_partition(order.begin(), order.end(), [](const store::AuditEntry* e) {
    return e->entity != "contact" ||
           std::none_of(e->changes.begin(), e->changes.end(), [](const store::FieldChange& c) {
             return c.field == "archived_at" && !c.old_value && c.new_value;
           });
  });
  return order;
}

void run_undo(Context& ctx, const UndoOptions& o) {
  auto& store = ctx.store();
  store::Store::WriteTransaction tx(store);
  const auto entries = target(ctx, o);
  std::int64_t undo_set = 0;
  for (const auto* e : undo_order(entries)) take_back(ctx, entries, *e, undo_set);
  if (undo_set == 0) {
    throw std::logic_error(
        fmt::format("change #{} had nothing to take back", entries[0].change_set));
  }
  const auto done = store.change_entries(undo_set);
  if (!o.dry_run) tx.commit();
  // Rolled back on a dry run when `tx` goes out of scope.
  const auto redact = patient_redactor(ctx);
  if (ctx.format() == output::Format::table) {
    std::string message =
        fmt::format("{} change {}", o.dry_run ? "Would undo" : "Undid", describe(entries));
    for (const auto& d : done) {
      message += fmt::format("\n  {} #{}: {}", d.entity, d.entity_id, audit_changes(d, redact));
    }
    if (o.dry_run) message += "\nNothing was changed (--dry-run).";
    say(ctx, message);
    return;
  }
  const std::vector<output::Column> columns{{"change_set", "Change", true},
                                            {"entity", "Entity"},
                                            {"entity_id", "Entity ID", true},
                                            output::free_text({"changes", "Changes"}),
                                            {"dry_run", "Dry run"}};
  auto sink = ctx.sink();
  sink->begin(columns);
  for (const auto& d : done) {
    sink->row(std::vector<output::Cell>{entries.front().change_set, d.entity, d.entity_id,
                                        audit_changes(d, redact), o.dry_run});
  }
  sink->end();
}

}  // namespace

void wire_undo(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<UndoOptions>();
  sub.add_option("CHANGE", o->change,
                 "The change to take back, as refnet log numbers it (default: the latest not "
                 "taken back)")
      ->type_name("N");
  sub.add_flag("--dry-run", o->dry_run, "Show what would be taken back; change nothing");
  add_output_options(sub, ctx, true);
  set_example(sub, "refnet undo --dry-run\n  refnet undo");
  sub.callback([o, &ctx] {
    // A dry run changes nothing, a migration included: an older schema is refused as by a
    // command that only reads (refnet(1) FILES).
    if (o->dry_run) ctx.reading = true;
    run_undo(ctx, *o);
  });
}

}  // namespace refnet::cli
