// The part of an import every record type shares: a file's columns matched to the record's
// description, a row's values read field by field, the file's ids, contact references and the
// duplicate policy. Internal to the import command (import_rows.cpp).
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

#include "cli/common.hpp"
#include "cli/import_rows.hpp"
#include "domain/npi.hpp"
#include "record/field.hpp"
#include "record/rules.hpp"
#include "text/text.hpp"

namespace refnet::cli::importing {

// What every entity's importer shares: the file's columns matched to the fields of the record's
// description, a row's values, each field read with its problems, the file's ids, contact
// references and the duplicate policy. A field the description cannot read from text alone (a
// reference to another record) goes to read_reference in the order the description lists it.
template <class R>
class RecordImporter : public RowImporter {
 public:
  RecordImporter(Context& ctx, const record::Description<R>& description, transfer::Entity entity,
                 OnDuplicate policy, bool csv_like, const ColumnChoices& choices,
                 Problems& problems, std::string_view table)
      : ctx_(ctx),
        store_(ctx.store()),
        description_(description),
        entity_(entity),
        policy_(policy),
        csv_like_(csv_like),
        choices_(choices),
        problems_(problems),
        id_field_(field("id")),
        created_field_(field("created")),
        contact_id_field_(field("contact_id")),
        contact_field_(field("contact")),
        contact_npi_field_(field("contact_npi")),
        values_(description.fields.size()),
        lines_(description.fields.size()),
        in_file_(description.fields.size(), false),
        map_used_(choices.map.size(), false),
        ignore_used_(choices.ignore.size(), false),
        checks_database_(store_.has_rows(table)) {
    for (const auto& [header, key] : choices.map) {
      const auto* f = description_.find(key);
      if (f == nullptr || (f->views & record::exported) == 0) {
        throw Error(Exit::usage,
                    fmt::format("invalid --map '{}={}': {} have no field {}", header, key,
                                transfer::to_string(entity_), key),
                    fmt::format("fields of {}: {}", transfer::to_string(entity_), field_list()));
      }
    }
  }

  void map_columns(const std::vector<std::string>& columns, std::size_t line) override {
    for (std::size_t i = mapped_.size(); i < columns.size(); ++i) {
      const auto& header = columns[i];
      ColumnUse use{header, "", ColumnUse::How::named};
      const auto choice = [&](const auto& list, std::vector<bool>& used, const auto& key_of) {
        const auto wanted = text::match_key(header);
        for (std::size_t k = 0; k < list.size(); ++k) {
          if (text::match_key(key_of(list[k])) == wanted) {
            used[k] = true;
            return static_cast<int>(k);
          }
        }
        return -1;
      };
      const Field* field = nullptr;
      if (choice(choices_.ignore, ignore_used_, [](const auto& h) { return h; }) >= 0) {
        use.how = ColumnUse::How::ignored;
      } else if (const int m =
                     choice(choices_.map, map_used_, [](const auto& pair) { return pair.first; });
                 m >= 0) {
        field = description_.find(choices_.map[static_cast<std::size_t>(m)].second);
        use.how = ColumnUse::How::mapped;
      } else if ((field = description_.match_header(header)) == nullptr) {
        if (choices_.ignore_unknown) {
          use.how = ColumnUse::How::ignored_unknown;
        } else {
          use.how = ColumnUse::How::unknown;
          problems_.add(line, header, unknown_column(header));
        }
      }
      if (field == nullptr) {
        mapped_.push_back(-1);
        used_.push_back(std::move(use));
        continue;
      }
      const int index = static_cast<int>(field - description_.fields.data());
      if (in_file_[index]) {
        std::string first;
        for (const auto& u : used_) {
          if (u.field == field->key && u.header != header) {
            first = fmt::format(" (as '{}', for {})", u.header, field->key);
          }
        }
        problems_.add(line, header, "the column is given twice" + first);
        use.how = ColumnUse::How::given_twice;
        mapped_.push_back(-1);
        used_.push_back(std::move(use));
        continue;
      }
      in_file_[index] = true;
      mapped_.push_back(index);
      use.field = std::string(field->key);
      used_.push_back(std::move(use));
    }
  }

  const std::vector<ColumnUse>& columns_used() const override { return used_; }

