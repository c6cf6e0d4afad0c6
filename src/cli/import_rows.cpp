// The import's rules, one entity at a time: a file's columns matched to the record's fields by its
// description, each value read as the description says, the contact a row means found,
// duplicates decided by --on-duplicate, the record rules applied, and the record written whole.
#include "import_rows.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <variant>

#include "common.hpp"
#include "domain/followup.hpp"
#include "domain/npi.hpp"
#include "error.hpp"
#include "import_record.hpp"
#include "record/records.hpp"
#include "record/rules.hpp"
#include "text/text.hpp"

namespace refnet::cli::importing {

using domain::Timestamp;
using record::shown;
using transfer::Entity;

void Problems::add(std::size_t line, std::string_view column, std::string_view what) {
  ++count_;
  if (shown_.size() >= cap_) return;
  shown_.push_back(column.empty() ? fmt::format("{}:{}: {}", file_, line, what)
                                  : fmt::format("{}:{}: {}: {}", file_, line, column, what));
}

namespace {

using text::trim;

class ContactImporter final : public RecordImporter<store::Contact> {
 public:
  ContactImporter(Context& ctx, OnDuplicate policy, bool csv_like, const ColumnChoices& choices,
                  Problems& problems)
      : RecordImporter(ctx, record::contact(), Entity::contacts, policy, csv_like, choices,
                       problems, "contact") {}

