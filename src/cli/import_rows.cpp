// The import's rules, one entity at a time: each value checked with the domain's rules, the
// contact a row means found, duplicates decided by --on-duplicate, and the record written whole.
#include "import_rows.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <unordered_map>
#include <unordered_set>
#include <variant>

#include "common.hpp"
#include "domain/followup.hpp"
#include "domain/npi.hpp"
#include "domain/referral_status.hpp"
#include "domain/sla.hpp"
#include "domain/vocabulary.hpp"
#include "error.hpp"
#include "text/text.hpp"

namespace refnet::cli::importing {

using domain::Timestamp;
using transfer::Entity;

void Problems::add(std::size_t line, std::string_view column, std::string_view what) {
  ++count_;
  if (shown_.size() >= cap_) return;
  shown_.push_back(column.empty() ? fmt::format("{}:{}: {}", file_, line, what)
                                  : fmt::format("{}:{}: {}: {}", file_, line, column, what));
}

namespace {

using text::trim;

std::string lower(std::string_view text) {
  return text::ascii_lower(text);
}

bool iequals(std::string_view a, std::string_view b) {
  return text::iequals_ascii(a, b);
}

// "Contact NPI", "contact-npi" and "CONTACT_NPI" all name contact_npi.
std::string normalize_header(std::string_view text) {
  std::string out = lower(trim(text));
  for (char& c : out) {
    if (c == ' ' || c == '-') c = '_';
  }
  return out;
}

// A value as a message shows it: quoted, and cut when long.
std::string shown(std::string_view value) {
  if (value.size() > 40) return fmt::format("'{}...'", value.substr(0, 37));
  return fmt::format("'{}'", value);
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find(',', start), text.size());
    const auto item = trim(text.substr(start, end - start));
    if (!item.empty()) out.emplace_back(item);
    start = end + 1;
  }
  return out;
}

constexpr std::array<std::string_view, 3> origins{"manual", "after-referral", "after-meeting"};

// Is `stamp` a step a referral passes on its way to `status`? (new → acknowledged → scheduled →
// seen → closed, exits from the open states, no-show from scheduled.)
bool on_the_way(domain::Status stamp, domain::Status status) {
  if (stamp == status) return true;
  std::vector<domain::Status> frontier{stamp};
  std::vector<domain::Status> seen{stamp};
  while (!frontier.empty()) {
    const auto from = frontier.back();
    frontier.pop_back();
    for (const auto next : domain::allowed_next(from)) {
      if (next == status) return true;
      if (std::find(seen.begin(), seen.end(), next) == seen.end()) {
        seen.push_back(next);
        frontier.push_back(next);
      }
    }
  }
  return false;
}

// What every entity's importer shares: columns, values, typed parsing with problems, contact
// references, and the ids a file gives.
class Base : public RowImporter {
 public:
  Base(Context& ctx, Entity entity, OnDuplicate policy, bool csv_like, Problems& problems)
      : ctx_(ctx),
        store_(ctx.store()),
        entity_(entity),
        keys_(transfer::keys(entity)),
        policy_(policy),
        csv_like_(csv_like),
        problems_(problems),
        values_(keys_.size()),
        lines_(keys_.size()),
        in_file_(keys_.size(), false) {}

  void map_columns(const std::vector<std::string>& columns, std::size_t line) override {
    for (std::size_t i = mapped_.size(); i < columns.size(); ++i) {
      const auto key = normalize_header(columns[i]);
      const auto it = std::find(keys_.begin(), keys_.end(), key);
      if (it == keys_.end()) {
        std::string expected;
        for (const auto k : keys_) expected += (expected.empty() ? "" : ", ") + std::string(k);
        problems_.add(line, columns[i],
                      fmt::format("unknown column for {}; expected some of: {}",
                                  transfer::to_string(entity_), expected));
        mapped_.push_back(-1);
        continue;
      }
      const int field = static_cast<int>(it - keys_.begin());
      if (in_file_[field]) {
        problems_.add(line, columns[i], "the column is given twice");
        mapped_.push_back(-1);
        continue;
      }
      in_file_[field] = true;
      mapped_.push_back(field);
    }
  }

  Counts counts() const override { return counts_; }

