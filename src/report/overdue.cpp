// report overdue: the action list, what is owed to whom, most overdue first; --check for cron.
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <tuple>
#include <vector>

#include "cli/common.hpp"
#include "report/findings.hpp"

namespace refnet::report {

std::string owed_text(const store::OverdueItem& item, const Redact& redact) {
  const auto referral = item.referral_id.value_or(0);
  const auto patient = redact && item.patient ? redact(*item.patient) : item.patient.value_or("");
  if (item.kind == "acknowledge") {
    return fmt::format("acknowledge referral #{} (patient {})", referral, patient);
  }
  if (item.kind == "chase-acknowledgement") {
    return fmt::format("chase acknowledgement of referral #{} (patient {})", referral, patient);
  }
  if (item.kind == "send-report") {
    return fmt::format("send our report on referral #{} (patient {})", referral, patient);
  }
  if (item.kind == "chase-report") {
    return fmt::format("chase the consultant's report on referral #{} (patient {})", referral,
                       patient);
  }
  if (item.kind == "record-outcome") {
    return fmt::format("record the outcome of the appointment for referral #{} (patient {})",
                       referral, patient);
  }
  if (item.kind == "followup") {
    return fmt::format("planned {} #{}", item.via.value_or("follow-up"),
                       item.touchpoint_id.value_or(0));
  }
  return "get back in touch";
}

std::vector<store::OverdueItem> overdue_items(store::Store& store, const Period& period,
                                              const domain::ServiceLevels& sla) {
  // A keep-in-touch item falls due sla.keep_in_touch after the last activity, counted as every
  // duration is (local calendar days keep the wall-clock time across DST): the store's due is
  // only a fixed span in seconds, so the items are dated here and the list ordered again.
  std::vector<store::OverdueItem> items;
  store.each_overdue(period.at(), domain::keep_in_touch_cutoff(period.as_of, sla),
                     [&](const store::OverdueItem& item) {
                       auto& kept = items.emplace_back(item);
                       if (kept.last_activity) {
                         kept.due = domain::add_duration(*kept.last_activity, sla.keep_in_touch,
                                                         sla.calendar);
                       }
                     });
  std::erase_if(items, [&](const store::OverdueItem& i) {
    return i.due >= period.as_of || (period.since && i.due < *period.since) ||
           (period.until && i.due >= *period.until);
  });
  std::stable_sort(items.begin(), items.end(),
                   [](const store::OverdueItem& a, const store::OverdueItem& b) {
                     return std::tie(a.due, a.kind, a.contact_id, a.referral_id, a.touchpoint_id) <
                            std::tie(b.due, b.kind, b.contact_id, b.referral_id, b.touchpoint_id);
                   });
  return items;
}

namespace {

std::vector<output::Column> columns() {
  return {
      {"late", "Late", true, output::Tone::alert},
      {"kind", "Kind"},
      output::free_text({"owed", "Owed"}),
      output::free_text({"contact", "To"}),
      {"due", "Due"},
      {"late_hours", "Late hours", true, output::Tone::plain, false},
      {"contact_id", "Contact ID", true, output::Tone::plain, false},
      {"referral_id", "Referral", true, output::Tone::plain, false},
      {"followup_id", "Follow-up", true, output::Tone::plain, false},
  };
}

// The action list: everything owed at `period.as_of` as the database stood then, most overdue
// first, each row saying what is owed, to whom and how late. A period keeps the items that fell
// due in [since, until) (refnet(1): an action list's period is when things fell due, not when the
// referral was made). Returns the number of rows written.
std::size_t overdue(store::Store& store, const Period& period, const domain::ServiceLevels& sla,
                    const Redact& redact, output::RowSink& sink) {
  const auto items = overdue_items(store, period, sla);
  sink.begin(columns());
  std::size_t rows = 0;
  for (const auto& item : items) {
    const auto late = period.as_of - item.due;
    auto cell = [](const std::optional<std::int64_t>& v) -> output::Cell {
      if (v) return *v;
      return std::monostate{};
    };
    sink.row({{domain::format_span(late), item.kind, owed_text(item, redact), item.contact_name,
               item.due, static_cast<std::int64_t>(late.count() / 3600), item.contact_id,
               cell(item.referral_id), cell(item.touchpoint_id)}});
    ++rows;
  }
  sink.end();
  return rows;
}

}  // namespace

void wire_overdue(CLI::App& sub, cli::Context& ctx, std::shared_ptr<PeriodOptions> options) {
  auto check = std::make_shared<bool>(false);
  sub.add_flag("--check", *check, "Exit 1 when anything is overdue (for cron)");
  sub.footer(
      "\nEverything owed at --as-of, as the database stood then. With --since/--until: only the"
      " items\nthat fell due in that period.");
  cli::set_example(sub, "refnet report overdue --check --redact -o ~/overdue.txt");
  sub.callback([options, check, &ctx] {
    const auto rows = print_rows(
        ctx, *options,
        [&](const Period& p, output::RowSink& sink) {
          return overdue(ctx.store(), p, ctx.sla(), cli::patient_redactor(ctx), sink);
        },
        "Nothing overdue.");
    if (*check && rows > 0) ctx.status = Exit::check_found;
  });
}

}  // namespace refnet::report
