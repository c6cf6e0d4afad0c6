// The store on PostgreSQL: a database a group practice shares, over libpq.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/contact_ref.hpp"
#include "domain/followup.hpp"
#include "error.hpp"
#include "store/records.hpp"
#include "store/store.hpp"

namespace refnet::store {

namespace pg {
class Query;
}  // namespace pg

// The one place that speaks PostgreSQL's SQL, to one database over one connection (libpq).
// Every value is bound, never spliced into SQL text. Writers take one lock up front (an advisory
// lock, connection.cpp), so a command that decides on what it read decides on what is there
// when it commits: two people acknowledging or editing the same referral at once go one after
// the other, as on SQLite. The audit's actor is the database role, set by the server.
class PgStore final : public Store {
 public:
  // Connects to the database `conninfo` names (a postgresql:// URI or libpq keywords), and
  // readies it: on Open::create an empty database gets the schema; a database that is not
  // refnet's, or of a newer schema, is refused. busy_timeout becomes lock_timeout.
  static std::unique_ptr<PgStore> open(const std::string& conninfo,
                                       std::chrono::milliseconds busy_timeout, Open mode);

  ~PgStore() override;

  static int newest_version();
  int latest_version() override { return newest_version(); }
  int schema_version() override;
  // How many of the PostgreSQL schema's own revisions the database has (schema.hpp), and how
  // many this refnet knows.
  int revision();
  static int newest_revision();

  std::unique_ptr<BulkLoad> bulk_load(std::initializer_list<std::string_view> tables) override;
  std::unique_ptr<Scope> fill_alone() override;
  std::unique_ptr<Scope> load_alone() override;

  // --- records ---
  // One way to write each record, for commands and import alike: add_* stores a new record
  // whole (its id when not 0, which callers have checked is free; else the next one) and returns
  // its id; save_* replaces every field of the record with that id. A contact's tags go with it.
  std::int64_t add_contact(const Contact& contact) override;
  void save_contact(const Contact& contact) override;
  std::int64_t add_referral(const Referral& referral) override;
  void save_referral(const Referral& referral) override;
  std::int64_t add_touchpoint(const Touchpoint& touchpoint) override;
  void save_touchpoint(const Touchpoint& touchpoint) override;
  std::int64_t add_event(const Event& event) override;
  void save_event(const Event& event) override;

  // --- contacts ---
  // Moves referrals, touchpoints, event attendance and tags of `dup` to `keep`, fills keep's
  // empty fields from dup, and archives dup as merged into keep.
  void merge_contacts(std::int64_t keep, std::int64_t dup, Timestamp at) override;
  std::optional<Contact> contact(std::int64_t id) override;
  // The active contact holding this NPI, else the most recent archived one.
  std::optional<std::int64_t> contact_id_by_npi(std::string_view npi) override;
  // An active contact other than `except` holding this NPI.
  std::optional<std::int64_t> active_contact_with_npi(std::string_view npi,
                                                      std::optional<std::int64_t> except) override;
  // Contacts whose name contains `part`, case-insensitively (ASCII).
  std::vector<domain::ContactCandidate> contacts_matching(std::string_view part) override;
  void each_contact(const ContactFilter& filter,
                    const std::function<void(const Contact&)>& fn) override;
  Reciprocity reciprocity(std::int64_t contact_id) override;

  // --- events ---
  void add_event_contact(std::int64_t event_id, std::int64_t contact_id) override;
  std::optional<Event> event(std::int64_t id) override;
  // Events whose name matches exactly (case-insensitive), most recent first.
  std::vector<Event> events_named(std::string_view name) override;
  void each_event(const EventFilter& filter, const std::function<void(const Event&)>& fn) override;
  std::vector<std::int64_t> event_contacts(std::int64_t event_id) override;

  // --- referrals ---
  std::optional<Referral> referral(std::int64_t id) override;
  void each_referral(const ReferralFilter& filter,
                     const std::function<void(const Referral&)>& fn) override;

  // --- touchpoints ---
  std::optional<Touchpoint> touchpoint(std::int64_t id) override;
  std::vector<domain::PlannedFollowup> open_plans(std::int64_t contact_id) override;
  void each_touchpoint(const TouchpointFilter& filter,
                       const std::function<void(const Touchpoint&)>& fn) override;