 protected:
  // The record's values by field: empty text is no value (csv has no null), and the csv/tsv
  // writers' formula guard is undone.
  void load(const io::Record& r) {
    line_ = r.line;
    row_problems_ = 0;
    std::fill(values_.begin(), values_.end(), std::nullopt);
    std::fill(lines_.begin(), lines_.end(), r.line);
    for (std::size_t i = 0; i < r.values.size() && i < mapped_.size(); ++i) {
      const int field = mapped_[i];
      if (field < 0) continue;
      if (i < r.lines.size() && r.lines[i] != 0) lines_[field] = r.lines[i];
      const auto& value = r.values[i];
      if (!value) continue;
      const std::string_view text = csv_like_ ? io::unneutralise_formula(*value) : *value;
      if (!text.empty()) values_[field] = std::string(text);
    }
  }

  bool has(int field) const { return in_file_[field]; }
  const std::optional<std::string>& value(int field) const { return values_[field]; }

  void problem(int field, std::string_view what) {
    problems_.add(lines_[field], keys_[field], what);
    ++row_problems_;
  }
  void row_problem(std::string_view what) {
    problems_.add(line_, "", what);
    ++row_problems_;
  }

  std::optional<std::string> required_text(int field, std::string_view why) {
    const auto& v = value(field);
    if (!v || trim(*v).empty()) {
      problem(field, fmt::format("required: {}", why));
      return std::nullopt;
    }
    return v;
  }

  // Free text trimmed of spaces and tabs at both ends, as `add` and `edit` store it.
  std::optional<std::string> trimmed(int field) const {
    const auto& v = value(field);
    if (!v) return std::nullopt;
    const auto t = trim(*v);
    if (t.empty()) return std::nullopt;
    return std::string(t);
  }

  std::optional<std::string> word(int field, std::span<const std::string_view> words) {
    const auto& v = value(field);
    if (!v) return std::nullopt;
    const auto t = trim(*v);
    for (const auto w : words) {
      if (iequals(t, w)) return std::string(w);
    }
    problem(field, fmt::format("{} is not one of: {}", shown(*v), domain::one_of_text(words)));
    return std::nullopt;
  }

  std::optional<std::int64_t> number(int field) {
    const auto& v = value(field);
    if (!v) return std::nullopt;
    const auto t = trim(*v);
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    if (t.empty() || ec != std::errc() || end != t.data() + t.size() || n <= 0) {
      problem(field, fmt::format("{} is not an id (a positive whole number)", shown(*v)));
      return std::nullopt;
    }
    return n;
  }

  std::optional<Timestamp> time(int field) {
    const auto& v = value(field);
    if (!v) return std::nullopt;
    if (auto t = domain::parse_iso(trim(*v))) return *t;
    if (domain::iso_outside_kept_years(trim(*v))) {
      problem(field,
              fmt::format("{} is outside the years refnet keeps: 0000 to 9999 (UTC)", shown(*v)));
      return std::nullopt;
    }
    problem(field, fmt::format("{} is not a date or time: expected YYYY-MM-DD or "
                               "YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]",
                               shown(*v)));
    return std::nullopt;
  }

  // The contact a referral or touchpoint row means: contact_id when it names the same contact
  // as `contact` (or `contact` is empty), else contact_npi, else the exact name.
  std::optional<std::int64_t> resolve_contact(int id_field, int name_field, int npi_field) {
    const auto contact_id = number(id_field);
    const auto& name = value(name_field);
    std::optional<std::string> npi;
    if (const auto& v = value(npi_field)) {
      npi = std::string(trim(*v));
      if (auto p = domain::npi_problem(*npi)) {
        problem(npi_field, fmt::format("{} is not a valid NPI: {}", shown(*npi), *p));
        return std::nullopt;
      }
    }
    if (row_problems_ > 0) return std::nullopt;
    std::string id_problem;
    if (contact_id) {
      const auto& known = contact_name(*contact_id);
      if (known && (!name || iequals(trim(*name), *known))) return contact_id;
      id_problem =
          known ? fmt::format("contact #{} is {}, not {}", *contact_id, shown(*known), shown(*name))
                : fmt::format("no contact #{}", *contact_id);
    }
    if (npi) {
      auto [it, fresh] = by_npi_.try_emplace(*npi);
      if (fresh) it->second = store_.contact_id_by_npi(*npi);
      if (it->second) return it->second;
      problem(npi_field, fmt::format("no contact with NPI {}; import the contacts first", *npi));
      return std::nullopt;
    }
    if (name && !trim(*name).empty()) {
      auto [it, fresh] = by_name_.try_emplace(lower(trim(*name)));
      if (fresh) it->second = match_name(trim(*name));
      if (const auto* found = std::get_if<std::int64_t>(&it->second)) return *found;
      problem(name_field, std::get<std::string>(it->second));
      return std::nullopt;
    }
    if (!id_problem.empty()) {
      problem(id_field, id_problem);
    } else {
      row_problem("no contact: give contact_npi, contact (the exact name) or contact_id");
    }
    return std::nullopt;
  }

