// Bulk loads on PostgreSQL (demo, an import into an empty table): the rows add_* writes are held
// back and sent at finish() with COPY ... FROM STDIN, a table at a time, instead of one INSERT
// round trip each, with their search index made here (sqlite/fts5_words.hpp) and sent the same way;
// referral_day is recounted once for the days loaded instead of row by row.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <climits>
#include <map>
#include <set>
#include <unordered_set>
#include <utility>

#include "domain/time.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/postgres/query.hpp"
#include "store/sqlite/fts5_words.hpp"

namespace refnet::store {

namespace {

// Held rows are sent once they take this much memory, so that a load of millions of rows does
// not hold them all; each send is complete (parents first), so any point will do.
constexpr std::size_t send_at_bytes = std::size_t{64} << 20;

// One row in COPY's text format (PostgreSQL manual, COPY, "Text Format"): columns separated by
// tabs, NULL as \N, and backslash, tab, newline and carriage return escaped in values. Built
// whole before it joins the rows, so a value refused leaves none of it behind.
class Row {
 public:
  Row& operator<<(std::string_view value) {
    pg::check_text(value);
    next();
    for (const char c : value) {
      switch (c) {
        case '\\':
          line_ += "\\\\";
          break;
        case '\t':
          line_ += "\\t";
          break;
        case '\n':
          line_ += "\\n";
          break;
        case '\r':
          line_ += "\\r";
          break;
        default:
          line_.push_back(c);
      }
    }
    return *this;
  }
  Row& operator<<(const std::string& value) { return *this << std::string_view(value); }
  Row& operator<<(const char* value) { return *this << std::string_view(value); }
  Row& operator<<(std::int64_t value) {
    next();
    fmt::format_to(std::back_inserter(line_), "{}", value);
    return *this;
  }
  Row& operator<<(domain::Timestamp value) {
    next();
    line_ += domain::UtcText(value).view();
    return *this;
  }
  template <typename T>
  Row& operator<<(const std::optional<T>& value) {
    if (value) return *this << *value;
    next();
    line_ += "\\N";
    return *this;
  }
  // Adds the row to `rows`.
  void to(std::string& rows) {
    rows += line_;
    rows.push_back('\n');
  }

 private:
  void next() {
    if (started_) line_.push_back('\t');
    started_ = true;
  }
  std::string line_;
  bool started_ = false;
};

// Whether `sql` names `word` as a whole word (a table, not a column such as referral_id).
bool names(std::string_view sql, std::string_view word) {
  const auto part = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  for (auto at = sql.find(word); at != std::string_view::npos; at = sql.find(word, at + 1)) {
    const auto end = at + word.size();
    if ((at == 0 || !part(sql[at - 1])) && (end == sql.size() || !part(sql[end]))) return true;
  }
  return false;
}

}  // namespace

struct PgStore::Held {
  struct Table {
    const char* name;
    const char* columns;
    bool keeps_unsent = false;
    bool held = false;
    std::string rows;
    // The ids of the rows this load wrote, held or sent; the greatest id ever given when it
    // began (any greater one is this load's); the next id to give (id_or_next's, kept here).
    std::unordered_set<std::int64_t> ids;
    // Those of the rows held back, not sent yet (of contacts and events: their event_contact
    // rows are held with them).
    std::unordered_set<std::int64_t> unsent;
    std::int64_t given_before = 0;
    std::int64_t next = 1;

    // The id of a new row: `id` when given, else the next.
    std::int64_t id_for(std::int64_t id) const { return id > 0 ? id : next; }
    void add(std::int64_t id, Row& row) {
      row.to(rows);
      next = std::max(next, id + 1);
      ids.insert(id);
      if (keeps_unsent) unsent.insert(id);
    }
  };
  Table event{"event", "id, name, kind, date, location, note, created_at", true};
  Table contact{"contact",
                "id, name, role, specialty, practice, npi, phone, email, city, source, event_id, "
                "note, created_at, archived_at, merged_into, fax",
                true};
  Table referral{"referral",
                 "id, direction, contact_id, patient, reason, urgency, referred_at, "
                 "acknowledge_due, status, acknowledged_at, scheduled_at, seen_at, closed_at, "
                 "declined_at, cancelled_at, no_show_at, report_due, decline_reason, note, "
                 "created_at, appointment_at"};
  Table touchpoint{"touchpoint",
                   "id, contact_id, referral_id, via, note, origin, created_at, done_at, due, "
                   "satisfied_by, dismissed_at"};
  // contact_tag rows of held contacts; event_contact rows of held contacts or events, as
  // (contact, event): a set, as the INSERTs' ON CONFLICT DO NOTHING keeps one of each.
  std::string tags;
  std::set<std::pair<std::int64_t, std::int64_t>> met;
  // The days (YYYY-MM-DD) of the referrals held, to recount.
  std::set<std::string> days;
  // The search index of the rows held (search_schema.cpp): search_doc's rows, search_term's
  // (sent in order of the words, so that each lands beside the last in the index on them) and
  // what they add to search_total.
  std::string docs;
  std::vector<std::string> terms;
  std::size_t term_bytes = 0;
  std::int64_t doc_count = 0;
  std::int64_t token_count = 0;
  // The tokenizer, made on the first row held and kept from send to send.
  std::shared_ptr<detail::Fts5Words> words;
  // The tables whose statements see the held rows: a statement naming one sends them first.
  std::vector<std::string_view> read_by;

