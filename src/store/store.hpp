// The Store interface: every read and write refnet makes, and opening a database.
#pragma once

// The store: everything refnet keeps, behind one interface. Commands, reports and import speak
// to it in records (store/records.hpp) and narrow questions; only its implementations speak a
// database's language (SQLite in src/store/sqlite/). Every value is bound, never spliced into a
// query.

#include <chrono>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/contact_ref.hpp"
#include "domain/followup.hpp"
#include "error.hpp"
#include "store/records.hpp"

namespace refnet::store {

class Store {
 public:
  // existing: migrated to the latest schema on opening (commands that write). reading: a command
  // that only reads never creates, migrates or converts the file: an older schema is refused with
  // the way to migrate it. as_is: the file copied whole as it is (db backup), of any schema up to
  // the latest, never migrated or converted. read_only: a read-only connection (the shell
  // completion helper), the schema already the latest.
  enum class Open { existing, create, reading, as_is, read_only };

  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  virtual ~Store() = default;

  // The version of the database's schema, and the latest this refnet knows.
  virtual int schema_version() = 0;
  virtual int latest_version() = 0;
  // Whether opening it made the database (Open::create on a missing file, or an empty PostgreSQL
  // database given the schema).
  bool created() const { return created_; }

  // A write transaction that takes the write lock up front, so a reader never deadlocks half way
  // through a change, and what it reads stays as read until it commits. Rolls back unless
  // commit() is called.
  class WriteTransaction {
   public:
    explicit WriteTransaction(Store& store);
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;
    ~WriteTransaction();
    void commit();
    // How many write transactions this process has committed, on any database: a command whose
    // attempt committed one is not run again (cli::run).
    static std::size_t committed();

   private:
    Store* store_;
    bool done_ = false;
  };

  // Something a backend does for a while and undoes when it ends.
  class Scope {
   public:
    virtual ~Scope() = default;
  };

  // Loading many rows at once (demo, an import into an empty table), inside a WriteTransaction:
  // the backend may put off the upkeep of indexes and kept counts of those tables until finish(),
  // which must come before the rows are looked up again. If the transaction rolls back, so does
  // the load.
  class BulkLoad {
   public:
    virtual ~BulkLoad() = default;
    virtual void finish() = 0;
  };
  virtual std::unique_ptr<BulkLoad> bulk_load(std::initializer_list<std::string_view> tables) = 0;

  // For filling a new database alone (demo), begun before its WriteTransaction: the backend may
  // write with fewer safeguards than other writers need, as long as nobody else has the database
  // open; the rows written must refer only to rows just written.
  virtual std::unique_ptr<Scope> fill_alone() = 0;

  // For a bulk load into an empty table (an import), begun before its WriteTransaction: when
  // nobody else has the database open, the backend may write each page once instead of twice
  // (SQLite: the rollback journal instead of WAL); others who open it meanwhile wait for the load
  // as for any writer. When someone has it open, the load goes as any write does.
  virtual std::unique_ptr<Scope> load_alone() = 0;

  // --- records ---
  // One way to write each record, for commands and import alike: add_* stores a new record
  // whole (its id when not 0, which callers have checked is free; else the next one) and returns
  // its id; save_* replaces every field of the record with that id. A contact's tags go with it.
  virtual std::int64_t add_contact(const Contact& contact) = 0;
  virtual void save_contact(const Contact& contact) = 0;
  virtual std::int64_t add_referral(const Referral& referral) = 0;
  virtual void save_referral(const Referral& referral) = 0;
  virtual std::int64_t add_touchpoint(const Touchpoint& touchpoint) = 0;
  virtual void save_touchpoint(const Touchpoint& touchpoint) = 0;
  virtual std::int64_t add_event(const Event& event) = 0;
  virtual void save_event(const Event& event) = 0;

  // --- contacts ---
  // Moves referrals, touchpoints, event attendance and tags of `dup` to `keep`, fills keep's
  // empty fields from dup, and archives dup as merged into keep.
  virtual void merge_contacts(std::int64_t keep, std::int64_t dup, Timestamp at) = 0;
  virtual std::optional<Contact> contact(std::int64_t id) = 0;
  // The active contact holding this NPI, else the most recent archived one.
  virtual std::optional<std::int64_t> contact_id_by_npi(std::string_view npi) = 0;
  // An active contact other than `except` holding this NPI.
  virtual std::optional<std::int64_t> active_contact_with_npi(
      std::string_view npi, std::optional<std::int64_t> except) = 0;
  // Contacts whose name contains `part`, case-insensitively (ASCII).
  virtual std::vector<domain::ContactCandidate> contacts_matching(std::string_view part) = 0;
  virtual void each_contact(const ContactFilter& filter,
                            const std::function<void(const Contact&)>& fn) = 0;
  virtual Reciprocity reciprocity(std::int64_t contact_id) = 0;