  void import(const io::Record& r) override {
    load(r);
    store::Contact c;
    read_row(c);
    if (row_problems_ > 0) return;
    const bool archived = c.archived.has_value();
    // Two active contacts cannot share an NPI, in the file as in the database.
    if (!archived && c.npi) {
      const auto [it, fresh] = npi_lines_.try_emplace(*c.npi, line_);
      if (!fresh) {
        problem(field("npi"), fmt::format("NPI {} is already on line {}", *c.npi, it->second));
        return;
      }
    }
    std::optional<std::int64_t> duplicate;
    std::string why;
    int why_field = field("name");
    if (checks_database_) {
      if (!archived && c.npi) {
        if (auto holder = store_.active_contact_with_npi(*c.npi, std::nullopt);
            holder && preexisting(*holder)) {
          duplicate = holder;
          why = "the same NPI";
          why_field = field("npi");
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
      read_row(existing);
      if (!check(existing, *duplicate)) return;
      store_.save_contact(existing);
      finish_row(existing);
      ++counts_.updated;
      return;
    }
    if (!check(c, std::nullopt)) return;
    if (!given(created_field_)) c.created = ctx_.now();
    c.id = choose_id(file_id_taken("contact"));
    c.id = store_.add_contact(c);
    written(c.id);
    finish_row(c);
  }

  void finish() override {
    for (const auto& p : merges_) {
      const auto target = mapped_id(p.target);
      if (!store_.exists("contact", target)) {
        problems_.add(p.line, "merged_into",
                      fmt::format("no contact #{} in the file or the database", p.target));
      } else if (target == p.row) {
        problems_.add(p.line, "merged_into", "a contact cannot be merged into itself");
      } else {
        auto merged = *store_.contact(p.row);
        merged.merged_into = target;
        store_.save_contact(merged);
      }
    }
  }

 private:
  void read_reference(store::Contact& c, std::string_view key) override {
    if (key == "event_id") {
      if (has(field("event_id")) || has(field("event"))) c.event_id = resolve_event();
    } else if (key == "merged_into" && has(field("merged_into"))) {
      c.merged_into.reset();  // set once the whole file is in: it may name a later row
      merged_into_ = number(field("merged_into"));
    }
  }

  // The rules on a whole contact, before it is written.
  bool check(const store::Contact& c, std::optional<std::int64_t> self) {
    if (merged_into_ && !c.archived) {
      problem(field("merged_into"), "a merged contact must be archived too (archived is empty)");
    }
    if (self && !c.archived && c.npi) {
      if (auto holder = store_.active_contact_with_npi(*c.npi, self)) {
        problem(field("npi"),
                fmt::format("NPI {} already belongs to contact #{}", *c.npi, *holder));
      }
    }
    if (has(field("met_at"))) {
      for (const auto event : c.met_at) {
        if (!event_known(event)) {
          problem(field("met_at"), fmt::format("no event #{}; import the events first", event));
          break;
        }
      }
    }
    return row_problems_ == 0;
  }

  void finish_row(const store::Contact& c) {
    if (has(field("met_at"))) store_.set_contact_events(c.id, c.met_at);
    if (merged_into_) merges_.push_back({c.id, *merged_into_, line_});
    merged_into_.reset();
  }

  bool event_known(std::int64_t event) {
    auto [it, fresh] = events_.try_emplace(event, false);
    if (fresh) it->second = store_.exists("event", event);
    return it->second;
  }

  std::optional<std::int64_t> resolve_event() {
    const int id_field = field("event_id");
    const int name_field = field("event");
    const auto event = number(id_field);
    const auto& name = value(name_field);
    if (event) {
      if (auto e = store_.event(*event);
          e && (!name || text::iequals_ascii(trim(*name), e->name))) {
        return event;
      }
      if (!name) {
        problem(id_field, fmt::format("no event #{}; import the events first", *event));
        return std::nullopt;
      }
    }
    if (!name) return std::nullopt;
    const auto named = store_.events_named(trim(*name));
    if (named.empty()) {
      problem(name_field, fmt::format("no event named {}; import the events first", shown(*name)));
      return std::nullopt;
    }
    return named.front().id;
  }

  std::optional<std::int64_t> merged_into_;
  std::unordered_map<std::string, std::size_t> npi_lines_;
  std::unordered_map<std::int64_t, bool> events_;
  std::vector<Pending> merges_;
};

class ReferralImporter final : public RecordImporter<store::Referral> {
 public:
  ReferralImporter(Context& ctx, OnDuplicate policy, bool csv_like, const ColumnChoices& choices,
                   Problems& problems)
      : RecordImporter(ctx, record::referral(), Entity::referrals, policy, csv_like, choices,
                       problems, "referral"),
        sla_(ctx.sla()),
        acknowledge_due_field_(field("acknowledge_due")) {}

  void import(const io::Record& r) override {
    load(r);
    store::Referral parsed;
    read_row(parsed);
    if (row_problems_ > 0) return;
    if (checks_database_) {
      if (auto dup = store_.find_referral(parsed.direction, parsed.contact_id, parsed.patient,
                                          parsed.referred);
          dup && preexisting(*dup)) {
        if (!on_duplicate(field("patient"),
                          fmt::format("a duplicate of referral #{} (same contact, direction, "
                                      "patient and date)",
                                      *dup))) {
          return;
        }
        auto existing = *store_.referral(*dup);
        read_row(existing);
        if (!complete(existing)) return;
        store_.save_referral(existing);
        ++counts_.updated;
        return;
      }
    }
    if (!complete(parsed)) return;
    parsed.id = choose_id(file_id_taken("referral"));
    written(store_.add_referral(parsed));
  }

  void finish() override {}

 private:
  void read_reference(store::Referral& r, std::string_view key) override {
    if (key != "contact_id") return;  // contact and contact_npi are read with it
    if (auto who = resolve_contact()) r.contact_id = *who;
  }

  bool complete(store::Referral& r) {
    const record::ReferralGiven given_times{given(acknowledge_due_field_), given(created_field_)};
    problems(record::complete_referral(r, given_times, ctx_.now(), sla_));
    return row_problems_ == 0;
  }

  domain::ServiceLevels sla_;
  const int acknowledge_due_field_;
};

class TouchpointImporter final : public RecordImporter<store::Touchpoint> {
 public:
  TouchpointImporter(Context& ctx, OnDuplicate policy, bool csv_like, const ColumnChoices& choices,
                     Problems& problems)
      : RecordImporter(ctx, record::touchpoint(), Entity::touchpoints, policy, csv_like, choices,
                       problems, "touchpoint") {}

  void import(const io::Record& r) override {
    load(r);
    store::Touchpoint parsed;
    read_row(parsed);
    if (row_problems_ > 0) return;
    if (checks_database_) {
      if (auto dup =
              store_.find_touchpoint(parsed.contact_id, parsed.via, parsed.done_at, parsed.due);
          dup && preexisting(*dup)) {
        if (!on_duplicate(field("via"), fmt::format("a duplicate of touchpoint #{} (same contact, "
                                                    "via, done_at and due)",
                                                    *dup))) {
          return;
        }
        auto existing = *store_.touchpoint(*dup);
        read_row(existing);
        if (!check(existing)) return;
        store_.save_touchpoint(existing);
        if (satisfied_by_) satisfied_.push_back({existing.id, *satisfied_by_, line_});
        ++counts_.updated;
        return;
      }
    }
    if (!check(parsed)) return;
    if (!given(created_field_)) parsed.created = ctx_.now();
    parsed.id = choose_id(file_id_taken("touchpoint"));
    const auto written_id = store_.add_touchpoint(parsed);
    written(written_id);
    if (satisfied_by_) satisfied_.push_back({written_id, *satisfied_by_, line_});
    if (parsed.done_at && !states_satisfaction_) {
      logged_.push_back({written_id, {parsed.contact_id, *parsed.done_at}});
    }
  }

  void finish() override {
    for (const auto& p : satisfied_) {
      const auto target = mapped_id(p.target);
      if (!store_.exists("touchpoint", target)) {
        problems_.add(p.line, "satisfied_by",
                      fmt::format("no touchpoint #{} in the file or the database", p.target));
      } else {
        change_touchpoint(store_, p.row, [&](store::Touchpoint& t) { t.satisfied_by = target; });
      }
    }
    if (!states_satisfaction_) satisfy_open_plans();
  }

 private:
  struct Logged {
    std::int64_t id = 0;
    domain::LoggedTouchpoint touchpoint;
  };

  void read_reference(store::Touchpoint& t, std::string_view key) override {
    if (key == "contact_id") {
      if (auto who = resolve_contact()) t.contact_id = *who;
    } else if (key == "satisfied_by") {
      satisfied_by_.reset();
      if (!has(field("satisfied_by"))) return;
      states_satisfaction_ = true;
      t.satisfied_by.reset();  // set once the whole file is in: it may name a later row
      satisfied_by_ = number(field("satisfied_by"));
    }
  }

  bool check(const store::Touchpoint& t) {
    std::optional<std::int64_t> with;
    if (t.referral_id) {
      if (const auto referral = store_.referral(*t.referral_id)) with = referral->contact_id;
    }
    problems(record::check_touchpoint(t, with));
    return row_problems_ == 0;
  }

  // A file with a satisfied_by column (an export) says which plan each touchpoint closed; a
  // spreadsheet without one gets the rule `followup` applies: a touchpoint logged after a plan
  // was made satisfies it, earliest touchpoint first.
  void satisfy_open_plans() {
    std::stable_sort(logged_.begin(), logged_.end(), [](const Logged& a, const Logged& b) {
      return a.touchpoint.done_at < b.touchpoint.done_at;
    });
    for (const auto& logged : logged_) {
      const auto& touchpoint = logged.touchpoint;
      for (const auto plan :
           domain::satisfied_by(touchpoint, store_.open_plans(touchpoint.contact_id))) {
        if (plan == logged.id) continue;
        change_touchpoint(store_, plan, [&](store::Touchpoint& t) { t.satisfied_by = logged.id; });
      }
    }
  }

  std::optional<std::int64_t> satisfied_by_;
  std::vector<Pending> satisfied_;
  std::vector<Logged> logged_;
  bool states_satisfaction_ = false;
};

class EventImporter final : public RecordImporter<store::Event> {
 public:
  EventImporter(Context& ctx, OnDuplicate policy, bool csv_like, const ColumnChoices& choices,
                Problems& problems)
      : RecordImporter(ctx, record::event(), Entity::events, policy, csv_like, choices, problems,
                       "event") {}

  void import(const io::Record& r) override {
    load(r);
    store::Event parsed;
    read_row(parsed);
    if (row_problems_ > 0) return;
    if (checks_database_) {
      if (auto dup = store_.find_event(parsed.name, parsed.date); dup && preexisting(*dup)) {
        if (!on_duplicate(field("name"),
                          fmt::format("a duplicate of event #{} (same name and date)", *dup))) {
          return;
        }
        auto existing = *store_.event(*dup);
        read_row(existing);
        store_.save_event(existing);
        ++counts_.updated;
        return;
      }
    }
    if (!given(created_field_)) parsed.created = ctx_.now();
    parsed.id = choose_id(file_id_taken("event"));
    written(store_.add_event(parsed));
  }

  void finish() override {}

 private:
  void read_reference(store::Event&, std::string_view) override {}  // met is a count, ignored
};

}  // namespace

std::unique_ptr<RowImporter> make_row_importer(Context& ctx, Entity entity, OnDuplicate policy,
                                               bool csv_like, const ColumnChoices& choices,
                                               Problems& problems) {
  switch (entity) {
    case Entity::contacts:
      return std::make_unique<ContactImporter>(ctx, policy, csv_like, choices, problems);
    case Entity::referrals:
      return std::make_unique<ReferralImporter>(ctx, policy, csv_like, choices, problems);
    case Entity::touchpoints:
      return std::make_unique<TouchpointImporter>(ctx, policy, csv_like, choices, problems);
    case Entity::events:
      return std::make_unique<EventImporter>(ctx, policy, csv_like, choices, problems);
  }
  return nullptr;
}

}  // namespace refnet::cli::importing