  std::array<Table*, 4> tables() { return {&event, &contact, &referral, &touchpoint}; }
  Table* table(std::string_view name) {
    for (auto* t : tables()) {
      if (t->held && name == t->name) return t;
    }
    return nullptr;
  }
  const Table* table(std::string_view name) const {
    for (const auto* t : {&event, &contact, &referral, &touchpoint}) {
      if (t->held && name == t->name) return t;
    }
    return nullptr;
  }
  std::size_t bytes() const {
    return event.rows.size() + contact.rows.size() + referral.rows.size() + touchpoint.rows.size() +
           tags.size() + met.size() * 32 + docs.size() + term_bytes;
  }
  bool empty() const {
    return event.rows.empty() && contact.rows.empty() && referral.rows.empty() &&
           touchpoint.rows.empty() && tags.empty() && met.empty();
  }

  // Indexes document `doc` (search_schema.cpp: the record's id times 4 plus its kind) with these
  // columns (name, practice, reason, note; nullopt: none), as search_add() does on the server:
  // where each word stands in its column, and the document's words in all.
  void index(std::int64_t doc, const std::array<std::optional<std::string_view>, 4>& columns) {
    if (!words) words = std::make_shared<detail::Fts5Words>();
    // Each word of each column with its places, in order.
    std::map<std::pair<int, std::string>, std::string> places;
    std::int64_t tokens = 0;
    for (int col = 0; col < 4; ++col) {
      if (!columns[col]) continue;
      int pos = 0;
      words->each(*columns[col], [&](std::string_view word) {
        auto& at = places[{col, std::string(word)}];
        fmt::format_to(std::back_inserter(at), "{}{}", at.empty() ? "" : ",", pos++);
      });
      tokens += pos;
    }
    Row row;
    row << doc << tokens;
    row.to(docs);
    for (const auto& [key, at] : places) {
      Row term;
      term << key.second << doc << std::int64_t{key.first} << "{" + at + "}" << tokens;
      std::string line;
      term.to(line);
      term_bytes += line.size() + sizeof(std::string);
      terms.push_back(std::move(line));
    }
    ++doc_count;
    token_count += tokens;
  }
};

// A load whose rows are held back until finish(), or until the transaction commits
// (commit_write). Dropped unfinished before a rollback, it sends nothing.
class PgStore::CopyLoad final : public Store::BulkLoad {
 public:
  explicit CopyLoad(PgStore& store) : store_(&store) {}
  ~CopyLoad() override { store_->held_.reset(); }
  CopyLoad(const CopyLoad&) = delete;
  CopyLoad& operator=(const CopyLoad&) = delete;
  void finish() override {
    store_->send_held();
    store_->analyze_loaded();
    store_->held_.reset();
  }