  // --- events ---
  virtual void add_event_contact(std::int64_t event_id, std::int64_t contact_id) = 0;
  virtual std::optional<Event> event(std::int64_t id) = 0;
  // Events whose name matches exactly (case-insensitive), most recent first.
  virtual std::vector<Event> events_named(std::string_view name) = 0;
  virtual void each_event(const EventFilter& filter,
                          const std::function<void(const Event&)>& fn) = 0;
  virtual std::vector<std::int64_t> event_contacts(std::int64_t event_id) = 0;

  // --- referrals ---
  virtual std::optional<Referral> referral(std::int64_t id) = 0;
  virtual void each_referral(const ReferralFilter& filter,
                             const std::function<void(const Referral&)>& fn) = 0;

  // --- touchpoints ---
  virtual std::optional<Touchpoint> touchpoint(std::int64_t id) = 0;
  virtual std::vector<domain::PlannedFollowup> open_plans(std::int64_t contact_id) = 0;
  virtual void each_touchpoint(const TouchpointFilter& filter,
                               const std::function<void(const Touchpoint&)>& fn) = 0;

  // --- voided records (refnet void) ---
  // Moves referral, touchpoint or event #id (entity) out of its table into the voided records,
  // with why and when, and every column as it was. What pointed at it lets go, and the record
  // keeps which did: a voided referral's touchpoints lose their referral, the plans a voided
  // touchpoint satisfied are open again, a voided event is no contact's event and no one was met
  // there. Its id is never given to another record. The caller holds the write transaction.
  virtual void void_record(std::string_view entity, std::int64_t id, std::string_view reason,
                           Timestamp at) = 0;
  virtual std::optional<VoidedRecord> voided(std::string_view entity, std::int64_t id) = 0;
  // The voided records of one entity, most recently voided first.
  virtual void each_voided(std::string_view entity,
                           const std::function<void(const VoidedRecord&)>& fn) = 0;

  // --- audit ---
  // Appends an entry. The entries one write transaction appends are one change set (what one
  // command changed: refnet undo takes it back whole), numbered by the id of its first entry,
  // which is returned. An undo's entries name the change set they take back (`undoes`).
  virtual std::int64_t audit(std::string_view action, std::string_view entity,
                             std::int64_t entity_id, const Text& old_json, const Text& new_json,
                             std::string_view actor, Timestamp at,
                             std::optional<std::int64_t> undoes) = 0;
  // The trail, oldest first. With an entity and id, the entries of everything that concerns it:
  // for a contact also its referrals, touchpoints and the events where it was met; for a
  // referral also the touchpoints about it.
  virtual void each_audit(std::optional<Timestamp> since, std::optional<std::int64_t> entity_id,
                          const Text& entity, const std::function<void(const AuditEntry&)>& fn) = 0;

  // --- undo (refnet undo) ---
  // The latest change set that is not an undo's and was not taken back; nullopt when none is.
  virtual std::optional<std::int64_t> last_undoable_change() = 0;
  // The entries of one change set, in the order written.
  virtual std::vector<AuditEntry> change_entries(std::int64_t change_set) = 0;
  // The members of the snapshot `expected` (a flat JSON object, lists as arrays) whose value
  // `actual` does not hold, by key, compared by the store's JSON reader; the member `aside` (not
  // a field of the record: why the change was made) is left out.
  virtual std::vector<std::string> snapshot_differences(const std::string& expected,
                                                        const std::string& actual,
                                                        std::string_view aside) = 0;
  // What refers to `entity` #id, live or voided, as "referral #12": a record cannot be taken out
  // while anything does. A contact's tags and an event's attendance are its own, not listed.
  virtual std::vector<std::string> dependents(std::string_view entity, std::int64_t id) = 0;
  // Why `entity` #id cannot be put back as `snapshot` shows it (with none, as its voided record
  // holds it), as "event #3 is gone": a record it refers to is gone, or another active contact
  // holds its NPI, or (when it makes an archived contact active) its name and practice.
  virtual std::vector<std::string> revert_conflicts(std::string_view entity, std::int64_t id,
                                                    const Text& snapshot) = 0;
  // The undo's change set that took back `change_set`, if one did.
  virtual std::optional<std::int64_t> undone_by(std::int64_t change_set) = 0;
  // Puts `entity` #id back as an audit snapshot shows it: every stored field the snapshot names
  // (a contact's tags and an event's attendance too), the others as they are. With no snapshot
  // (the record did not exist), takes the record out with its tags and attendance. The caller
  // holds the write transaction and has checked dependents().
  virtual void revert_record(std::string_view entity, std::int64_t id, const Text& snapshot) = 0;
  // Puts a voided record back in its table, whole, and what let go of it back on it where it
  // still lets go (void_record's "detached"), voided since or not; it is no longer voided.
  virtual void unvoid_record(std::string_view entity, std::int64_t id) = 0;