  // --- voided records (refnet void) ---
  // Moves referral, touchpoint or event #id (entity) out of its table into the voided records,
  // with why and when, and every column as it was. What pointed at it lets go, and the record
  // keeps which did: a voided referral's touchpoints lose their referral, the plans a voided
  // touchpoint satisfied are open again, a voided event is no contact's event and no one was met
  // there. Its id is never given to another record. The caller holds the write transaction.
  void void_record(std::string_view entity, std::int64_t id, std::string_view reason,
                   Timestamp at) override;
  std::optional<VoidedRecord> voided(std::string_view entity, std::int64_t id) override;
  // The voided records of one entity, most recently voided first.
  void each_voided(std::string_view entity,
                   const std::function<void(const VoidedRecord&)>& fn) override;

  // --- audit ---
  std::int64_t audit(std::string_view action, std::string_view entity, std::int64_t entity_id,
                     const Text& old_json, const Text& new_json, std::string_view actor,
                     Timestamp at, std::optional<std::int64_t> undoes) override;
  // The trail, oldest first. With an entity and id, the entries of everything that concerns it:
  // for a contact also its referrals, touchpoints and the events where it was met; for a
  // referral also the touchpoints about it.
  void each_audit(std::optional<Timestamp> since, std::optional<std::int64_t> entity_id,
                  const Text& entity, const std::function<void(const AuditEntry&)>& fn) override;

  // --- undo (refnet undo) ---
  std::optional<std::int64_t> last_undoable_change() override;
  std::vector<AuditEntry> change_entries(std::int64_t change_set) override;
  std::vector<std::string> snapshot_differences(const std::string& expected,
                                                const std::string& actual,
                                                std::string_view aside) override;
  std::vector<std::string> dependents(std::string_view entity, std::int64_t id) override;
  std::vector<std::string> revert_conflicts(std::string_view entity, std::int64_t id,
                                            const Text& snapshot) override;
  std::optional<std::int64_t> undone_by(std::int64_t change_set) override;
  void revert_record(std::string_view entity, std::int64_t id, const Text& snapshot) override;
  void unvoid_record(std::string_view entity, std::int64_t id) override;

  // --- reports ---
  // Everything owed at `as_of`, as the database stood then, most overdue first: unacknowledged
  // referrals past their SLA (both directions), planned follow-ups past due, reports owed after
  // seen, appointments passed while scheduled, and active contacts with no touchpoint or
  // referral since `keep_in_touch_cutoff`. Debts due at one time go by kind, contact, then
  // referral and follow-up id.
  void each_overdue(AsOf as_of, Timestamp keep_in_touch_cutoff,
                    const std::function<void(const OverdueItem&)>& fn) override;
  // How many items each_overdue would list, by kind.
  OverdueCounts count_overdue(AsOf as_of, Timestamp keep_in_touch_cutoff) override;
  // What is planned in [as_of, until) as the database stood at as_of: planned follow-ups open
  // then and due in it, and appointments of referrals scheduled then, soonest first.
  std::vector<UpcomingItem> upcoming(AsOf as_of, Timestamp until) override;

  // The questions reports ask, over referrals made in [since, end) (an unset `since` means from
  // the beginning). Each answers with facts only, in no particular order: what a report makes
  // of them (rates, grades, percentiles, the order of its rows) is the report's.
  SummaryCounts summary_counts(std::optional<Timestamp> since, Timestamp end, AsOf as_of,
                               Timestamp followup_horizon) override;
  // Every contact with an inbound referral in the period, and how many.
  std::vector<TopReferrer> referrer_counts(std::optional<Timestamp> since, Timestamp end) override;
  // Every contact with a referral in the period: the counts and the last one each way.
  std::vector<ReciprocityRow> reciprocity_counts(std::optional<Timestamp> since,
                                                 Timestamp end) override;
  // Every contact with an inbound referral in the period, with its source channel, its own
  // event and the latest event it was met at, each only when dated on or before `as_of_date`
  // (YYYY-MM-DD, local).
  std::vector<ReferrerOrigin> referrer_origins(std::optional<Timestamp> since, Timestamp end,
                                               std::string_view as_of_date) override;
  // Every contact with an inbound referral in the period: how many, the last one, and its last
  // touchpoint done by `as_of`.
  std::vector<ReferrerTouch> referrer_touches(std::optional<Timestamp> since, Timestamp end,
                                              Timestamp as_of) override;
  // Referrals in and out in each range [bounds[i], bounds[i+1]), bounds ascending, at least two.
  std::vector<TrendCounts> referral_counts(const std::vector<Timestamp>& bounds) override;
  // Every contact with an inbound referral in [baseline_start, end): its counts in
  // [baseline_start, recent_start) and [recent_start, end), and its last referral.
  ContactWindows contact_windows(Timestamp baseline_start, Timestamp recent_start,
                                 Timestamp end) override;
  std::vector<ReferrerVolume> referrer_volumes(Timestamp baseline_start, Timestamp recent_start,
                                               Timestamp end) override;
  // Per direction and contact, the referrals made in the period and those whose loop closed by
  // `as_of` and not before the referral was made.
  std::vector<ClosedLoopCount> closed_loop_counts(std::optional<Timestamp> since, Timestamp end,
                                                  Timestamp as_of) override;
  // How long each referral made in the period took to reach each later step, by `as_of`.
  StepDurations step_durations(std::optional<Timestamp> since, Timestamp end,
                               Timestamp as_of) override;
  // Referral counts per direction and contact, with the contact's role and specialty.
  std::vector<NetworkEdge> network_edges(std::optional<Timestamp> since, Timestamp end) override;