  // A file id for a new row: kept when free, else SQLite picks one and the file's id is
  // remembered so later references in the same file still find the row.
  std::int64_t choose_id(std::optional<std::int64_t> file_id, bool taken) const {
    return file_id && !taken ? *file_id : 0;
  }
  void remember(std::optional<std::int64_t> file_id, std::int64_t db_id) {
    if (file_id && *file_id != db_id) remapped_[*file_id] = db_id;
  }
  std::int64_t mapped_id(std::int64_t file_id) const {
    const auto it = remapped_.find(file_id);
    return it == remapped_.end() ? file_id : it->second;
  }

  // A duplicate found in the database: counts it, or reports it, per --on-duplicate. True when
  // the caller should update the existing record.
  bool on_duplicate(int field, std::string_view what) {
    switch (policy_) {
      case OnDuplicate::skip:
        ++counts_.skipped;
        return false;
      case OnDuplicate::update:
        return true;
      case OnDuplicate::error:
        problem(field, fmt::format("{}; choose --on-duplicate skip or update", what));
        return false;
    }
    return false;
  }

  // Rows written by this import are not duplicates of the database's rows: only what was there
  // before counts (two rows of one file that look alike are two records).
  bool preexisting(std::int64_t id) const { return !written_.contains(id); }
  void written(std::int64_t id) {
    if (checks_database_) written_.insert(id);
  }

  Context& ctx_;
  store::Store& store_;
  Entity entity_;
  std::span<const std::string_view> keys_;
  OnDuplicate policy_;
  bool csv_like_;
  Problems& problems_;
  Counts counts_;
  std::size_t line_ = 0;
  int row_problems_ = 0;
  // False when the table was empty before the import: no duplicate can be in the database.
  bool checks_database_ = true;

 private:
  const std::optional<std::string>& contact_name(std::int64_t id) {
    auto [it, fresh] = names_by_id_.try_emplace(id);
    if (fresh) {
      if (auto c = store_.contact(id)) it->second = c->name;
    }
    return it->second;
  }

  std::variant<std::int64_t, std::string> match_name(std::string_view name) {
    const auto candidates = store_.contacts_named(name);
    std::vector<const domain::ContactCandidate*> active, archived;
    for (const auto& c : candidates) (c.archived ? archived : active).push_back(&c);
    const auto& pool = active.empty() ? archived : active;
    if (pool.size() == 1) return pool.front()->id;
    if (pool.empty()) {
      return fmt::format("no contact named {}; import the contacts first, or give contact_npi",
                         shown(name));
    }
    std::string ids;
    for (const auto* c : pool) ids += fmt::format("{}#{}", ids.empty() ? "" : ", ", c->id);
    return fmt::format("{} names {} contacts ({}); give contact_npi or contact_id", shown(name),
                       pool.size(), ids);
  }

  std::vector<std::optional<std::string>> values_;
  std::vector<std::size_t> lines_;
  std::vector<bool> in_file_;
  std::vector<int> mapped_;
  std::unordered_map<std::int64_t, std::int64_t> remapped_;
  std::unordered_set<std::int64_t> written_;
  std::unordered_map<std::int64_t, std::optional<std::string>> names_by_id_;
  std::unordered_map<std::string, std::optional<std::int64_t>> by_npi_;
  std::unordered_map<std::string, std::variant<std::int64_t, std::string>> by_name_;
};

// A reference to another row, resolved after the whole file is in (it may come later).
struct Pending {
  std::int64_t row = 0;     // the written row
  std::int64_t target = 0;  // the file's id of the row it refers to
  std::size_t line = 0;
};