  // --- reports ---
  // Everything owed at `as_of`, as the database stood then, most overdue first: unacknowledged
  // referrals past their SLA (both directions), planned follow-ups past due, reports owed after
  // seen, appointments passed while scheduled, and active contacts with no touchpoint or
  // referral since `keep_in_touch_cutoff`. Debts due at one time go by kind, contact, then
  // referral and follow-up id.
  virtual void each_overdue(AsOf as_of, Timestamp keep_in_touch_cutoff,
                            const std::function<void(const OverdueItem&)>& fn) = 0;
  // How many items each_overdue would list, by kind.
  virtual OverdueCounts count_overdue(AsOf as_of, Timestamp keep_in_touch_cutoff) = 0;
  // What is planned in [as_of, until) as the database stood at as_of: planned follow-ups open
  // then and due in it, and appointments of referrals scheduled then, soonest first.
  virtual std::vector<UpcomingItem> upcoming(AsOf as_of, Timestamp until) = 0;

  // The questions reports ask, over referrals made in [since, end) (an unset `since` means from
  // the beginning). Each answers with facts only, in no particular order: what a report makes
  // of them (rates, grades, percentiles, the order of its rows) is the report's.
  virtual SummaryCounts summary_counts(std::optional<Timestamp> since, Timestamp end, AsOf as_of,
                                       Timestamp followup_horizon) = 0;
  // Every contact with an inbound referral in the period, and how many.
  virtual std::vector<TopReferrer> referrer_counts(std::optional<Timestamp> since,
                                                   Timestamp end) = 0;
  // Every contact with a referral in the period: the counts and the last one each way.
  virtual std::vector<ReciprocityRow> reciprocity_counts(std::optional<Timestamp> since,
                                                         Timestamp end) = 0;
  // Every contact with an inbound referral in the period, with its source channel, its own
  // event and the latest event it was met at, each only when dated on or before `as_of_date`
  // (YYYY-MM-DD, local).
  virtual std::vector<ReferrerOrigin> referrer_origins(std::optional<Timestamp> since,
                                                       Timestamp end,
                                                       std::string_view as_of_date) = 0;
  // Every contact with an inbound referral in the period: how many, the last one, and its last
  // touchpoint done by `as_of`.
  virtual std::vector<ReferrerTouch> referrer_touches(std::optional<Timestamp> since, Timestamp end,
                                                      Timestamp as_of) = 0;
  // Referrals in and out in each range [bounds[i], bounds[i+1]), bounds ascending, at least two.
  virtual std::vector<TrendCounts> referral_counts(const std::vector<Timestamp>& bounds) = 0;
  // Every contact with an inbound referral in [baseline_start, end): its counts in
  // [baseline_start, recent_start) and [recent_start, end), and its last referral.
  virtual std::vector<ReferrerVolume> referrer_volumes(Timestamp baseline_start,
                                                       Timestamp recent_start, Timestamp end) = 0;
  // The same and both windows' reciprocity_counts at once: a store whose three statements would
  // each go through the same referrals reads them in one pass.
  virtual ContactWindows contact_windows(Timestamp baseline_start, Timestamp recent_start,
                                         Timestamp end) {
    return {referrer_volumes(baseline_start, recent_start, end),
            reciprocity_counts(baseline_start, recent_start),
            reciprocity_counts(recent_start, end)};
  }
  // Per direction and contact, the referrals made in the period and those whose loop closed by
  // `as_of` and not before the referral was made.
  virtual std::vector<ClosedLoopCount> closed_loop_counts(std::optional<Timestamp> since,
                                                          Timestamp end, Timestamp as_of) = 0;
  // How long each referral made in the period took to reach each later step, by `as_of`.
  virtual StepDurations step_durations(std::optional<Timestamp> since, Timestamp end,
                                       Timestamp as_of) = 0;
  // Referral counts per direction and contact, with the contact's role and specialty.
  virtual std::vector<NetworkEdge> network_edges(std::optional<Timestamp> since, Timestamp end) = 0;