 private:
  PgStore* store_;
};

std::unique_ptr<Store::BulkLoad> PgStore::bulk_load(
    std::initializer_list<std::string_view> tables) {
  auto held = std::make_shared<Held>();
  for (const auto name : tables) {
    for (auto* t : held->tables()) {
      if (name != t->name) continue;
      t->held = true;
      // As id_or_next gives them, from the greatest id ever given when the load begins.
      t->given_before = last_id(name);
      t->next = t->given_before + 1;
    }
  }
  auto& read_by = held->read_by;
  // search_doc, search_term and search_total: a search index kept by triggers on the loaded
  // tables.
  if (held->event.held) read_by.insert(read_by.end(), {"event", "event_contact"});
  if (held->contact.held)
    read_by.insert(read_by.end(), {"contact", "contact_tag", "event_contact"});
  if (held->referral.held) read_by.insert(read_by.end(), {"referral", "referral_day"});
  if (held->touchpoint.held) read_by.push_back("touchpoint");
  if (!read_by.empty()) {
    read_by.insert(read_by.end(), {"search_doc", "search_term", "search_total"});
  }
  held_ = std::move(held);
  return std::make_unique<CopyLoad>(*this);
}

bool PgStore::holds(const char* table) const {
  return held_ && held_->table(table) != nullptr;
}

bool PgStore::holds_rows(std::string_view table) const {
  const auto* t = held_ ? held_->table(table) : nullptr;
  return t != nullptr && !t->ids.empty();
}

std::optional<bool> PgStore::wrote(std::string_view table, std::int64_t id) const {
  const auto* t = held_ ? held_->table(table) : nullptr;
  if (t == nullptr) return std::nullopt;
  if (t->ids.contains(id)) return true;
  if (id > t->given_before) return false;
  return std::nullopt;
}

std::int64_t PgStore::held_next(std::string_view table) const {
  return held_->table(table)->next;
}

pg::Query PgStore::beside_held(std::string_view sql) {
  return pg::Query(conn_, pg::numbered_parameters(sql));
}

std::int64_t PgStore::hold(const Contact& c) {
  auto& table = held_->contact;
  const auto id = table.id_for(c.id);
  Row row;
  row << id << c.name << c.role << c.specialty << c.practice << c.npi << c.phone << c.email
      << c.city << c.source << c.event_id << c.note << c.created << c.archived << c.merged_into
      << c.fax;
  std::string tag_rows;
  for (const auto tag : std::set<std::string_view>(c.tags.begin(), c.tags.end())) {
    Row tag_row;
    tag_row << id << tag;
    tag_row.to(tag_rows);
  }
  table.add(id, row);
  held_->tags += tag_rows;
  held_->index(id * 4, {c.name, c.practice, std::nullopt, c.note});
  if (held_->bytes() >= send_at_bytes) send_held();
  return id;
}

std::int64_t PgStore::hold(const Referral& r) {
  auto& table = held_->referral;
  const auto id = table.id_for(r.id);
  Row row;
  row << id << domain::to_string(r.direction) << r.contact_id << r.patient << r.reason
      << domain::to_string(r.urgency) << r.referred << r.acknowledge_due
      << domain::to_string(r.status) << r.acknowledged << r.scheduled << r.seen << r.closed
      << r.declined << r.cancelled << r.no_show << r.report_due << r.decline_reason << r.note
      << r.created << r.appointment;
  table.add(id, row);
  if (r.reason || r.note) held_->index(id * 4 + 1, {std::nullopt, std::nullopt, r.reason, r.note});
  const domain::UtcText referred(r.referred);
  held_->days.emplace(referred.view().substr(0, 10));
  if (held_->bytes() >= send_at_bytes) send_held();
  return id;
}

std::int64_t PgStore::hold(const Touchpoint& t) {
  auto& table = held_->touchpoint;
  const auto id = table.id_for(t.id);
  Row row;
  row << id << t.contact_id << t.referral_id << t.via << t.note << t.origin << t.created
      << t.done_at << t.due << t.satisfied_by << t.dismissed_at;
  table.add(id, row);
  if (t.note) held_->index(id * 4 + 2, {std::nullopt, std::nullopt, std::nullopt, t.note});
  if (held_->bytes() >= send_at_bytes) send_held();
  return id;
}

std::int64_t PgStore::hold(const Event& e) {
  auto& table = held_->event;
  const auto id = table.id_for(e.id);
  Row row;
  row << id << e.name << e.kind << e.date << e.location << e.note << e.created;
  table.add(id, row);
  held_->index(id * 4 + 3, {e.name, std::nullopt, std::nullopt, e.note});
  if (held_->bytes() >= send_at_bytes) send_held();
  return id;
}

bool PgStore::hold_met(std::int64_t event_id, std::int64_t contact_id) {
  if (!held_) return false;
  const bool contact = held_->contact.unsent.contains(contact_id);
  const bool event = held_->event.unsent.contains(event_id);
  if (!contact && !event) return false;
  held_->met.emplace(contact_id, event_id);
  return true;
}

bool PgStore::hold_contact_events(std::int64_t contact_id,
                                  const std::vector<std::int64_t>& event_ids) {
  // A contact still held has no event_contact row in the database, only held ones.
  if (!held_ || !held_->contact.unsent.contains(contact_id)) return false;
  auto& met = held_->met;
  met.erase(met.lower_bound({contact_id, INT64_MIN}), met.lower_bound({contact_id + 1, INT64_MIN}));
  for (const auto event_id : event_ids) met.emplace(contact_id, event_id);
  return true;
}

void PgStore::send_held_before(std::string_view sql) {
  if (!held_ || held_->empty()) return;
  for (const auto table : held_->read_by) {
    if (names(sql, table)) {
      send_held();
      return;
    }
  }
}

void PgStore::analyze_loaded() {
  // Below this many rows autovacuum's statistics of the tables stay close enough.
  constexpr std::size_t many = 10000;
  std::size_t rows = 0;
  std::vector<std::string_view> tables;
  for (const auto* t : held_->tables()) {
    if (t->ids.empty()) continue;
    rows += t->ids.size();
    tables.emplace_back(t->name);
  }
  if (rows < many) return;
  // The search index and the kept day counts grew with them.
  tables.insert(tables.end(), {"search_doc", "search_term", "referral_day"});
  pg::run(conn_, fmt::format("ANALYZE {}", fmt::join(tables, ", ")));
}

void PgStore::send_held() {
  if (!held_ || held_->empty()) return;
  // Taken out first: a failure leaves nothing held to send again (the transaction is lost). The
  // load goes on holding the same tables, knowing the ids it wrote and the next one.
  auto held = std::exchange(*held_, Held{});
  held_->read_by = held.read_by;
  held_->words = held.words;
  for (std::size_t i = 0; i < held.tables().size(); ++i) {
    auto& from = *held.tables()[i];
    auto& to = *held_->tables()[i];
    to.held = from.held;
    to.ids = std::move(from.ids);
    to.given_before = from.given_before;
    to.next = from.next;
  }
  const auto copy = [&](const char* table, const char* columns, const std::string& rows) {
    if (rows.empty()) return;
    pg::copy_in(conn_, fmt::format("COPY {} ({}) FROM STDIN", table, columns), rows);
  };
  // Triggers that keep something derived from rows skip them while refnet.bulk is on (schema.cpp),
  // and what they keep is made again below for the rows sent. Any role may set a setting of its
  // own (PostgreSQL manual, "Customized Options"); is_local: only until the transaction ends.
  pg::run(conn_, "SELECT set_config('refnet.bulk', 'on', true)");
  // Parents first, so that every foreign key finds its row when the COPY ends.
  copy(held.event.name, held.event.columns, held.event.rows);
  copy(held.contact.name, held.contact.columns, held.contact.rows);
  copy("contact_tag", "contact_id, tag", held.tags);
  if (!held.met.empty()) {
    std::string rows;
    for (const auto& [contact, event] : held.met) {
      Row row;
      row << event << contact;
      row.to(rows);
    }
    copy("event_contact", "event_id, contact_id", rows);
  }
  copy(held.referral.name, held.referral.columns, held.referral.rows);
  copy(held.touchpoint.name, held.touchpoint.columns, held.touchpoint.rows);
  pg::run(conn_, "SELECT set_config('refnet.bulk', 'off', true)");
  // Their search index, made by hold(), which the triggers left to this.
  copy("search_doc", "doc, tokens", held.docs);
  if (!held.terms.empty()) {
    std::sort(held.terms.begin(), held.terms.end());
    std::string rows;
    rows.reserve(held.term_bytes);
    for (const auto& line : held.terms) rows += line;
    held.terms = {};
    copy("search_term", "term, doc, col, pos, tokens", rows);
  }
  if (held.doc_count > 0) {
    pg::run(conn_, "UPDATE search_total SET docs = docs + $1, tokens = tokens + $2",
            {std::to_string(held.doc_count), std::to_string(held.token_count)}, {0, 0});
  }
  if (!held.days.empty()) {
    // referral_day for the days loaded, counted again from their referrals as the SQLite store's
    // recount does. A database whose referral_day_count() predates refnet.bulk counted the rows
    // as they came: the recount puts that right too.
    std::string days = "{";
    for (const auto& day : held.days) days += (days.size() > 1 ? "," : "") + day;
    days += "}";
    pg::run(conn_, "DELETE FROM referral_day WHERE day = ANY($1::text[])", {days}, {0});
    // The range lets the referral_referred index find the days' referrals.
    pg::run(conn_, R"sql(
      INSERT INTO referral_day (direction, day, referrals, closed)
      SELECT direction, substr(referred_at, 1, 10), count(*),
             count(*) FILTER (WHERE closed_at >= referred_at)
      FROM referral
      WHERE referred_at >= $2 AND referred_at < $3 AND substr(referred_at, 1, 10) = ANY($1::text[])
      GROUP BY 1, 2)sql",
            {days, *held.days.begin(), *held.days.rbegin() + "~"}, {0, 0, 0});
  }
}

}  // namespace refnet::store