class ContactImporter final : public Base {
 public:
  ContactImporter(Context& ctx, OnDuplicate policy, bool csv_like, Problems& problems)
      : Base(ctx, Entity::contacts, policy, csv_like, problems) {
    checks_database_ = store_.has_rows("contact");
  }

  void import(const io::Record& r) override {
    using namespace transfer::contact_col;
    load(r);
    store::Contact c;
    Extra x;
    apply(c, x);
    if (row_problems_ > 0) return;
    const bool archived = c.archived.has_value();
    // Two active contacts cannot share an NPI, in the file as in the database.
    if (!archived && c.npi) {
      const auto [it, fresh] = npi_lines_.try_emplace(*c.npi, line_);
      if (!fresh) {
        problem(npi, fmt::format("NPI {} is already on line {}", *c.npi, it->second));
        return;
      }
    }
    std::optional<std::int64_t> duplicate;
    std::string why;
    int why_field = name;
    if (checks_database_) {
      if (!archived && c.npi) {
        if (auto holder = store_.active_contact_with_npi(*c.npi, std::nullopt);
            holder && preexisting(*holder)) {
          duplicate = holder;
          why = "the same NPI";
          why_field = npi;
        }
      }
      if (!duplicate) {
        if (auto same = store_.contact_with_name_and_practice(c.name, c.practice, archived);
            same && preexisting(*same)) {
          duplicate = same;
          why = "the same name and practice";
        }
      }
    }
    if (duplicate) {
      auto existing = *store_.contact(*duplicate);
      if (!on_duplicate(why_field, fmt::format("a duplicate of contact #{} {} ({})", existing.id,
                                               existing.name, why))) {
        return;
      }
      apply(existing, x);
      if (!check(existing, x, *duplicate)) return;
      store_.rewrite_contact(existing);
      finish_row(existing.id, x);
      ++counts_.updated;
      return;
    }
    if (!check(c, x, std::nullopt)) return;
    if (!x.created) c.created = ctx_.now();
    c.id = choose_id(x.file_id, x.file_id && store_.contact_exists(*x.file_id));
    const auto written_id = store_.write_contact(c);
    remember(x.file_id, written_id);
    written(written_id);
    finish_row(written_id, x);
    ++counts_.added;
  }

  void finish() override {
    for (const auto& p : merges_) {
      const auto target = mapped_id(p.target);
      if (!store_.contact_exists(target)) {
        problems_.add(p.line, "merged_into",
                      fmt::format("no contact #{} in the file or the database", p.target));
      } else if (target == p.row) {
        problems_.add(p.line, "merged_into", "a contact cannot be merged into itself");
      } else {
        store_.set_merged_into(p.row, target);
      }
    }
  }

  struct Extra {
    std::optional<std::int64_t> file_id;
    std::optional<Timestamp> created;
    std::optional<std::vector<std::int64_t>> met_at;
    std::optional<std::int64_t> merged_into;
  };

