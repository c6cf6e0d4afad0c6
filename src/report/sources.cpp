// report sources: which channels and events bring patients, by the inbound referrals of the
// period.
#include <algorithm>
#include <map>
#include <memory>

#include "cli/common.hpp"
#include "report/findings.hpp"

namespace refnet::report {

namespace {

std::vector<output::Column> columns() {
  return {
      {"by", "By", false, output::Tone::dim},
      output::free_text({"name", "Name"}),
      {"date", "Date"},
      {"referrals", "Referrals", true, output::Tone::bold},
      {"share", "Share %", true},
      {"contacts", "Contacts", true},
      {"event_id", "Event ID", true, output::Tone::plain, false},
  };
}

// Named lines by referrals, most first, then by name, then the later event; the unattributed
// line ("unknown", "no event") last.
void put_in_order(std::vector<Share>& lines, std::string_view unattributed) {
  std::stable_sort(lines.begin(), lines.end(), [&](const Share& a, const Share& b) {
    const bool a_none = !a.event && a.name == unattributed;
    const bool b_none = !b.event && b.name == unattributed;
    if (a_none != b_none) return b_none;
    if (a.referrals != b.referrals) return a.referrals > b.referrals;
    if (const auto by_name = compare_names(a.name, b.name); by_name != 0) return by_name < 0;
    const std::string a_date = a.event ? a.event->date : "";
    const std::string b_date = b.event ? b.event->date : "";
    return a_date > b_date;
  });
}

// Both sections, each adding up to all inbound referrals. Returns the number of rows written.
std::size_t sources(store::Store& store, const Period& period, output::RowSink& sink) {
  const auto shares = source_shares(store, period);
  sink.begin(columns());
  const auto put = [&](const char* by, const Share& s) {
    const double share = share_percent(s, shares.total);
    output::Cell date = std::monostate{};
    output::Cell event_id = std::monostate{};
    if (s.event) {
      date = output::DateCell{s.event->date};
      event_id = s.event->id;
    }
    sink.row({{std::string(by), s.name, date, s.referrals, share, s.contacts, event_id}});
  };
  for (const auto& s : shares.by_source) put("source", s);
  for (const auto& e : shares.by_event) put("event", e);
  sink.end();
  return shares.by_source.size() + shares.by_event.size();
}

}  // namespace

// Which channels bring patients: the period's inbound referrals (from the beginning unless
// --since), counted per referring contact, each contact then attributed to one source channel
// and one event, so both sections add up to all inbound referrals and `share` is the percent of
// them. Event attribution: the contact's own event (add --event) wins; otherwise the most recent
// event they were recorded at with `event --met` (last-touch attribution: the latest meeting is
// the one that renewed the relationship). Events dated after as-of had not happened yet and get
// no credit.
SourceShares source_shares(store::Store& store, const Period& period) {
  const auto origins = store.referrer_origins(period.since, referral_end(period),
                                              domain::format_local_date(period.as_of));
  SourceShares shares;
  std::map<std::string, Share> by_source;
  std::map<std::int64_t, Share> by_event;  // 0: no event
  for (const auto& o : origins) {
    shares.total += o.referrals;
    const std::string source = o.source.value_or("unknown");
    auto& s = by_source[source];
    s.name = source;
    s.referrals += o.referrals;
    ++s.contacts;
    const auto& event = o.own_event ? o.own_event : o.last_met_event;
    auto& e = by_event[event ? event->id : 0];
    e.name = event ? event->name : "no event";
    e.event = event;
    e.referrals += o.referrals;
    ++e.contacts;
  }
  for (auto& [name, s] : by_source) shares.by_source.push_back(std::move(s));
  for (auto& [id, e] : by_event) shares.by_event.push_back(std::move(e));
  put_in_order(shares.by_source, "unknown");
  put_in_order(shares.by_event, "no event");
  return shares;
}

double share_percent(const Share& share, std::int64_t total) {
  if (total == 0) return 0.0;
  return round_to_tenth(100.0 * static_cast<double>(share.referrals) / static_cast<double>(total));
}

void wire_sources(CLI::App& sub, cli::Context& ctx, std::shared_ptr<PeriodOptions> options) {
  cli::set_example(sub, "refnet report sources --since 2026-01-01");
  sub.callback([options, &ctx] {
    print_rows(
        ctx, *options,
        [&](const Period& p, output::RowSink& sink) { return sources(ctx.store(), p, sink); },
        "No inbound referrals in the period.");
  });
}

}  // namespace refnet::report