  std::vector<std::string> unused_choices() const override {
    std::vector<std::string> out;
    for (std::size_t k = 0; k < choices_.map.size(); ++k) {
      if (!map_used_[k])
        out.push_back(fmt::format("--map '{}={}'", choices_.map[k].first, choices_.map[k].second));
    }
    for (std::size_t k = 0; k < choices_.ignore.size(); ++k) {
      if (!ignore_used_[k]) out.push_back(fmt::format("--ignore '{}'", choices_.ignore[k]));
    }
    return out;
  }

  Counts counts() const override { return counts_; }

 protected:
  // The row's values by field: empty text is no value (csv has no null), and the csv/tsv
  // writers' formula guard is undone.
  void load(const io::Record& r) {
    line_ = r.line;
    row_problems_ = 0;
    file_id_.reset();
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

  // Sets every field the row has on `r`, in the description's order; a second call on an
  // existing record overlays the same values. The file's id is kept apart (file_id_): it names
  // the row, and may differ from the id the record gets.
  void read_row(R& r) {
    const auto& fields = description_.fields;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const auto& f = fields[i];
      const int at = static_cast<int>(i);
      if (at == id_field_) {
        file_id_ = number(at);
        continue;
      }
      if (f.read == nullptr) {
        read_reference(r, f.key);
        continue;
      }
      const auto& v = values_[i];
      if (!f.required.empty() && (!v || text::trim(*v).empty())) {
        problem(at, fmt::format("required: {}", f.required));
        continue;
      }
      if (!in_file_[i]) continue;
      if (auto p = f.read(r, v ? std::string_view(*v) : std::string_view())) problem(at, *p);
    }
  }

  // A field naming another record (a contact, an event, a row later in the file).
  virtual void read_reference(R& r, std::string_view key) = 0;

  using Field = record::Field<R>;

  // The exported fields' keys, for messages.
  std::string field_list() const {
    std::string out;
    for (const auto& f : description_.fields) {
      if ((f.views & record::exported) != 0) out += (out.empty() ? "" : ", ") + std::string(f.key);
    }
    return out;
  }

  // A header that names no field: what it may have meant, and how to say what it is.
  std::string unknown_column(const std::string& header) const {
    std::vector<std::string> names;
    std::vector<const Field*> of;
    for (const auto& f : description_.fields) {
      if ((f.views & record::exported) == 0) continue;
      names.emplace_back(f.key);
      of.push_back(&f);
      for (const auto alias : f.aliases) {
        names.emplace_back(alias);
        of.push_back(&f);
      }
    }
    if (const auto near = text::closest(header, names)) {
      const auto at = std::find(names.begin(), names.end(), *near) - names.begin();
      return fmt::format(
          "unknown column for {}: did you mean {}? Say so with --map '{}={}', or leave the "
          "column out with --ignore '{}' (or every unknown one with --ignore-unknown)",
          transfer::to_string(entity_), of[static_cast<std::size_t>(at)]->key, header,
          of[static_cast<std::size_t>(at)]->key, header);
    }
    return fmt::format(
        "unknown column for {}; name its field with --map '{}=FIELD' (fields: {}), or leave it "
        "out with --ignore '{}' (or every unknown one with --ignore-unknown)",
        transfer::to_string(entity_), header, field_list(), header);
  }

  // The index of the field `key` names in the description, -1 when it has none. A linear search:
  // what is looked up for every row of a large file is kept in the *_field_ members.
  int field(std::string_view key) const {
    const auto* f = description_.find(key);
    return f == nullptr ? -1 : static_cast<int>(f - description_.fields.data());
  }
  bool has(int field) const { return in_file_[field]; }
  const std::optional<std::string>& value(int field) const { return values_[field]; }
  bool given(int field) const {
    if (field < 0) return false;
    const auto& v = values_[field];
    return v && !text::trim(*v).empty();
  }

  void problem(int field, std::string_view what) {
    problems_.add(lines_[field], description_.fields[field].key, what);
    ++row_problems_;
  }
  void problem(std::string_view key, std::string_view what) {
    if (key.empty()) return row_problem(what);
    problem(field(key), what);
  }
  void row_problem(std::string_view what) {
    problems_.add(line_, "", what);
    ++row_problems_;
  }
  void problems(const std::vector<record::FieldProblem>& found) {
    for (const auto& p : found) problem(p.field, p.what);
  }