  // Sets every field the file has; a second call on an existing contact overlays the same values.
  void apply(store::Contact& c, Extra& x) {
    using namespace transfer::contact_col;
    x.file_id = number(id);
    if (auto n = required_text(name, "a contact needs a name")) c.name = std::string(trim(*n));
    if (has(role)) c.role = word(role, domain::roles).value_or("other");
    if (has(specialty)) c.specialty = trimmed(specialty);
    if (has(practice)) c.practice = trimmed(practice);
    if (has(phone)) c.phone = trimmed(phone);
    if (has(email)) c.email = trimmed(email);
    if (has(city)) c.city = trimmed(city);
    if (has(note)) c.note = trimmed(note);
    if (has(source)) c.source = word(source, domain::sources);
    if (has(npi)) {
      c.npi = trimmed(npi);
      if (c.npi) {
        if (auto p = domain::npi_problem(*c.npi)) {
          problem(npi, fmt::format("{} is not a valid NPI: {}", shown(*c.npi), *p));
        }
      }
    }
    if (has(event_id) || has(event)) c.event_id = resolve_event();
    if (has(met_at)) {
      std::vector<std::int64_t> events;
      if (const auto& v = value(met_at)) {
        for (const auto& item : split_list(*v)) {
          std::int64_t n = 0;
          const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), n);
          if (ec != std::errc() || end != item.data() + item.size() || n <= 0) {
            problem(met_at, fmt::format("{} is not a list of event ids like 3,7", shown(*v)));
            break;
          }
          if (!event_known(n)) {
            problem(met_at, fmt::format("no event #{}; import the events first", n));
            break;
          }
          if (std::find(events.begin(), events.end(), n) == events.end()) events.push_back(n);
        }
      }
      std::sort(events.begin(), events.end());
      x.met_at = events;
    }
    if (has(tags)) {
      c.tags.clear();
      if (const auto& v = value(tags)) {
        for (auto& tag : split_list(*v)) {
          const bool again = std::any_of(c.tags.begin(), c.tags.end(),
                                         [&](const std::string& t) { return iequals(t, tag); });
          if (!again) c.tags.push_back(std::move(tag));
        }
      }
    }
    if (has(created)) {
      x.created = time(created);
      if (x.created) c.created = *x.created;
    }
    if (has(archived)) c.archived = time(archived);
    if (has(merged_into)) {
      c.merged_into.reset();  // set once the whole file is in: it may name a later row
      x.merged_into = number(merged_into);
    }
  }

  // The rules on a whole contact, before it is written.
  bool check(const store::Contact& c, const Extra& x, std::optional<std::int64_t> self) {
    using namespace transfer::contact_col;
    if (x.merged_into && !c.archived) {
      problem(merged_into, "a merged contact must be archived too (archived is empty)");
    }
    if (self && !c.archived && c.npi) {
      if (auto holder = store_.active_contact_with_npi(*c.npi, self)) {
        problem(npi, fmt::format("NPI {} already belongs to contact #{}", *c.npi, *holder));
      }
    }
    return row_problems_ == 0;
  }

  void finish_row(std::int64_t id, const Extra& x) {
    if (x.met_at) store_.set_contact_events(id, *x.met_at);
    if (x.merged_into) merges_.push_back({id, *x.merged_into, line_});
  }

  bool event_known(std::int64_t event) {
    auto [it, fresh] = events_.try_emplace(event, false);
    if (fresh) it->second = store_.event_exists(event);
    return it->second;
  }

  std::optional<std::int64_t> resolve_event() {
    using namespace transfer::contact_col;
    const auto event = number(event_id);
    const auto& name = value(transfer::contact_col::event);
    if (event) {
      if (auto e = store_.event(*event); e && (!name || iequals(trim(*name), e->name)))
        return event;
      if (!name) {
        problem(event_id, fmt::format("no event #{}; import the events first", *event));
        return std::nullopt;
      }
    }
    if (!name) return std::nullopt;
    const auto named = store_.events_named(trim(*name));
    if (named.empty()) {
      problem(transfer::contact_col::event,
              fmt::format("no event named {}; import the events first", shown(*name)));
      return std::nullopt;
    }
    return named.front().id;
  }

  std::unordered_map<std::string, std::size_t> npi_lines_;
  std::unordered_map<std::int64_t, bool> events_;
  std::vector<Pending> merges_;
};

class ReferralImporter final : public Base {
 public:
  ReferralImporter(Context& ctx, OnDuplicate policy, bool csv_like, Problems& problems)
      : Base(ctx, Entity::referrals, policy, csv_like, problems), sla_(ctx.sla()) {
    checks_database_ = store_.has_rows("referral");
  }

  void import(const io::Record& r) override {
    using namespace transfer::referral_col;
    load(r);
    store::Referral parsed;
    Extra x;
    apply(parsed, x);
    if (row_problems_ > 0) return;
    if (checks_database_) {
      if (auto dup = store_.find_referral(parsed.direction, parsed.contact_id, parsed.patient,
                                          parsed.referred);
          dup && preexisting(*dup)) {
        if (!on_duplicate(patient, fmt::format("a duplicate of referral #{} (same contact, "
                                               "direction, patient and date)",
                                               *dup))) {
          return;
        }
        auto existing = *store_.referral(*dup);
        apply(existing, x);
        if (!complete(existing, x)) return;
        store_.rewrite_referral(existing);
        ++counts_.updated;
        return;
      }
    }
    if (!complete(parsed, x)) return;
    parsed.id = choose_id(x.file_id, x.file_id && store_.referral_contact(*x.file_id).has_value());
    const auto written_id = store_.write_referral(parsed);
    remember(x.file_id, written_id);
    written(written_id);
    ++counts_.added;
  }

  void finish() override {}