  // --- search ---
  // Records whose indexed text (README "Search") holds every one of `words`, the last one also as
  // the start of a longer word, best match first (bm25: names weigh most), at most `limit`; of
  // `kind` only when given. Words are matched without regard to case and accents; they must hold
  // no apostrophe or dot (text::search_words takes them out). No words find nothing.
  virtual std::vector<SearchHit> search(const std::vector<std::string>& words,
                                        std::optional<SearchKind> kind, int limit) = 0;

  // --- import and export (transfer.cpp) ---
  // Whether `table` (contact, referral, touchpoint or event; for has_rows also audit or voided)
  // holds any row; whether it holds the one with this id.
  virtual bool has_rows(std::string_view table) = 0;
  virtual bool exists(std::string_view table, std::int64_t id) = 0;
  // Whether #id of `table` was ever given: a live record holds it, a voided one, or one whose
  // making refnet undo took back (the audit trail names it). Such an id is never given again.
  virtual bool id_was_given(std::string_view table, std::int64_t id) = 0;
  // The largest id in `table` (same tables), 0 when it has no rows: the next insert without an id
  // gets this plus one.
  virtual std::int64_t last_id(std::string_view table) = 0;
  // Contacts named exactly `name` (case-insensitive), active ones first.
  virtual std::vector<domain::ContactCandidate> contacts_named(std::string_view name) = 0;
  // A contact with this name and practice (case-insensitive; no practice matches no practice),
  // among the active contacts or among the archived ones.
  virtual std::optional<std::int64_t> contact_with_name_and_practice(std::string_view name,
                                                                     const Text& practice,
                                                                     bool archived) = 0;
  // The events where a contact was met (event_contact), by id.
  virtual std::vector<std::int64_t> contact_event_ids(std::int64_t contact_id) = 0;
  virtual void set_contact_events(std::int64_t contact_id,
                                  const std::vector<std::int64_t>& event_ids) = 0;
  virtual std::optional<std::int64_t> find_referral(domain::Direction direction,
                                                    std::int64_t contact_id,
                                                    std::string_view patient,
                                                    Timestamp referred) = 0;
  virtual std::optional<std::int64_t> find_touchpoint(std::int64_t contact_id, std::string_view via,
                                                      std::optional<Timestamp> done_at,
                                                      std::optional<Timestamp> due) = 0;
  virtual std::optional<std::int64_t> find_event(std::string_view name, std::string_view date) = 0;
  // The database's own secrets (the redaction key): nullopt until one is stored. add_secret
  // keeps an existing one and says whether it stored `value`.
  virtual std::optional<std::vector<unsigned char>> secret(std::string_view purpose) = 0;
  virtual bool add_secret(std::string_view purpose, const std::vector<unsigned char>& value,
                          Timestamp at) = 0;

  // For the shell completion helper: names of active contacts starting with/containing a prefix.
  virtual std::vector<std::string> contact_names(std::string_view prefix, int limit) = 0;
  virtual std::vector<std::int64_t> open_referral_ids(int limit) = 0;
  // Planned follow-ups still open (not done, satisfied or dismissed), soonest due first.
  virtual std::vector<std::int64_t> open_followup_ids(int limit) = 0;
  // Event names containing `part`, case-insensitively, names starting with it first.
  virtual std::vector<std::string> event_names(std::string_view part, int limit) = 0;

  // --- a whole database into another (db copy, db backup on PostgreSQL): see copy_database ---
  // For reading every table as one consistent state, until it ends.
  virtual std::unique_ptr<Scope> read_snapshot() = 0;
  // For receiving a copy, inside its WriteTransaction: references are checked at the commit, not
  // row by row (a contact merged into a later one), and audit entries keep the actor they have.
  virtual std::unique_ptr<Scope> copy_in() = 0;
  // The columns of `table` (one copy_database carries), id first where it has one.
  virtual std::vector<std::string> stored_columns(std::string_view table) = 0;
  // Every row of `table`, its values in `columns` order as stored text (an integer in decimal, a
  // blob in hex; NULL as nullopt), by primary key.
  virtual void each_stored_row(std::string_view table, const std::vector<std::string>& columns,
                               const std::function<void(const std::vector<Text>&)>& fn) = 0;
  // Stores a row as each_stored_row gave it. A secret replaces one of the same purpose.
  virtual void put_stored_row(std::string_view table, const std::vector<std::string>& columns,
                              const std::vector<Text>& row) = 0;