  std::optional<std::int64_t> number(int field) {
    const auto& v = value(field);
    if (!v) return std::nullopt;
    std::optional<std::int64_t> n;
    if (auto p = record::read_into(n, *v, record::Kind::id)) problem(field, *p);
    return n;
  }

  // The contact a referral or touchpoint row means: contact_id when it names the same contact
  // as `contact` (or `contact` is empty), else contact_npi, else the exact name.
  std::optional<std::int64_t> resolve_contact() {
    const int id_field = contact_id_field_;
    const int name_field = contact_field_;
    const int npi_field = contact_npi_field_;
    const auto contact_id = number(id_field);
    const auto& name = value(name_field);
    std::optional<std::string> npi;
    if (const auto& v = value(npi_field)) {
      npi = std::string(text::trim(*v));
      if (auto p = domain::npi_problem(*npi)) {
        problem(npi_field, fmt::format("{} is not a valid NPI: {}", record::shown(*npi), *p));
        return std::nullopt;
      }
    }
    if (row_problems_ > 0) return std::nullopt;
    std::string id_problem;
    if (contact_id) {
      const auto& known = contact_name(*contact_id);
      if (known && (!name || text::iequals_ascii(text::trim(*name), *known))) return contact_id;
      id_problem = known ? fmt::format("contact #{} is {}, not {}", *contact_id,
                                       record::shown(*known), record::shown(*name))
                         : fmt::format("no contact #{}", *contact_id);
    }
    if (npi) {
      auto [it, fresh] = by_npi_.try_emplace(*npi);
      if (fresh) it->second = store_.contact_id_by_npi(*npi);
      if (it->second) return it->second;
      problem(npi_field, fmt::format("no contact with NPI {}; import the contacts first", *npi));
      return std::nullopt;
    }
    if (name && !text::trim(*name).empty()) {
      auto [it, fresh] = by_name_.try_emplace(text::ascii_lower(text::trim(*name)));
      if (fresh) it->second = match_name(text::trim(*name));
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

  // A file id for a new row: kept when free, else the store picks one and the file's id is
  // remembered so later references in the same file still find the row.
  std::int64_t choose_id(bool taken) const { return file_id_ && !taken ? *file_id_ : 0; }
  // Whether the file's id is taken in `table`: by a record, live or voided, or by one whose
  // making was undone (an id is never given to another record). Ids past the greatest ever given
  // when the import began are only checked against the rows it wrote, so a bulk load into an
  // empty table asks nothing more.
  bool file_id_taken(const char* table) {
    if (!file_id_) return false;
    if (store_.exists(table, *file_id_)) return true;
    if (!given_before_) given_before_ = store_.last_id(table);
    return *file_id_ <= *given_before_ && store_.id_was_given(table, *file_id_);
  }
  void remember(std::int64_t db_id) {
    if (file_id_ && *file_id_ != db_id) remapped_[*file_id_] = db_id;
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
    remember(id);
    if (checks_database_) written_.insert(id);
    ++counts_.added;
  }

  Context& ctx_;
  store::Store& store_;
  std::optional<std::int64_t> given_before_;  // the importer's table's last_id when it began
  const record::Description<R>& description_;
  transfer::Entity entity_;
  OnDuplicate policy_;
  bool csv_like_;
  ColumnChoices choices_;
  Problems& problems_;
  Counts counts_;
  std::size_t line_ = 0;
  int row_problems_ = 0;
  std::optional<std::int64_t> file_id_;
  const int id_field_;
  const int created_field_;
  const int contact_id_field_;
  const int contact_field_;
  const int contact_npi_field_;

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
                         record::shown(name));
    }
    std::string ids;
    for (const auto* c : pool) ids += fmt::format("{}#{}", ids.empty() ? "" : ", ", c->id);
    return fmt::format("{} names {} contacts ({}); give contact_npi or contact_id",
                       record::shown(name), pool.size(), ids);
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
  std::vector<ColumnUse> used_;
  std::vector<bool> map_used_;
  std::vector<bool> ignore_used_;

 protected:
  // False when the table was empty before the import: no duplicate can be in the database.
  bool checks_database_;
};

// A reference to another row, resolved after the whole file is in (it may come later).
struct Pending {
  std::int64_t row = 0;     // the written row
  std::int64_t target = 0;  // the file's id of the row it refers to
  std::size_t line = 0;
};

}  // namespace refnet::cli::importing