 private:
  struct Extra {
    std::optional<std::int64_t> file_id;
    bool created = false;
    bool acknowledge_due = false;
  };

  static constexpr std::array<std::pair<domain::Status, int>, 7> stamp_columns{{
      {domain::Status::acknowledged, transfer::referral_col::acknowledged},
      {domain::Status::scheduled, transfer::referral_col::scheduled},
      {domain::Status::seen, transfer::referral_col::seen},
      {domain::Status::closed, transfer::referral_col::closed},
      {domain::Status::declined, transfer::referral_col::declined},
      {domain::Status::cancelled, transfer::referral_col::cancelled},
      {domain::Status::no_show, transfer::referral_col::no_show},
  }};

  static std::optional<Timestamp>& stamp(store::Referral& r, domain::Status s) {
    using domain::Status;
    switch (s) {
      case Status::acknowledged:
        return r.acknowledged;
      case Status::scheduled:
        return r.scheduled;
      case Status::seen:
        return r.seen;
      case Status::closed:
        return r.closed;
      case Status::declined:
        return r.declined;
      case Status::cancelled:
        return r.cancelled;
      case Status::no_show:
        return r.no_show;
      case Status::new_:
        break;
    }
    return r.acknowledged;  // not reached: new has no stamp of its own
  }

  void apply(store::Referral& r, Extra& x) {
    using namespace transfer::referral_col;
    x.file_id = number(id);
    if (value(direction)) {
      if (auto d = word(direction, domain::directions)) r.direction = *domain::parse_direction(*d);
    } else {
      problem(direction, "required: in (the contact referred to us) or out (we referred)");
    }
    if (auto who = resolve_contact(contact_id, contact, contact_npi)) r.contact_id = *who;
    if (auto p = required_text(patient, "a patient reference (chart number, MRN, initials)")) {
      r.patient = *p;
    }
    if (has(reason)) r.reason = value(reason);
    if (has(urgency)) {
      r.urgency = value(urgency)
                      ? domain::parse_urgency(word(urgency, domain::urgencies).value_or("routine"))
                            .value_or(domain::Urgency::routine)
                      : domain::Urgency::routine;
    }
    if (has(status)) {
      r.status = domain::Status::new_;
      if (const auto& v = value(status)) {
        if (auto s = domain::parse_status(trim(*v))) {
          r.status = *s;
        } else {
          problem(status, fmt::format("{} is not one of: new, acknowledged, scheduled, seen, "
                                      "closed, declined, cancelled, no-show",
                                      shown(*v)));
        }
      }
    }
    if (value(referred)) {
      if (auto t = time(referred)) r.referred = *t;
    } else {
      problem(referred, "required: when the referral was made");
    }
    if (has(acknowledge_due)) {
      const auto due = time(acknowledge_due);
      x.acknowledge_due = due.has_value();
      if (due) r.acknowledge_due = *due;
    }
    for (const auto& [s, column] : stamp_columns) {
      if (has(column)) stamp(r, s) = time(column);
    }
    if (has(report_due)) r.report_due = time(report_due);
    if (has(decline_reason)) r.decline_reason = value(decline_reason);
    if (has(note)) r.note = value(note);
    if (has(created)) {
      const auto t = time(created);
      x.created = t.has_value();
      if (t) r.created = *t;
    }
  }

  // Fills what the file left to the rules (the acknowledgement SLA, the report due after seen,
  // the stamp of the status reached) and checks the lifecycle. False when the row has problems.
  bool complete(store::Referral& r, const Extra& x) {
    using namespace transfer::referral_col;
    if (!x.acknowledge_due)
      r.acknowledge_due = domain::acknowledge_due(r.referred, r.urgency, sla_);
    if (!x.created && r.created == Timestamp{}) r.created = ctx_.now();
    if (r.status != domain::Status::new_ && !stamp(r, r.status)) {
      // A spreadsheet says "seen" without a date: it was seen by now at the latest.
      stamp(r, r.status) = std::max(ctx_.now(), r.referred);
    }
    for (const auto& [s, column] : stamp_columns) {
      const auto& at = stamp(r, s);
      if (!at) continue;
      if (!on_the_way(s, r.status)) {
        problem(column, fmt::format("set, but a referral that is {} never was {}",
                                    domain::to_string(r.status), domain::to_string(s)));
      } else if (*at < r.referred) {
        problem(column, fmt::format("{} is before the referral was made ({})",
                                    domain::format_utc(*at), domain::format_utc(r.referred)));
      }
    }
    if (r.seen && !r.report_due) r.report_due = domain::report_due(*r.seen, sla_);
    if (r.status == domain::Status::declined &&
        (!r.decline_reason || trim(*r.decline_reason).empty())) {
      problem(decline_reason, "required when the status is declined");
    }
    return row_problems_ == 0;
  }