  // --- maintenance (db check, db backup) ---
  // What PRAGMA integrity_check finds: empty when the file is sound.
  virtual std::vector<std::string> integrity_problems() = 0;
  // Rows whose foreign key points at nothing, as "table row N: no parent in PARENT".
  virtual std::vector<std::string> foreign_key_problems() = 0;
  // Days whose kept referral counts (referral_day) differ from the referrals themselves, and
  // referrals with a closing time that are not closed (the counts' reports rely on there being
  // none).
  virtual std::vector<std::string> count_problems() = 0;
  // An online copy of the whole database into `file`, which must not exist: it is created 0600
  // whatever the umask, like the database. Throws Error(cant_create) when it cannot be.
  virtual void backup_to(const std::filesystem::path& file) = 0;
  // The whole database as one consistent image (one read transaction), handed to `write` in
  // pieces: what `db backup --encrypt` encrypts, so no plaintext copy is written anywhere.
  // Returns its size in bytes.
  virtual std::uint64_t write_image(
      const std::function<void(std::span<const unsigned char>)>& write) = 0;

 protected:
  bool created_ = false;
  virtual void begin_write() = 0;
  virtual void commit_write() = 0;
  virtual void rollback_write() noexcept = 0;
};

// Opens (or with Open::create creates) the database at `location`, migrated to the latest schema
// unless read-only. Throws Error(no_input) when it must exist and does not, Error(cant_create)
// when it cannot be created, Error(locked) when it stays locked, Error(io) otherwise.
std::unique_ptr<Store> open(const std::filesystem::path& location,
                            std::chrono::milliseconds busy_timeout, Store::Open mode);

// Connects to the refnet database on the PostgreSQL server that `conninfo` names (a postgresql://
// URL or libpq keywords; README "A practice on PostgreSQL"): Open::create gives an empty database
// the schema. Throws Error(no_input) when the database or its schema is missing, Error(config)
// without libpq, Error(locked) when it stays locked, Error(io) when the server cannot be reached.
std::unique_ptr<Store> open_server(const std::string& conninfo,
                                   std::chrono::milliseconds busy_timeout, Store::Open mode);

// The tables a copy carries, a table before those that refer to it: the records, the audit trail,
// the voided records and the database's secrets. What is derived from them (kept counts, the
// search index) the receiving store makes again as the rows arrive.
inline constexpr std::string_view copied_tables[] = {"event",         "contact",  "contact_tag",
                                                     "event_contact", "referral", "touchpoint",
                                                     "voided",        "audit",    "secret"};

// How many rows of each table copy_database carried, in copied_tables order.
struct CopyCounts {
  std::vector<std::pair<std::string, std::int64_t>> tables;
};

// Copies every row of every table of `from`, as one consistent state, into `to`, which must hold
// no record, audit entry or voided record (Error(data) otherwise), in one transaction of `to`:
// ids, times, the audit trail with its actors and change sets, voided records and the redaction
// key stay as they were, so the copy lists, reports and redacts as the original did.
CopyCounts copy_database(Store& from, Store& to);

// The database engine refnet was built with, for --version: "SQLite 3.40.1".
std::string engine_version();

// What `db restore` checks of a database file before it puts it in place: its integrity, that it
// is a refnet database, and its schema version (no newer than this refnet's).
struct CopyCheck {
  std::vector<std::string> problems;  // empty: the file is sound
  int schema_version = 0;
};
CopyCheck check_copy(const std::filesystem::path& file);

// Readies the database at `location` to be replaced by another file: its write-ahead log written
// into it and removed. Throws Error(locked) while another process has it open.
void release_for_replace(const std::filesystem::path& location,
                         std::chrono::milliseconds busy_timeout);

// Turns a backend's exception into the Error the user sees: a busy database into Error(locked),
// a constraint into Error(data), anything else into Error(io); never raw database text alone.
// Returns nullopt for exceptions that are not from a backend.
std::optional<Error> as_error(const std::exception& e);

// Whether `e` is a transaction the database gave up that may well succeed if run again: on
// PostgreSQL, a serialization failure or a deadlock (SQLSTATE 40001, 40P01), which a writer meets
// only beside another program's transactions or under a stricter default isolation.
bool retryable(const std::exception& e);

}  // namespace refnet::store
