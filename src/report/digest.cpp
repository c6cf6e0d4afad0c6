// report digest: the Monday page, composed from what the other reports find, as text, json or a
// self-contained html page.
#include "report/digest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <tuple>

#include "cli/common.hpp"
#include "error.hpp"
#include "output/document.hpp"
#include "report/findings.hpp"

namespace refnet::report {

namespace {

// The width of a plain-text mail (RFC 5322 recommends lines of at most 78 characters).
constexpr std::size_t mail_columns = 78;

using std::chrono::days;
using std::chrono::sys_days;

constexpr int default_days = 7;
constexpr int rates_days = 90;
constexpr int weeks_shown = 12;
constexpr auto coming = days(7);
// Each list shows this many rows and says how many more there are.
constexpr std::size_t listed = 10;

// The same local time `n` local days earlier.
domain::Timestamp days_before(domain::Timestamp t, int n) {
  const auto day = domain::local_date(t);
  const auto offset = t - domain::local_midnight(day);
  return domain::local_midnight(domain::LocalDate(sys_days(day) - days(n))) + offset;
}

int local_days(domain::Timestamp start, domain::Timestamp end) {
  const auto first = sys_days(domain::local_date(start));
  const auto last = sys_days(domain::local_date(end - std::chrono::seconds(1)));
  return static_cast<int>((last - first).count()) + 1;
}

// A column a narrow table (a mail, a small terminal) leaves out: the others tell the story.
output::Column droppable(output::Column column) {
  column.drops = true;
  return column;
}

output::Column count_column(const char* key, const char* title) {
  return {key, title, true};
}

output::Cell optional_cell(const std::optional<double>& v) {
  if (v) return *v;
  return std::monostate{};
}

output::Cell id_cell(const std::optional<std::int64_t>& v) {
  if (v) return *v;
  return std::monostate{};
}

output::Field figure(const char* key, const char* title, output::Cell value) {
  return {{key, title}, std::move(value)};
}

// Shows the first `listed` rows and counts the rest.
template <class T>
std::size_t shown_count(const std::vector<T>& rows, output::DocTable& table) {
  const std::size_t shown = std::min(rows.size(), listed);
  table.left_out = static_cast<std::int64_t>(rows.size() - shown);
  return shown;
}

struct Inputs {
  store::Store& store;
  const DigestWindows& w;
  domain::ServiceLevels sla;
  AtRiskSettings at_risk;
  int closed_loop_target = 80;
  Redact redact;
};

std::string patient_text(const Inputs& in, const store::Text& patient) {
  if (!patient) return "";
  return in.redact ? in.redact(*patient) : *patient;
}

// What needs doing: the overdue list at as-of, whatever the period (README "overdue"), counted
// by kind and its most overdue items named.
output::DocSection actions(const Inputs& in) {
  Period now = in.w.period;
  now.since.reset();
  now.until.reset();
  const auto items = overdue_items(in.store, now, in.sla);
  output::DocSection s{"actions", "What needs doing"};
  s.note = "Everything overdue as of " + domain::format_local(now.as_of) + ".";
  s.figures.push_back(figure("overdue", "Overdue", static_cast<std::int64_t>(items.size())));
  output::DocTable by_kind{"by_kind", "By kind"};
  by_kind.columns = {{"kind", "Kind"}, count_column("count", "Count")};
  std::map<std::string, std::int64_t> counts;
  for (const auto& item : items) ++counts[item.kind];
  for (const char* kind : {"acknowledge", "chase-acknowledgement", "send-report", "chase-report",
                           "record-outcome", "followup", "keep-in-touch"}) {
    if (const auto it = counts.find(kind); it != counts.end()) {
      by_kind.rows.push_back({std::string(kind), it->second});
    }
  }
  output::DocTable urgent{"most_urgent", "Most overdue"};
  urgent.columns = {{"late", "Late", true, output::Tone::alert},
                    {"kind", "Kind"},
                    output::free_text({"owed", "Owed"}),
                    output::free_text({"contact", "To"}),
                    {"due", "Due"},
                    {"contact_id", "Contact ID", true, output::Tone::plain, false},
                    {"referral_id", "Referral", true, output::Tone::plain, false}};
  urgent.full_list = "refnet report overdue";
  for (std::size_t i = 0; i < shown_count(items, urgent); ++i) {
    const auto& item = items[i];
    urgent.rows.push_back({domain::format_span(now.as_of - item.due), item.kind,
                           owed_text(item, in.redact), item.contact_name, item.due, item.contact_id,
                           id_cell(item.referral_id)});
  }
  if (items.empty()) s.empty = "Nothing is overdue.";
  s.tables.push_back(std::move(by_kind));
  s.tables.push_back(std::move(urgent));
  return s;
}

// Referrals in and out: the period against the days just before and the same days a year
// earlier, and the last 12 weeks drawn.
output::DocSection referrals(const Inputs& in) {
  const auto& w = in.w;
  output::DocSection s{"referrals", "Referrals in and out"};
  output::DocTable compare{"compare", ""};
  compare.columns = {
      {"period", "Period"},     {"from", "From"},           {"to", "To"},
      count_column("in", "In"), count_column("out", "Out"), count_column("total", "Total")};
  const auto last_day = [](domain::Timestamp end) {
    return output::DateCell{domain::format_local_date(end - std::chrono::seconds(1))};
  };
  bool any = false;
  std::int64_t this_in = 0, this_out = 0;
  for (const auto& [name, start, end] :
       {std::tuple{"this period", w.start, w.end},
        std::tuple{"previous period", w.previous_start, w.previous_end},
        std::tuple{"a year earlier", w.year_start, w.year_end}}) {
    const auto c = in.store.referral_counts({start, end}).at(0);
    if (compare.rows.empty()) {
      this_in = c.referrals_in;
      this_out = c.referrals_out;
    }
    any = any || c.referrals_in + c.referrals_out > 0;
    compare.rows.push_back({std::string(name), output::DateCell{domain::format_local_date(start)},
                            last_day(end), c.referrals_in, c.referrals_out,
                            c.referrals_in + c.referrals_out});
  }
  compare.tones = {output::Tone::bold};
  s.figures = {figure("in", "In", this_in), figure("out", "Out", this_out)};

  output::DocTable weeks{"weeks", "The last 12 weeks"};
  weeks.columns = {
      {"week", "Week"}, {"start", "Start"}, count_column("in", "In"), count_column("out", "Out")};
  std::vector<domain::Timestamp> bounds;
  for (const auto& b : w.weeks) bounds.push_back(b.start);
  bounds.push_back(w.end);
  const auto counts = in.store.referral_counts(bounds);
  for (std::size_t i = 0; i < counts.size(); ++i) {
    any = any || counts[i].referrals_in + counts[i].referrals_out > 0;
    weeks.rows.push_back({w.weeks[i].label,
                          output::DateCell{domain::format_date(w.weeks[i].first_day)},
                          counts[i].referrals_in, counts[i].referrals_out});
  }
  weeks.chart = output::ChartKind::columns;
  weeks.chart_title = "Referrals in and out per week, last 12 weeks";
  weeks.label_key = "week";
  weeks.series = {"in", "out"};
  if (!any) s.empty = "No referrals this period, the one before, a year earlier or in 12 weeks.";
  s.tables.push_back(std::move(compare));
  s.tables.push_back(std::move(weeks));
  return s;
}

// Who to thank: the period's referrers nobody has touched base with since their referral.
output::DocSection thanks(const Inputs& in) {
  const auto referrers = in.store.referrer_touches(in.w.start, in.w.end, in.w.period.as_of);
  const auto owed = thanks_owed(referrers, in.w.period.as_of);
  output::DocSection s{"thanks", "Who to thank"};
  s.note = "Referrers of the period with no touchpoint since their last referral.";
  output::DocTable table{"referrers", ""};
  table.columns = {output::free_text({"contact", "Contact"}),
                   {"contact_id", "Contact ID", true, output::Tone::plain, false},
                   count_column("referrals", "Referrals"),
                   {"last_referral", "Last referral"},
                   {"last_touch", "Last touchpoint"}};
  for (std::size_t i = 0; i < shown_count(owed, table); ++i) {
    const auto& r = owed[i];
    table.rows.push_back(
        {r.contact_name, r.contact_id, r.referrals, r.last_referral, cli::cell(r.last_touch)});
  }
  if (referrers.empty()) {
    s.empty = "No referrals came in this period.";
  } else if (owed.empty() &&
             std::none_of(referrers.begin(), referrers.end(), [&](const store::ReferrerTouch& r) {
               return !r.archived || *r.archived > in.w.period.as_of;
             })) {
    s.empty = "Everyone who referred this period has been archived since.";
  } else if (owed.empty()) {
    s.empty = "Everyone who referred this period has heard from you since.";
  }
  s.tables.push_back(std::move(table));
  return s;
}

// Referrers at risk, as report at-risk grades them over windows ending with the period, each
// with its inbound referrals per month over both windows.
output::DocSection at_risk_section(const Inputs& in, const AtRiskWindows& windows,
                                   const store::ContactWindows& counts) {
  const auto graded = at_risk_referrers(counts.volumes, windows, in.at_risk);
  output::DocSection s{"at_risk", "Referrers at risk"};
  s.note = fmt::format("Inbound referrals {} to {} against the baseline from {}; trend per month.",
                       domain::format_local_date(windows.recent_start),
                       domain::format_local_date(windows.end - std::chrono::seconds(1)),
                       domain::format_local_date(windows.baseline_start));
  output::DocTable table{"referrers", ""};
  table.columns = {{"grade", "Grade", false, output::Tone::bold},
                   output::free_text({"contact", "Contact"}),
                   {"contact_id", "Contact ID", true, output::Tone::plain, false},
                   count_column("baseline", "Baseline"),
                   count_column("recent", "Recent"),
                   droppable(count_column("expected", "Expected")),
                   droppable(count_column("drop_percent", "Drop %")),
                   {"last_referral", "Last referral"},
                   {"trend", "Trend"}};
  table.sparkline_key = "trend";
  table.full_list = "refnet report at-risk";
  std::vector<domain::Timestamp> months;
  for (Bucket b = bucket_of(windows.baseline_start, TrendBucket::month); b.start < windows.end;
       b = next_bucket(b, TrendBucket::month)) {
    months.push_back(std::max(b.start, windows.baseline_start));
  }
  for (std::size_t i = 0; i < shown_count(graded, table); ++i) {
    const auto& g = graded[i];
    store::ReferralFilter filter;
    filter.direction = domain::Direction::in;
    filter.contact_id = g.volume.contact_id;
    filter.since = windows.baseline_start;
    filter.until = windows.end;
    std::vector<domain::Timestamp> times;
    in.store.each_referral(filter, [&](const store::Referral& r) { times.push_back(r.referred); });
    std::string trend = "[";
    for (const auto n : counts_per_bucket(months, times)) {
      trend += (trend.size() > 1 ? "," : "") + std::to_string(n);
    }
    table.rows.push_back({g.grade, g.volume.contact_name, g.volume.contact_id, g.volume.baseline,
                          g.volume.recent, g.expected, g.drop_percent,
                          cli::cell(g.volume.last_referral), output::RawJson{trend + "]"}});
    table.tones.push_back(g.grade == "critical" ? output::Tone::alert
                          : g.grade == "high"   ? output::Tone::warn
                                                : output::Tone::plain);
  }
  if (graded.empty()) s.empty = "No referrer is at risk.";
  s.tables.push_back(std::move(table));
  return s;
}

// Relationships that went both ways in at-risk's baseline window and only one way since.
output::DocSection one_sided(const AtRiskWindows& windows, const store::ContactWindows& counts) {
  const auto rows = gone_one_sided(counts.before, counts.recent);
  output::DocSection s{"one_sided", "Relationships gone one-sided"};
  s.note = fmt::format("Referrals went both ways {} to {}, and one way only since.",
                       domain::format_local_date(windows.baseline_start),
                       domain::format_local_date(windows.recent_start - std::chrono::seconds(1)));
  output::DocTable table{"contacts", ""};
  table.columns = {output::free_text({"contact", "Contact"}),
                   {"contact_id", "Contact ID", true, output::Tone::plain, false},
                   output::free_text({"flag", "Now", false, output::Tone::warn}),
                   count_column("before_in", "In before"),
                   count_column("before_out", "Out before"),
                   count_column("recent_in", "In since"),
                   count_column("recent_out", "Out since")};
  table.full_list = "refnet report reciprocity";
  for (std::size_t i = 0; i < shown_count(rows, table); ++i) {
    const auto& r = rows[i];
    table.rows.push_back({r.recent.contact_name, r.recent.contact_id,
                          reciprocity_flag(r.recent.referrals_in, r.recent.referrals_out),
                          r.before.referrals_in, r.before.referrals_out, r.recent.referrals_in,
                          r.recent.referrals_out});
  }
  if (rows.empty()) s.empty = "No relationship has gone one-sided.";
  s.tables.push_back(std::move(table));
  return s;
}

const domain::Duration& acknowledge_target(const domain::ServiceLevels& sla, std::size_t urgency) {
  if (urgency == 1) return sla.acknowledge_urgent;
  if (urgency == 2) return sla.acknowledge_emergent;
  return sla.acknowledge_routine;
}

// The closed-loop rate per direction against report.closed_loop_target, and the median time to
// acknowledge per direction and urgency against sla.acknowledge.*, over the last 90 days: a loop
// takes weeks to close, so a week's own referrals would say little.
output::DocSection loops(const Inputs& in) {
  Period rates = in.w.period;
  rates.since = in.w.rates_start;
  output::DocSection s{"loops", "Closed loops and turnaround"};
  s.note = fmt::format("Referrals made {} to {}.", domain::format_local_date(in.w.rates_start),
                       domain::format_local_date(in.w.end - std::chrono::seconds(1)));
  const auto counts = in.store.closed_loop_counts(rates.since, in.w.end, rates.as_of);
  const auto totals = closed_loop_totals(counts);
  output::DocTable loop{"closed_loop", "Closed-loop rate"};
  loop.columns = {{"direction", "Dir"},
                  count_column("referrals", "Referrals"),
                  count_column("closed", "Closed"),
                  count_column("rate_percent", "Rate %"),
                  count_column("target_percent", "Target %"),
                  {"met", "Met"}};
  for (std::size_t d = 0; d < loop_directions.size(); ++d) {
    const auto& t = totals.at(d);
    if (t.referrals == 0) continue;
    const auto rate = closed_loop_rate(t.closed, t.referrals);
    const bool met = rate && *rate >= in.closed_loop_target;
    loop.rows.push_back({std::string(loop_directions.at(d)), t.referrals, t.closed,
                         optional_cell(rate), static_cast<std::int64_t>(in.closed_loop_target),
                         met});
    loop.tones.push_back(met ? output::Tone::plain : output::Tone::warn);
  }

  const auto ranks = turnaround_ranks(in.store, rates);
  output::DocTable ack{"acknowledgement", "Time to acknowledge"};
  ack.columns = {{"direction", "Dir"},
                 {"urgency", "Urgency"},
                 count_column("count", "Count"),
                 count_column("median_hours", "Median h"),
                 {"target", "Target"},
                 count_column("target_hours", "Target h"),
                 {"met", "Met"}};
  for (std::size_t d = 0; d < turnaround_directions.size(); ++d) {
    for (std::size_t u = 0; u < domain::urgencies.size(); ++u) {
      const StepRank& r = ranks[d][0][u];  // step 0: acknowledged
      if (r.n == 0) continue;
      const auto& target = acknowledge_target(in.sla, u);
      const double limit = target_hours(target);
      const double median = hours(r.median_secs);
      ack.rows.push_back({std::string(turnaround_directions[d]), std::string(domain::urgencies[u]),
                          r.n, median, domain::format_duration(target), round_to_tenth(limit),
                          median <= limit});
      ack.tones.push_back(median <= limit ? output::Tone::plain : output::Tone::warn);
    }
  }
  if (loop.rows.empty()) s.empty = "No referrals in the last 90 days.";
  s.tables.push_back(std::move(loop));
  s.tables.push_back(std::move(ack));
  return s;
}

// The coming 7 days from as-of: planned follow-ups and booked appointments.
output::DocSection coming_days(const Inputs& in) {
  const auto& p = in.w.period;
  const auto items = in.store.upcoming(p.at(), p.as_of + coming);
  output::DocSection s{"coming", "The coming 7 days"};
  s.note = fmt::format("Follow-ups due and appointments booked from {} to {}.",
                       domain::format_local(p.as_of), domain::format_local(p.as_of + coming));
  std::int64_t followups = 0;
  for (const auto& item : items) followups += item.kind == "followup" ? 1 : 0;
  s.figures = {
      figure("followups", "Follow-ups", followups),
      figure("appointments", "Appointments", static_cast<std::int64_t>(items.size()) - followups)};
  output::DocTable table{"items", ""};
  table.columns = {{"when", "When"},
                   {"kind", "Kind"},
                   output::free_text({"what", "What"}),
                   output::free_text({"contact", "With"}),
                   {"contact_id", "Contact ID", true, output::Tone::plain, false},
                   {"referral_id", "Referral", true, output::Tone::plain, false},
                   {"followup_id", "Follow-up", true, output::Tone::plain, false}};
  table.full_list = "refnet list followups, refnet list referrals";
  for (std::size_t i = 0; i < shown_count(items, table); ++i) {
    const auto& item = items[i];
    const std::string what =
        item.kind == "followup"
            ? fmt::format("planned {} #{}", item.via.value_or("follow-up"),
                          item.touchpoint_id.value_or(0))
            : fmt::format("appointment for referral #{} (patient {})", item.referral_id.value_or(0),
                          patient_text(in, item.patient));
    table.rows.push_back({item.at, item.kind, what, item.contact_name, item.contact_id,
                          id_cell(item.referral_id), id_cell(item.touchpoint_id)});
  }
  if (items.empty()) s.empty = "Nothing is planned for the coming 7 days.";
  s.tables.push_back(std::move(table));
  return s;
}

// Where the period's inbound referrals came from, as report sources attributes them.
output::DocSection sources_section(const Inputs& in) {
  const auto shares = source_shares(in.store, in.w.period);
  output::DocSection s{"sources", "Where referrals came from"};
  s.figures = {figure("referrals_in", "Inbound referrals", shares.total)};
  const auto table_of = [&](const char* key, const char* title, const std::vector<Share>& lines,
                            bool events) {
    output::DocTable table{key, title};
    table.columns = {output::free_text({"name", events ? "Event" : "Source"}),
                     {"date", "Date"},
                     {"event_id", "Event ID", true, output::Tone::plain, false},
                     count_column("referrals", "Referrals"),
                     count_column("share", "Share %"),
                     count_column("contacts", "Contacts")};
    if (!events) table.columns.erase(table.columns.begin() + 1, table.columns.begin() + 3);
    table.full_list = "refnet report sources";
    for (std::size_t i = 0; i < shown_count(lines, table); ++i) {
      const auto& line = lines[i];
      std::vector<output::Cell> row{line.name};
      if (events) {
        row.emplace_back(line.event ? output::Cell{output::DateCell{line.event->date}}
                                    : output::Cell{});
        row.emplace_back(line.event ? output::Cell{line.event->id} : output::Cell{});
      }
      row.insert(row.end(), {line.referrals, share_percent(line, shares.total), line.contacts});
      table.rows.push_back(std::move(row));
    }
    table.chart = output::ChartKind::bars;
    table.chart_title = fmt::format("Inbound referrals by {}", events ? "event" : "source");
    table.label_key = "name";
    table.series = {"referrals"};
    return table;
  };
  s.tables.push_back(table_of("by_source", "By source", shares.by_source, false));
  s.tables.push_back(table_of("by_event", "By event", shares.by_event, true));
  if (shares.total == 0) s.empty = "No referrals came in this period.";
  return s;
}

output::Document digest(const Inputs& in, std::string_view practice) {
  const auto& w = in.w;
  output::Document doc;
  doc.title = "Referral digest";
  const auto first = domain::format_local_date(w.start);
  const auto last = domain::format_local_date(w.end - std::chrono::seconds(1));
  doc.subtitle =
      fmt::format("{}{} to {} (as of {})", practice.empty() ? "" : std::string(practice) + ": ",
                  first, last, domain::format_local(w.period.as_of));
  doc.about = {figure("since", "Since", output::DateCell{first}),
               figure("until", "Until", output::DateCell{last}),
               figure("as_of", "As of", w.period.as_of)};
  Period at_risk_period = w.period;
  at_risk_period.since.reset();  // the digest's days lie inside the recent window
  const auto windows = at_risk_windows(at_risk_period, in.at_risk);
  doc.sections.push_back(actions(in));
  doc.sections.push_back(referrals(in));
  doc.sections.push_back(thanks(in));
  // Both sections read the same windows, at once.
  const auto counts =
      in.store.contact_windows(windows.baseline_start, windows.recent_start, windows.end);
  doc.sections.push_back(at_risk_section(in, windows, counts));
  doc.sections.push_back(one_sided(windows, counts));
  doc.sections.push_back(loops(in));
  doc.sections.push_back(coming_days(in));
  doc.sections.push_back(sources_section(in));
  return doc;
}

}  // namespace

domain::Timestamp year_before(domain::Timestamp t) {
  const auto day = domain::local_date(t);
  const auto offset = t - domain::local_midnight(day);
  auto earlier = day - std::chrono::years(1);
  if (!earlier.ok()) earlier = earlier.year() / earlier.month() / std::chrono::last;
  return domain::local_midnight(earlier) + offset;
}

DigestWindows digest_windows(const Period& requested) {
  DigestWindows w;
  w.period = requested;
  if (!w.period.since) {
    // The 7 whole local days before as-of's day (Monday to Sunday for a Monday run), so weekly
    // runs cover every day once, whatever hour cron starts them; a lone --until ends them with
    // its day instead, never after as-of.
    const auto end = w.period.until ? std::min(*w.period.until, referral_end(w.period))
                                    : domain::local_midnight(domain::local_date(w.period.as_of));
    const auto last_day = sys_days(domain::local_date(end - std::chrono::seconds(1)));
    w.period.since = domain::local_midnight(domain::LocalDate(last_day - days(default_days - 1)));
    w.period.until = end;
  }
  w.start = *w.period.since;
  w.end = referral_end(w.period);
  if (w.end <= w.start) {
    throw Error(Exit::usage, "the digest's period is empty: --since is after --as-of",
                "pick an earlier --since, or a later --as-of");
  }
  const int n = local_days(w.start, w.end);
  w.previous_start = days_before(w.start, n);
  w.previous_end = std::min(days_before(w.end, n), w.start);
  w.year_start = year_before(w.start);
  w.year_end = year_before(w.end);
  w.rates_start = domain::local_midnight(domain::LocalDate(
      sys_days(domain::local_date(w.end - std::chrono::seconds(1))) - days(rates_days - 1)));
  Bucket week = bucket_of(w.end - std::chrono::seconds(1), TrendBucket::week);
  for (int i = 1; i < weeks_shown; ++i) {
    week = bucket_of(week.start - std::chrono::seconds(1), TrendBucket::week);
  }
  for (int i = 0; i < weeks_shown; ++i, week = next_bucket(week, TrendBucket::week)) {
    w.weeks.push_back(week);
  }
  return w;
}

std::vector<store::ReferrerTouch> thanks_owed(std::vector<store::ReferrerTouch> referrers,
                                              domain::Timestamp as_of) {
  std::erase_if(referrers, [as_of](const store::ReferrerTouch& r) {
    const bool archived = r.archived && *r.archived <= as_of;
    const bool touched = r.last_touch && *r.last_touch >= r.last_referral;
    return archived || touched;
  });
  std::sort(referrers.begin(), referrers.end(),
            [](const store::ReferrerTouch& a, const store::ReferrerTouch& b) {
              if (a.referrals != b.referrals) return a.referrals > b.referrals;
              if (a.last_referral != b.last_referral) return a.last_referral < b.last_referral;
              if (const auto by_name = compare_names(a.contact_name, b.contact_name);
                  by_name != 0) {
                return by_name < 0;
              }
              return a.contact_id < b.contact_id;
            });
  return referrers;
}

std::vector<OneSided> gone_one_sided(const std::vector<store::ReciprocityRow>& before,
                                     const std::vector<store::ReciprocityRow>& recent) {
  std::map<std::int64_t, const store::ReciprocityRow*> two_way;
  for (const auto& row : before) {
    if (row.referrals_in > 0 && row.referrals_out > 0) two_way[row.contact_id] = &row;
  }
  std::vector<OneSided> out;
  for (const auto& row : recent) {
    const auto it = two_way.find(row.contact_id);
    if (it == two_way.end()) continue;
    if (row.referrals_in > 0 && row.referrals_out > 0) continue;
    out.push_back({*it->second, row});
  }
  std::sort(out.begin(), out.end(), [](const OneSided& a, const OneSided& b) {
    const auto a_total = a.before.referrals_in + a.before.referrals_out;
    const auto b_total = b.before.referrals_in + b.before.referrals_out;
    if (a_total != b_total) return a_total > b_total;
    if (const auto by_name = compare_names(a.recent.contact_name, b.recent.contact_name);
        by_name != 0) {
      return by_name < 0;
    }
    return a.recent.contact_id < b.recent.contact_id;
  });
  return out;
}

double target_hours(const domain::Duration& d) {
  const auto count = static_cast<double>(d.count);
  switch (d.unit) {
    case domain::Duration::Unit::minutes:
      return count / 60.0;
    case domain::Duration::Unit::hours:
      return count;
    case domain::Duration::Unit::days:
      return count * 24.0;
    case domain::Duration::Unit::weeks:
      return count * 168.0;
    case domain::Duration::Unit::business_days:
      return count * 24.0 * 7.0 / 5.0;
  }
  return count;
}

std::vector<std::int64_t> counts_per_bucket(const std::vector<domain::Timestamp>& starts,
                                            const std::vector<domain::Timestamp>& times) {
  std::vector<std::int64_t> counts(starts.size(), 0);
  for (const auto t : times) {
    const auto after = std::upper_bound(starts.begin(), starts.end(), t);
    if (after == starts.begin()) continue;
    ++counts[static_cast<std::size_t>(after - starts.begin() - 1)];
  }
  return counts;
}

void wire_digest(CLI::App& sub, cli::Context& ctx, std::shared_ptr<PeriodOptions> options) {
  sub.footer(
      "\nBy default the 7 whole days before --as-of's day (or ending with --until's). Sections:"
      " what needs"
      " doing,\nreferrals in and out, who to thank, referrers at risk, relationships gone"
      " one-sided, closed loops\nand turnaround (the last 90 days), the coming 7 days, and"
      " sources. --format table, json or html\n(one self-contained page for a mail).");
  cli::set_example(sub, "refnet report digest --format html --redact -o ~/digest.html");
  sub.callback([options, &ctx] {
    // A page, not rows: without --format it is the table, whatever output.format says for the
    // listings (a config asking for csv would otherwise refuse every digest).
    const auto format = ctx.global.format.empty() ? output::Format::table : ctx.format();
    if (format != output::Format::table && format != output::Format::json &&
        format != output::Format::html) {
      throw Error(Exit::usage,
                  fmt::format("report digest writes table, json or html, not {}",
                              output::to_string(format)),
                  "use --format table, json or html");
    }
    const auto windows = digest_windows(period(ctx, *options));
    const std::string& practice = ctx.config().practice_name;
    Inputs in{ctx.store(),
              windows,
              ctx.sla(),
              at_risk_settings(ctx.config()),
              ctx.config().closed_loop_target,
              cli::patient_redactor(ctx)};
    const auto doc = digest(in, practice);
    if (format == output::Format::json) {
      output::write_document_json(ctx.out, doc);
    } else if (format == output::Format::html) {
      output::write_document_html(ctx.out, doc);
    } else {
      // People read a digest, at a terminal or in a mail cron sends: away from a terminal it
      // fits the 78 columns of a plain-text mail, unless --wide.
      auto text = ctx.output_options();
      if (text.fit_width == 0 && !ctx.global.wide && !ctx.config().output_wide) {
        text.fit_width = mail_columns;
      }
      output::write_document_text(ctx.out, doc, text);
    }
  });
}

}  // namespace refnet::report