  domain::ServiceLevels sla_;
};

class TouchpointImporter final : public Base {
 public:
  TouchpointImporter(Context& ctx, OnDuplicate policy, bool csv_like, Problems& problems)
      : Base(ctx, Entity::touchpoints, policy, csv_like, problems) {
    checks_database_ = store_.has_rows("touchpoint");
  }

  void import(const io::Record& r) override {
    using namespace transfer::touchpoint_col;
    load(r);
    store::Touchpoint parsed;
    parsed.via = "call";
    parsed.origin = store::origin_manual;
    Extra x;
    apply(parsed, x);
    if (row_problems_ > 0) return;
    if (checks_database_) {
      if (auto dup =
              store_.find_touchpoint(parsed.contact_id, parsed.via, parsed.done_at, parsed.due);
          dup && preexisting(*dup)) {
        if (!on_duplicate(via, fmt::format("a duplicate of touchpoint #{} (same contact, via, "
                                           "done_at and due)",
                                           *dup))) {
          return;
        }
        auto existing = *store_.touchpoint(*dup);
        apply(existing, x);
        if (!check(existing)) return;
        store_.rewrite_touchpoint(existing);
        if (x.satisfied_by) satisfied_.push_back({existing.id, *x.satisfied_by, line_});
        ++counts_.updated;
        return;
      }
    }
    if (!check(parsed)) return;
    if (!x.created) parsed.created = ctx_.now();
    parsed.id = choose_id(x.file_id, x.file_id && store_.touchpoint_exists(*x.file_id));
    const auto written_id = store_.write_touchpoint(parsed);
    remember(x.file_id, written_id);
    written(written_id);
    if (x.satisfied_by) satisfied_.push_back({written_id, *x.satisfied_by, line_});
    if (parsed.done_at && !states_satisfaction_)
      logged_.push_back({written_id, {parsed.contact_id, *parsed.done_at}});
    ++counts_.added;
  }

  void finish() override {
    for (const auto& p : satisfied_) {
      const auto target = mapped_id(p.target);
      if (!store_.touchpoint_exists(target)) {
        problems_.add(p.line, "satisfied_by",
                      fmt::format("no touchpoint #{} in the file or the database", p.target));
      } else {
        store_.mark_satisfied(p.row, target);
      }
    }
    if (!states_satisfaction_) satisfy_open_plans();
  }

 private:
  struct Logged {
    std::int64_t id = 0;
    domain::LoggedTouchpoint touchpoint;
  };

  // A file with a satisfied_by column (an export) says which plan each touchpoint closed; a
  // spreadsheet without one gets the rule `followup` applies: a touchpoint logged after a plan
  // was made satisfies it, earliest touchpoint first.
  void satisfy_open_plans() {
    std::stable_sort(logged_.begin(), logged_.end(), [](const Logged& a, const Logged& b) {
      return a.touchpoint.done_at < b.touchpoint.done_at;
    });
    for (const auto& [id, touchpoint] : logged_) {
      for (const auto plan :
           domain::satisfied_by(touchpoint, store_.open_plans(touchpoint.contact_id))) {
        if (plan != id) store_.mark_satisfied(plan, id);
      }
    }
  }

 private:
  struct Extra {
    std::optional<std::int64_t> file_id;
    std::optional<std::int64_t> satisfied_by;
    bool created = false;
  };

  void apply(store::Touchpoint& t, Extra& x) {
    using namespace transfer::touchpoint_col;
    states_satisfaction_ = states_satisfaction_ || has(satisfied_by);
    x.file_id = number(id);
    if (auto who = resolve_contact(contact_id, contact, contact_npi)) t.contact_id = *who;
    if (has(referral_id)) t.referral_id = number(referral_id);
    if (has(via)) t.via = word(via, domain::vias).value_or("call");
    if (has(note)) t.note = value(note);
    if (has(origin)) t.origin = word(origin, origins).value_or(store::origin_manual);
    if (has(created)) {
      const auto c = time(created);
      x.created = c.has_value();
      if (c) t.created = *c;
    }
    if (has(done_at)) t.done_at = time(done_at);
    if (has(due)) t.due = time(due);
    if (has(dismissed_at)) t.dismissed_at = time(dismissed_at);
    if (has(satisfied_by)) {
      t.satisfied_by.reset();  // set once the whole file is in: it may name a later row
      x.satisfied_by = number(satisfied_by);
    }
  }