  // --- search ---
  // Records whose indexed text (README "Search") holds every one of `words`, the last one also as
  // the start of a longer word, best match first (bm25: names weigh most), at most `limit`; of
  // `kind` only when given. Words are matched without regard to case and accents; they must hold
  // no apostrophe or dot (text::search_words takes them out). No words find nothing.
  std::vector<SearchHit> search(const std::vector<std::string>& words,
                                std::optional<SearchKind> kind, int limit) override;

  // --- import and export (transfer.cpp) ---
  // Whether `table` (contact, referral, touchpoint or event) holds any row; whether it holds the
  // one with this id.
  bool has_rows(std::string_view table) override;
  bool exists(std::string_view table, std::int64_t id) override;
  // The largest id in `table` (same tables), 0 when it has no rows: the next insert without an id
  // gets this plus one.
  bool id_was_given(std::string_view table, std::int64_t id) override;
  std::int64_t last_id(std::string_view table) override;
  // Contacts named exactly `name` (case-insensitive), active ones first.
  std::vector<domain::ContactCandidate> contacts_named(std::string_view name) override;
  // A contact with this name and practice (case-insensitive; no practice matches no practice),
  // among the active contacts or among the archived ones.
  std::optional<std::int64_t> contact_with_name_and_practice(std::string_view name,
                                                             const Text& practice,
                                                             bool archived) override;
  // The events where a contact was met (event_contact), by id.
  std::vector<std::int64_t> contact_event_ids(std::int64_t contact_id) override;
  void set_contact_events(std::int64_t contact_id,
                          const std::vector<std::int64_t>& event_ids) override;
  std::optional<std::int64_t> find_referral(domain::Direction direction, std::int64_t contact_id,
                                            std::string_view patient, Timestamp referred) override;
  std::optional<std::int64_t> find_touchpoint(std::int64_t contact_id, std::string_view via,
                                              std::optional<Timestamp> done_at,
                                              std::optional<Timestamp> due) override;
  std::optional<std::int64_t> find_event(std::string_view name, std::string_view date) override;
  // The database's own secrets (the redaction key): nullopt until one is stored. add_secret
  // keeps an existing one and says whether it stored `value`.
  std::optional<std::vector<unsigned char>> secret(std::string_view purpose) override;
  bool add_secret(std::string_view purpose, const std::vector<unsigned char>& value,
                  Timestamp at) override;

  // For the shell completion helper: names of active contacts starting with/containing a prefix.
  std::vector<std::string> contact_names(std::string_view prefix, int limit) override;
  std::vector<std::int64_t> open_referral_ids(int limit) override;
  // Planned follow-ups still open (not done, satisfied or dismissed), soonest due first.
  std::vector<std::int64_t> open_followup_ids(int limit) override;
  // Event names containing `part`, case-insensitively, names starting with it first.
  std::vector<std::string> event_names(std::string_view part, int limit) override;

  // --- maintenance (db check, db backup) ---
  // What PRAGMA integrity_check finds: empty when the file is sound.
  std::vector<std::string> integrity_problems() override;
  // Rows whose foreign key points at nothing, as "table row N: no parent in PARENT".
  std::vector<std::string> foreign_key_problems() override;
  // Days whose kept referral counts (referral_day) differ from the referrals themselves, and
  // referrals with a closing time that are not closed (the counts' reports rely on there being
  // none).
  std::vector<std::string> count_problems() override;
  // An online copy of the whole database into `file`, which must not exist: it is created 0600
  // whatever the umask, like the database. Throws Error(cant_create) when it cannot be.
  void backup_to(const std::filesystem::path& file) override;
  std::uint64_t write_image(
      const std::function<void(std::span<const unsigned char>)>& write) override;