  bool check(const store::Touchpoint& t) {
    using namespace transfer::touchpoint_col;
    if (!t.done_at && !t.due) {
      row_problem("give done_at (it happened) or due (it is planned)");
    }
    if (t.referral_id) {
      const auto with = store_.referral_contact(*t.referral_id);
      if (!with) {
        problem(referral_id,
                fmt::format("no referral #{}; import the referrals first", *t.referral_id));
      } else if (*with != t.contact_id) {
        problem(referral_id, fmt::format("referral #{} is with contact #{}, not #{}",
                                         *t.referral_id, *with, t.contact_id));
      }
    }
    return row_problems_ == 0;
  }

  std::vector<Pending> satisfied_;
  std::vector<Logged> logged_;
  bool states_satisfaction_ = false;
};

class EventImporter final : public Base {
 public:
  EventImporter(Context& ctx, OnDuplicate policy, bool csv_like, Problems& problems)
      : Base(ctx, Entity::events, policy, csv_like, problems) {
    checks_database_ = store_.has_rows("event");
  }

  void import(const io::Record& r) override {
    using namespace transfer::event_col;
    load(r);
    store::Event parsed;
    Extra x;
    apply(parsed, x);
    if (row_problems_ > 0) return;
    if (checks_database_) {
      if (auto dup = store_.find_event(parsed.name, parsed.date); dup && preexisting(*dup)) {
        if (!on_duplicate(name,
                          fmt::format("a duplicate of event #{} (same name and date)", *dup))) {
          return;
        }
        auto existing = *store_.event(*dup);
        apply(existing, x);
        store_.rewrite_event(existing);
        ++counts_.updated;
        return;
      }
    }
    if (!x.created) parsed.created = ctx_.now();
    parsed.id = choose_id(x.file_id, x.file_id && store_.event_exists(*x.file_id));
    const auto written_id = store_.write_event(parsed);
    remember(x.file_id, written_id);
    written(written_id);
    ++counts_.added;
  }

  void finish() override {}

 private:
  struct Extra {
    std::optional<std::int64_t> file_id;
    bool created = false;
  };

  void apply(store::Event& e, Extra& x) {
    using namespace transfer::event_col;
    x.file_id = number(id);
    if (auto n = required_text(name, "an event needs a name")) e.name = *n;
    if (value(kind)) {
      if (auto k = word(kind, domain::event_kinds)) e.kind = *k;
    } else {
      problem(kind, fmt::format("required: one of {}", domain::one_of_text(domain::event_kinds)));
    }
    if (const auto& d = value(date)) {
      if (domain::parse_iso_date(trim(*d))) {
        e.date = std::string(trim(*d));
      } else {
        problem(date, fmt::format("{} is not a date: expected YYYY-MM-DD", shown(*d)));
      }
    } else {
      problem(date, "required: the day it took place (YYYY-MM-DD)");
    }
    if (has(location)) e.location = value(location);
    if (has(note)) e.note = value(note);
    if (has(created)) {
      const auto c = time(created);
      x.created = c.has_value();
      if (c) e.created = *c;
    }
  }
};

}  // namespace

std::unique_ptr<RowImporter> make_row_importer(Context& ctx, Entity entity, OnDuplicate policy,
                                               bool csv_like, Problems& problems) {
  switch (entity) {
    case Entity::contacts:
      return std::make_unique<ContactImporter>(ctx, policy, csv_like, problems);
    case Entity::referrals:
      return std::make_unique<ReferralImporter>(ctx, policy, csv_like, problems);
    case Entity::touchpoints:
      return std::make_unique<TouchpointImporter>(ctx, policy, csv_like, problems);
    case Entity::events:
      return std::make_unique<EventImporter>(ctx, policy, csv_like, problems);
  }
  return nullptr;
}

}  // namespace refnet::cli::importing