  // --- a whole database into another (copy.cpp) ---
  std::unique_ptr<Scope> read_snapshot() override;
  std::unique_ptr<Scope> copy_in() override;
  std::vector<std::string> stored_columns(std::string_view table) override;
  void each_stored_row(std::string_view table, const std::vector<std::string>& columns,
                       const std::function<void(const std::vector<Text>&)>& fn) override;
  void put_stored_row(std::string_view table, const std::vector<std::string>& columns,
                      const std::vector<Text>& row) override;

  // "PostgreSQL 15.18": the server's version.
  std::string server_version();

 private:
  explicit PgStore(PGconn* conn);
  void begin_write() override;
  void commit_write() override;
  void rollback_write() noexcept override;
  // A statement for `sql`, its ?N parameters numbered as PostgreSQL's $N.
  pg::Query prepare(std::string_view sql);
  // Runs SQL without parameters.
  void exec(const std::string& sql);
  // The schema a database has: its version and PostgreSQL revision.
  struct SchemaState {
    int version = 0;
    int revision = 0;
  };
  // Refuses, with Error(data), a database that is another program's or of a newer schema; with
  // `create`, gives an empty one the schema. Returns the schema it found (or made), read in one
  // round trip with refnet_meta's application id.
  SchemaState check_is_ours(bool create);
  // Runs the revisions a database at `found` lacks (Open::existing, Open::create), as its owner
  // only (Error(cant_create) for anyone else); a reader of an older schema gets Error(data).
  void migrate(Open mode, SchemaState found);
  // A number refnet_meta holds (0 when it holds none), and the setting of one.
  int meta_number(const char* key);
  void put_meta(const char* key, const std::string& value);
  // Hands each row of an audit query (its columns: id, at, actor, action, entity, entity_id,
  // old, new, change_set, undoes) to `fn` with the fields it changed.
  void read_audit(pg::Query& s, const std::function<void(const AuditEntry&)>& fn);
  // The stored columns of a table other than id, in table order.
  std::vector<std::string> columns_of(const char* table);

  // --- bulk loads (bulk.cpp) ---
  // The rows a bulk load holds back until its finish(), and what they stand for.
  struct Held;
  class CopyLoad;
  // Whether the load under way holds back rows of `table`.
  bool holds(const char* table) const;
  // Holds back a new row: its id (the next one when 0), as add_* returns it.
  std::int64_t hold(const Contact& c);
  std::int64_t hold(const Referral& r);
  std::int64_t hold(const Touchpoint& t);
  std::int64_t hold(const Event& e);
  // Holds back event_contact rows of a contact or event the load holds; false when neither is.
  bool hold_met(std::int64_t event_id, std::int64_t contact_id);
  bool hold_contact_events(std::int64_t contact_id, const std::vector<std::int64_t>& event_ids);
  // Whether the load under way wrote rows of `table`; whether it wrote the one with this id:
  // nullopt when only the database can say (an id given before the load began).
  bool holds_rows(std::string_view table) const;
  std::optional<bool> wrote(std::string_view table, std::int64_t id) const;
  std::int64_t held_next(std::string_view table) const;
  // A statement that reads the database as it is, rows held back or not.
  pg::Query beside_held(std::string_view sql);
  // Sends the rows held back, if `sql` may read a table they go to: nothing reads around them.
  void send_held_before(std::string_view sql);
  // Sends the rows held back with COPY, parents first, and recounts their referral days.
  void send_held();
  // After a load of many rows, their tables' statistics for the planner, gathered in the load's
  // transaction (ANALYZE sees its rows): autovacuum comes by a minute or more later, and the
  // reports that follow would be planned for tables as they were. A role that does not own the
  // tables is skipped by the server with a warning refnet does not print.
  void analyze_loaded();

  PGconn* conn_;
  // The bulk load under way, if any (shared: the type is complete only in bulk.cpp).
  std::shared_ptr<Held> held_;
  // The change set of the write transaction under way: 0 until its first audit entry; -1 outside
  // a write transaction (each entry a change set of its own then).
  std::int64_t change_set_ = -1;
};

// What store::as_error says of the server's errors (by SQLSTATE) and libpq's: a lock timeout as
// Error(locked), a constraint as Error(data), a missing right as Error(cant_create).
std::optional<Error> postgres_error(const std::exception& e);
// What store::retryable says of them: a serialization failure or a deadlock.
bool postgres_retryable(const std::exception& e);

}  // namespace refnet::store
