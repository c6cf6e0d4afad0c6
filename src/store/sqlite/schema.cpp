// The SQLite schema's migrations, in order, each run in one transaction (schema.sql: the result).
#include "store/sqlite/schema.hpp"

namespace refnet::store {

// Each migration moves the schema from version N to N+1 and runs in one transaction. A
// migration never changes once released: a later change is a new migration.
const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all{
      {1, "contacts, events, referrals, touchpoints, audit", R"sql(
CREATE TABLE event (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
  kind       TEXT NOT NULL CHECK (kind IN ('cme','conference','seminar','workshop','hosted',
                                           'association','social')),
  date       TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  location   TEXT,
  note       TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE contact (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
  role        TEXT NOT NULL DEFAULT 'other'
              CHECK (role IN ('pcp','specialist','allied','facility','other')),
  specialty   TEXT,
  practice    TEXT,
  npi         TEXT CHECK (npi IS NULL OR npi GLOB '[12][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),
  phone       TEXT,
  email       TEXT,
  city        TEXT,
  source      TEXT CHECK (source IS NULL OR source IN ('visit','referral','conference','cme',
                  'seminar','workshop','hosted-event','association','social','linkedin',
                  'doximity','sermo','other')),
  event_id    INTEGER REFERENCES event(id),
  note        TEXT,
  created_at  TEXT NOT NULL,
  archived_at TEXT,
  merged_into INTEGER REFERENCES contact(id),
  CHECK (merged_into IS NULL OR archived_at IS NOT NULL)
);
-- Two active contacts cannot share an NPI; archived ones may (a merged duplicate keeps its own).
CREATE UNIQUE INDEX contact_active_npi ON contact(npi) WHERE npi IS NOT NULL AND archived_at IS NULL;
CREATE INDEX contact_name ON contact(name COLLATE NOCASE);
CREATE INDEX contact_event ON contact(event_id) WHERE event_id IS NOT NULL;

CREATE TABLE contact_tag (
  contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
  tag        TEXT NOT NULL CHECK (length(tag) > 0),
  PRIMARY KEY (contact_id, tag)
) WITHOUT ROWID;
CREATE INDEX contact_tag_tag ON contact_tag(tag);

CREATE TABLE event_contact (
  event_id   INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
  contact_id INTEGER NOT NULL REFERENCES contact(id),
  PRIMARY KEY (event_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX event_contact_contact ON event_contact(contact_id);

CREATE TABLE referral (
  id              INTEGER PRIMARY KEY,
  direction       TEXT NOT NULL CHECK (direction IN ('in','out')),
  contact_id      INTEGER NOT NULL REFERENCES contact(id),
  patient         TEXT NOT NULL CHECK (length(trim(patient)) > 0),
  reason          TEXT,
  urgency         TEXT NOT NULL DEFAULT 'routine' CHECK (urgency IN ('routine','urgent','emergent')),
  referred_at     TEXT NOT NULL,
  acknowledge_due TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'new'
                  CHECK (status IN ('new','acknowledged','scheduled','seen','closed','declined',
                                    'cancelled','no-show')),
  acknowledged_at TEXT,
  scheduled_at    TEXT,
  seen_at         TEXT,
  closed_at       TEXT,
  declined_at     TEXT,
  cancelled_at    TEXT,
  no_show_at      TEXT,
  report_due      TEXT,
  decline_reason  TEXT,
  note            TEXT,
  created_at      TEXT NOT NULL,
  CHECK (status <> 'declined' OR (decline_reason IS NOT NULL AND length(trim(decline_reason)) > 0))
);
CREATE INDEX referral_contact ON referral(contact_id, referred_at);
CREATE INDEX referral_referred ON referral(referred_at);
-- The overdue report reads only open referrals: keep those lookups small.
CREATE INDEX referral_unacknowledged ON referral(acknowledge_due) WHERE status = 'new';
CREATE INDEX referral_report_owed ON referral(report_due) WHERE status = 'seen';

CREATE TABLE touchpoint (
  id           INTEGER PRIMARY KEY,
  contact_id   INTEGER NOT NULL REFERENCES contact(id),
  referral_id  INTEGER REFERENCES referral(id),
  via          TEXT NOT NULL CHECK (via IN ('call','email','visit','video','meeting','linkedin',
                                            'letter','update')),
  note         TEXT,
  origin       TEXT NOT NULL DEFAULT 'manual'
               CHECK (origin IN ('manual','after-referral','after-meeting')),
  created_at   TEXT NOT NULL,
  done_at      TEXT,
  due          TEXT,
  satisfied_by INTEGER REFERENCES touchpoint(id),
  dismissed_at TEXT,
  CHECK (done_at IS NOT NULL OR due IS NOT NULL)
);
CREATE INDEX touchpoint_contact ON touchpoint(contact_id, done_at);
CREATE INDEX touchpoint_open_plan ON touchpoint(due)
  WHERE done_at IS NULL AND satisfied_by IS NULL AND dismissed_at IS NULL;
CREATE INDEX touchpoint_referral ON touchpoint(referral_id) WHERE referral_id IS NOT NULL;

CREATE TABLE audit (
  id        INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  entity    TEXT NOT NULL CHECK (entity IN ('contact','referral','touchpoint','event','database')),
  entity_id INTEGER NOT NULL,
  old       TEXT CHECK (old IS NULL OR json_valid(old)),
  new       TEXT CHECK (new IS NULL OR json_valid(new))
);
CREATE INDEX audit_at ON audit(at);
CREATE INDEX audit_entity ON audit(entity, entity_id);
-- The audit trail is append-only.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
)sql"},
      {2, "report indexes", R"sql(
-- summary and trend count one direction's referrals over a period: a range of this index, which
-- also holds closed_at for the closed-loop count, so they never read the table. (reciprocity,
-- sources and the top referrers seek referral_direction_contact below once per contact.)
CREATE INDEX referral_period ON referral(direction, referred_at, closed_at);
-- Open as of an instant: referrals still open now, plus those that ended only after it.
CREATE INDEX referral_open ON referral(referred_at, status)
  WHERE status IN ('new','acknowledged','scheduled','seen');
CREATE INDEX referral_ended ON referral(coalesce(closed_at, declined_at, cancelled_at, no_show_at))
  WHERE status IN ('closed','declined','cancelled','no-show');

-- closed-loop, network and at-risk read referrals per direction and contact over a period; with
-- status and closed_at the index answers them without touching the table.
CREATE INDEX referral_direction_contact
  ON referral(direction, contact_id, referred_at, status, closed_at);

-- turnaround: the seconds from a referral to each later step, as virtual columns (computed on
-- read, stored only in the indexes below). NULL until the step happens.
ALTER TABLE referral ADD COLUMN referred_epoch INTEGER
  GENERATED ALWAYS AS (CAST(strftime('%s', referred_at) AS INTEGER)) VIRTUAL;
ALTER TABLE referral ADD COLUMN acknowledged_secs INTEGER
  GENERATED ALWAYS AS (strftime('%s', acknowledged_at) - strftime('%s', referred_at)) VIRTUAL;
ALTER TABLE referral ADD COLUMN scheduled_secs INTEGER
  GENERATED ALWAYS AS (strftime('%s', scheduled_at) - strftime('%s', referred_at)) VIRTUAL;
ALTER TABLE referral ADD COLUMN seen_secs INTEGER
  GENERATED ALWAYS AS (strftime('%s', seen_at) - strftime('%s', referred_at)) VIRTUAL;
ALTER TABLE referral ADD COLUMN closed_secs INTEGER
  GENERATED ALWAYS AS (strftime('%s', closed_at) - strftime('%s', referred_at)) VIRTUAL;
-- One per step, in the order a percentile is read: walking a (direction, urgency) slice in order
-- of turnaround reaches the median without sorting. A step dated before its referral is left out.
CREATE INDEX referral_acknowledged_turnaround
  ON referral(direction, urgency, acknowledged_secs, referred_epoch) WHERE acknowledged_secs >= 0;
CREATE INDEX referral_scheduled_turnaround
  ON referral(direction, urgency, scheduled_secs, referred_epoch) WHERE scheduled_secs >= 0;
CREATE INDEX referral_seen_turnaround
  ON referral(direction, urgency, seen_secs, referred_epoch) WHERE seen_secs >= 0;
CREATE INDEX referral_closed_turnaround
  ON referral(direction, urgency, closed_secs, referred_epoch) WHERE closed_secs >= 0;
-- The latest of those steps ('' before the first), so "did any step happen after as-of?" is one
-- seek at the end of an index instead of a check on every referral.
ALTER TABLE referral ADD COLUMN last_step_at TEXT
  GENERATED ALWAYS AS (max(coalesce(acknowledged_at, ''), coalesce(scheduled_at, ''),
                           coalesce(seen_at, ''), coalesce(closed_at, ''))) VIRTUAL;
CREATE INDEX referral_last_step ON referral(last_step_at);
)sql"},
      {3, "the database's secrets: the key of redacted exports", R"sql(
-- Random keys made once per database (io::new_key) and never exported: `export --redact` derives
-- patient pseudonyms from the "redaction" key, so they are stable here and differ elsewhere.
CREATE TABLE secret (
  purpose    TEXT PRIMARY KEY,
  value      BLOB NOT NULL CHECK (length(value) = 32),
  created_at TEXT NOT NULL
) WITHOUT ROWID;
)sql"},
      {4, "a narrow index for the per-contact report counts", R"sql(
-- reciprocity, sources and the top referrers of summary count each contact's referrals one
-- direction at a time (a range count and a max() seek per contact and direction): this index
-- holds just those columns, so the counts read about half the pages referral_direction_contact
-- would. On the demo's million referrals, reciprocity over a year took 0.28-0.38 s of CPU in
-- sqlite3 instead of 0.54 s.
CREATE INDEX referral_contact_direction ON referral(contact_id, direction, referred_at);
)sql"},
      {5, "cheaper writes: no temporary tables for the word checks, one index fewer", R"sql(
-- A CHECK of a column against a list of more than two words made SQLite build a temporary
-- b-tree of the list for every row written (OpenEphemeral in EXPLAIN): in a bulk insert that
-- was about a third of the time. The same rules written as comparisons joined by OR cost next to
-- nothing. SQLite cannot alter a CHECK, and these say exactly what the old ones said, so the
-- stored definitions of referral and touchpoint are edited the way SQLite documents for such
-- changes (lang_altertable.html, "Making Other Kinds Of Table Schema Changes"): every row
-- already satisfies them. The store unit tests check that no list is left and each rule holds.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(replace(sql,
  'CHECK (urgency IN (''routine'',''urgent'',''emergent''))',
  'CHECK (urgency = ''routine'' OR urgency = ''urgent'' OR urgency = ''emergent'')'),
  'CHECK (status IN (''new'',''acknowledged'',''scheduled'',''seen'',''closed'',''declined'',
                                    ''cancelled'',''no-show''))',
  'CHECK (status = ''new'' OR status = ''acknowledged'' OR status = ''scheduled'' OR status = ''seen'' OR status = ''closed'' OR status = ''declined'' OR status = ''cancelled'' OR status = ''no-show'')')
WHERE type = 'table' AND name = 'referral';
UPDATE sqlite_schema
SET sql = replace(replace(sql,
  'CHECK (via IN (''call'',''email'',''visit'',''video'',''meeting'',''linkedin'',
                                            ''letter'',''update''))',
  'CHECK (via = ''call'' OR via = ''email'' OR via = ''visit'' OR via = ''video'' OR via = ''meeting'' OR via = ''linkedin'' OR via = ''letter'' OR via = ''update'')'),
  'CHECK (origin IN (''manual'',''after-referral'',''after-meeting''))',
  'CHECK (origin = ''manual'' OR origin = ''after-referral'' OR origin = ''after-meeting'')')
WHERE type = 'table' AND name = 'touchpoint';
PRAGMA writable_schema = RESET;

-- The same for the conditions of the two partial indexes on a referral's status, checked for
-- every row written. A query uses them by stating the condition the same way
-- (open_status_condition and ended_status_condition in refnet/store/schema.hpp).
DROP INDEX referral_open;
CREATE INDEX referral_open ON referral(referred_at, status)
  WHERE (status = 'new' OR status = 'acknowledged' OR status = 'scheduled' OR status = 'seen');
DROP INDEX referral_ended;
CREATE INDEX referral_ended ON referral(coalesce(closed_at, declined_at, cancelled_at, no_show_at))
  WHERE (status = 'closed' OR status = 'declined' OR status = 'cancelled' OR status = 'no-show');

-- referral_contact (contact_id, referred_at) answered nothing referral_contact_direction
-- (contact_id, direction, referred_at) cannot: a contact's referrals, the duplicate check, the
-- contact_id foreign key, the last referral either way (a seek per direction). On a million
-- referrals it took 2.7 s to build in every import into an empty table and every demo.
DROP INDEX referral_contact;
)sql"},
      {6, "turnaround seconds by unixepoch()", R"sql(
-- The turnaround columns of migration 2 subtracted two strftime('%s', ...) texts, which SQLite
-- prints and parses back for every index entry: building the four turnaround indexes over a
-- million referrals took 4 s each. unixepoch() (SQLite 3.38) gives the same integer directly:
-- 2.4 s each. A virtual column cannot be altered, but dropping one rewrites no row; the indexes
-- on them go first and are built again.
DROP INDEX referral_acknowledged_turnaround;
DROP INDEX referral_scheduled_turnaround;
DROP INDEX referral_seen_turnaround;
DROP INDEX referral_closed_turnaround;
ALTER TABLE referral DROP COLUMN referred_epoch;
ALTER TABLE referral DROP COLUMN acknowledged_secs;
ALTER TABLE referral DROP COLUMN scheduled_secs;
ALTER TABLE referral DROP COLUMN seen_secs;
ALTER TABLE referral DROP COLUMN closed_secs;
ALTER TABLE referral ADD COLUMN referred_epoch INTEGER
  GENERATED ALWAYS AS (unixepoch(referred_at)) VIRTUAL;
ALTER TABLE referral ADD COLUMN acknowledged_secs INTEGER
  GENERATED ALWAYS AS (unixepoch(acknowledged_at) - unixepoch(referred_at)) VIRTUAL;
ALTER TABLE referral ADD COLUMN scheduled_secs INTEGER
  GENERATED ALWAYS AS (unixepoch(scheduled_at) - unixepoch(referred_at)) VIRTUAL;
ALTER TABLE referral ADD COLUMN seen_secs INTEGER
  GENERATED ALWAYS AS (unixepoch(seen_at) - unixepoch(referred_at)) VIRTUAL;
ALTER TABLE referral ADD COLUMN closed_secs INTEGER
  GENERATED ALWAYS AS (unixepoch(closed_at) - unixepoch(referred_at)) VIRTUAL;
CREATE INDEX referral_acknowledged_turnaround
  ON referral(direction, urgency, acknowledged_secs, referred_epoch) WHERE acknowledged_secs >= 0;
CREATE INDEX referral_scheduled_turnaround
  ON referral(direction, urgency, scheduled_secs, referred_epoch) WHERE scheduled_secs >= 0;
CREATE INDEX referral_seen_turnaround
  ON referral(direction, urgency, seen_secs, referred_epoch) WHERE seen_secs >= 0;
CREATE INDEX referral_closed_turnaround
  ON referral(direction, urgency, closed_secs, referred_epoch) WHERE closed_secs >= 0;
)sql"},
      {7, "referrals counted per day, kept by triggers", R"sql(
-- summary counts the referrals of its period each way, and the loops closed among them. Off
-- referral_period that is one pass over every entry of the period: 0.29 s for a year of a
-- million referrals. These counts per direction and UTC day (the first ten characters of
-- referred_at) make a year 730 rows; only the part days at either end of a period are counted
-- off the index. The triggers keep them in the transaction of every write, so they cannot go
-- stale; `refnet db check` counts them again. `closed` counts loops closed at any time after
-- the referral was made (CMS50); a report as of an earlier time takes away the later closings.
CREATE TABLE referral_day (
  direction TEXT NOT NULL,
  day       TEXT NOT NULL,
  referrals INTEGER NOT NULL,
  closed    INTEGER NOT NULL,
  PRIMARY KEY (direction, day)
) WITHOUT ROWID;

INSERT INTO referral_day (direction, day, referrals, closed)
SELECT direction, substr(referred_at, 1, 10), count(*), coalesce(sum(closed_at >= referred_at), 0)
FROM referral GROUP BY direction, substr(referred_at, 1, 10);

CREATE TRIGGER referral_day_insert AFTER INSERT ON referral BEGIN
  INSERT INTO referral_day (direction, day, referrals, closed)
  VALUES (new.direction, substr(new.referred_at, 1, 10), 1,
          coalesce(new.closed_at >= new.referred_at, 0))
  ON CONFLICT (direction, day) DO UPDATE
  SET referrals = referrals + 1, closed = closed + excluded.closed;
END;

CREATE TRIGGER referral_day_delete AFTER DELETE ON referral BEGIN
  UPDATE referral_day
  SET referrals = referrals - 1, closed = closed - coalesce(old.closed_at >= old.referred_at, 0)
  WHERE direction = old.direction AND day = substr(old.referred_at, 1, 10);
END;

CREATE TRIGGER referral_day_update AFTER UPDATE OF direction, referred_at, closed_at ON referral
WHEN old.direction IS NOT new.direction OR old.referred_at IS NOT new.referred_at
  OR coalesce(old.closed_at >= old.referred_at, 0) <> coalesce(new.closed_at >= new.referred_at, 0)
BEGIN
  UPDATE referral_day
  SET referrals = referrals - 1, closed = closed - coalesce(old.closed_at >= old.referred_at, 0)
  WHERE direction = old.direction AND day = substr(old.referred_at, 1, 10);
  INSERT INTO referral_day (direction, day, referrals, closed)
  VALUES (new.direction, substr(new.referred_at, 1, 10), 1,
          coalesce(new.closed_at >= new.referred_at, 0))
  ON CONFLICT (direction, day) DO UPDATE
  SET referrals = referrals + 1, closed = closed + excluded.closed;
END;
)sql"},
      {8, "two referral indexes in place of eight", R"sql(
-- A bulk load (demo, import) builds every index of referral and touchpoint again, and every
-- insert writes each of them. Eight referral indexes that served a report or two each are
-- folded into two: on the demo's million referrals the sixteen took 33 s to build, the ten
-- left about 14 s.
--
-- referral_steps replaces referral_period, the four turnaround indexes and referral_last_step:
-- summary's part days, trend's buckets and `list --direction` read a range of one direction's
-- referrals off it, and turnaround reads the step times of a period's referrals in one pass per
-- direction, computing each turnaround as it goes instead of through virtual columns that ran
-- unixepoch() twice per index entry (11 s of the build).
CREATE INDEX referral_steps
  ON referral(direction, referred_at, urgency, acknowledged_at, scheduled_at, seen_at, closed_at);
-- referral_contact_history replaces referral_direction_contact and referral_contact_direction:
-- reciprocity, sources, network, closed-loop, at-risk, overdue, `show` and merges read one
-- contact's referrals at a time, a direction after the other, off it, and never the table.
CREATE INDEX referral_contact_history
  ON referral(contact_id, direction, referred_at, status, closed_at);
DROP INDEX referral_period;
DROP INDEX referral_acknowledged_turnaround;
DROP INDEX referral_scheduled_turnaround;
DROP INDEX referral_seen_turnaround;
DROP INDEX referral_closed_turnaround;
DROP INDEX referral_last_step;
DROP INDEX referral_direction_contact;
DROP INDEX referral_contact_direction;
-- Virtual: dropping them edits the schema only, no row is rewritten.
ALTER TABLE referral DROP COLUMN last_step_at;
ALTER TABLE referral DROP COLUMN acknowledged_secs;
ALTER TABLE referral DROP COLUMN scheduled_secs;
ALTER TABLE referral DROP COLUMN seen_secs;
ALTER TABLE referral DROP COLUMN closed_secs;
ALTER TABLE referral DROP COLUMN referred_epoch;
)sql"},
      {9, "the overdue list off its indexes alone", R"sql(
-- The overdue list names each debt's contact and patient. Off partial indexes holding only the
-- due time, every referral listed cost a read of its table row: on the demo's million referrals
-- 15,000 reports owed took 0.36 s of the list's 0.48 s, most of it reading pages. With the
-- columns the list shows, these two indexes (of new and of seen referrals only, a few thousand
-- entries each) answer it alone. Each holds its status too, though it is always the same: SQLite
-- 3.40 counts an index as covering only when it holds every column a query names, its WHERE
-- included.
DROP INDEX referral_unacknowledged;
CREATE INDEX referral_unacknowledged
  ON referral(acknowledge_due, direction, contact_id, patient, status) WHERE status = 'new';
DROP INDEX referral_report_owed;
CREATE INDEX referral_report_owed
  ON referral(report_due, direction, contact_id, patient, status) WHERE status = 'seen';
)sql"},
      {10, "a contact's fax number", R"sql(
-- Most US practices still send and receive referrals by fax.
ALTER TABLE contact ADD COLUMN fax TEXT;
)sql"},
      {11, "the application id", R"sql(
-- "RFNT" (store::application_id): file(1) and `db restore` tell a refnet database by it.
PRAGMA application_id = 1380339284;
)sql"},
      {12, "a referral's appointment", R"sql(
-- The visit `status ID scheduled --date WHEN` books; once it has passed with the referral still
-- scheduled, report overdue asks for the outcome. The partial index holds only those waiting.
ALTER TABLE referral ADD COLUMN appointment_at TEXT;
CREATE INDEX referral_appointment_passed
  ON referral(appointment_at, direction, contact_id, patient, status)
  WHERE status = 'scheduled' AND appointment_at IS NOT NULL;
)sql"},
      {13, "what was open at a past as-of, off indexes", R"sql(
-- A report at a past --as-of rebuilds what was open then: the referrals open now, and those that
-- ended after as-of but were made by it. With referred_at beside the end time the second half is
-- read off the index alone: 0.18 s instead of 0.82 s at a mid-history as-of on a million
-- referrals, where half of them ended after it.
DROP INDEX referral_ended;
CREATE INDEX referral_ended
  ON referral(coalesce(closed_at, declined_at, cancelled_at, no_show_at), referred_at)
  WHERE (status = 'closed' OR status = 'declined' OR status = 'cancelled' OR status = 'no-show');
-- The plans due in the week after a past as-of (summary), open or closed since, and whether they
-- were open then, off one short range of an index of every plan.
CREATE INDEX touchpoint_plan ON touchpoint(due, created_at, done_at, dismissed_at, satisfied_by)
  WHERE due IS NOT NULL;
)sql"},
      {14, "voided records", R"sql(
-- A referral, touchpoint or event voided as entered in error (refnet void) leaves its table, so
-- no listing, report, export, index or kept count has to tell it apart, and is kept here whole:
-- every column as JSON, with what pointed at it (see SqliteStore::void_record), why and when.
CREATE TABLE voided (
  entity    TEXT NOT NULL CHECK (entity IN ('referral','touchpoint','event')),
  id        INTEGER NOT NULL,
  record    TEXT NOT NULL CHECK (json_valid(record)),
  reason    TEXT NOT NULL CHECK (length(trim(reason)) > 0),
  voided_at TEXT NOT NULL,
  PRIMARY KEY (entity, id)
) WITHOUT ROWID;
)sql"},
      {15, "the search index", R"sql(
-- `refnet search` (README "Search") looks words up in one FTS5 index of the text people type:
-- contact names, practices and notes; referral reasons and notes; touchpoint notes; event names
-- and notes. It is contentless (content=''): the text stays in its own tables only. One row per
-- record, its rowid the record's id times 4 plus its kind (0 contact, 1 referral, 2 touchpoint,
-- 3 event), a column per field, so the words of a search may be in different fields of one
-- record. unicode61 with remove_diacritics 2 folds case and accents; apostrophes (' and ’) and
-- dots are taken out of the text before it is indexed, so "O'Brien" is indexed as "obrien" and
-- "St." as "st" (refnet takes them out of the words searched for too). Triggers in plain SQL keep
-- the index current whoever writes the file, sqlite3 included. A contentless index forgets a row
-- when told its old text ('delete'), so each trigger computes it with the same expressions. A
-- referral or touchpoint with no text is not indexed.
CREATE VIRTUAL TABLE search USING fts5(
  name, practice, reason, note, content='', tokenize="unicode61 remove_diacritics 2");
-- A word in a name weighs most, then in a practice or a reason, then in a note.
INSERT INTO search (search, rank) VALUES ('rank', 'bm25(4.0, 2.0, 2.0, 1.0)');

INSERT INTO search (rowid, name, practice, note)
SELECT id * 4,
       replace(replace(replace(name, '''', ''), '’', ''), '.', ''),
       replace(replace(replace(practice, '''', ''), '’', ''), '.', ''),
       replace(replace(replace(note, '''', ''), '’', ''), '.', '')
FROM contact;

CREATE TRIGGER search_contact_insert AFTER INSERT ON contact BEGIN
  INSERT INTO search (rowid, name, practice, note)
  SELECT new.id * 4,
         replace(replace(replace(new.name, '''', ''), '’', ''), '.', ''),
         replace(replace(replace(new.practice, '''', ''), '’', ''), '.', ''),
         replace(replace(replace(new.note, '''', ''), '’', ''), '.', '');
END;

CREATE TRIGGER search_contact_delete AFTER DELETE ON contact BEGIN
  INSERT INTO search (search, rowid, name, practice, note)
  SELECT 'delete', old.id * 4,
         replace(replace(replace(old.name, '''', ''), '’', ''), '.', ''),
         replace(replace(replace(old.practice, '''', ''), '’', ''), '.', ''),
         replace(replace(replace(old.note, '''', ''), '’', ''), '.', '');
END;

CREATE TRIGGER search_contact_update AFTER UPDATE OF id, name, practice, note ON contact
WHEN old.id IS NOT new.id OR old.name IS NOT new.name OR old.practice IS NOT new.practice OR old.note IS NOT new.note
BEGIN
  INSERT INTO search (search, rowid, name, practice, note)
  SELECT 'delete', old.id * 4,
         replace(replace(replace(old.name, '''', ''), '’', ''), '.', ''),
         replace(replace(replace(old.practice, '''', ''), '’', ''), '.', ''),
         replace(replace(replace(old.note, '''', ''), '’', ''), '.', '');
  INSERT INTO search (rowid, name, practice, note)
  SELECT new.id * 4,
         replace(replace(replace(new.name, '''', ''), '’', ''), '.', ''),
         replace(replace(replace(new.practice, '''', ''), '’', ''), '.', ''),
         replace(replace(replace(new.note, '''', ''), '’', ''), '.', '');
END;

INSERT INTO search (rowid, reason, note)
SELECT id * 4 + 1,
       replace(replace(replace(reason, '''', ''), '’', ''), '.', ''),
       replace(replace(replace(note, '''', ''), '’', ''), '.', '')
FROM referral
WHERE reason IS NOT NULL OR note IS NOT NULL;

CREATE TRIGGER search_referral_insert AFTER INSERT ON referral BEGIN
  INSERT INTO search (rowid, reason, note)
  SELECT new.id * 4 + 1,
         replace(replace(replace(new.reason, '''', ''), '’', ''), '.', ''),
         replace(replace(replace(new.note, '''', ''), '’', ''), '.', '')
  WHERE new.reason IS NOT NULL OR new.note IS NOT NULL;
END;

CREATE TRIGGER search_referral_delete AFTER DELETE ON referral BEGIN
  INSERT INTO search (search, rowid, reason, note)
  SELECT 'delete', old.id * 4 + 1,
         replace(replace(replace(old.reason, '''', ''), '’', ''), '.', ''),
         replace(replace(replace(old.note, '''', ''), '’', ''), '.', '')
  WHERE old.reason IS NOT NULL OR old.note IS NOT NULL;
END;

CREATE TRIGGER search_referral_update AFTER UPDATE OF id, reason, note ON referral
WHEN old.id IS NOT new.id OR old.reason IS NOT new.reason OR old.note IS NOT new.note
BEGIN
  INSERT INTO search (search, rowid, reason, note)
  SELECT 'delete', old.id * 4 + 1,
         replace(replace(replace(old.reason, '''', ''), '’', ''), '.', ''),
         replace(replace(replace(old.note, '''', ''), '’', ''), '.', '')
  WHERE old.reason IS NOT NULL OR old.note IS NOT NULL;
  INSERT INTO search (rowid, reason, note)
  SELECT new.id * 4 + 1,
         replace(replace(replace(new.reason, '''', ''), '’', ''), '.', ''),
         replace(replace(replace(new.note, '''', ''), '’', ''), '.', '')
  WHERE new.reason IS NOT NULL OR new.note IS NOT NULL;
END;

INSERT INTO search (rowid, note)
SELECT id * 4 + 2,
       replace(replace(replace(note, '''', ''), '’', ''), '.', '')
FROM touchpoint
WHERE note IS NOT NULL;

CREATE TRIGGER search_touchpoint_insert AFTER INSERT ON touchpoint BEGIN
  INSERT INTO search (rowid, note)
  SELECT new.id * 4 + 2,
         replace(replace(replace(new.note, '''', ''), '’', ''), '.', '')
  WHERE new.note IS NOT NULL;
END;

CREATE TRIGGER search_touchpoint_delete AFTER DELETE ON touchpoint BEGIN
  INSERT INTO search (search, rowid, note)
  SELECT 'delete', old.id * 4 + 2,
         replace(replace(replace(old.note, '''', ''), '’', ''), '.', '')
  WHERE old.note IS NOT NULL;
END;

CREATE TRIGGER search_touchpoint_update AFTER UPDATE OF id, note ON touchpoint
WHEN old.id IS NOT new.id OR old.note IS NOT new.note
BEGIN
  INSERT INTO search (search, rowid, note)
  SELECT 'delete', old.id * 4 + 2,
         replace(replace(replace(old.note, '''', ''), '’', ''), '.', '')
  WHERE old.note IS NOT NULL;
  INSERT INTO search (rowid, note)
  SELECT new.id * 4 + 2,
         replace(replace(replace(new.note, '''', ''), '’', ''), '.', '')
  WHERE new.note IS NOT NULL;
END;

INSERT INTO search (rowid, name, note)
SELECT id * 4 + 3,
       replace(replace(replace(name, '''', ''), '’', ''), '.', ''),
       replace(replace(replace(note, '''', ''), '’', ''), '.', '')
FROM event;

CREATE TRIGGER search_event_insert AFTER INSERT ON event BEGIN
  INSERT INTO search (rowid, name, note)
  SELECT new.id * 4 + 3,
         replace(replace(replace(new.name, '''', ''), '’', ''), '.', ''),
         replace(replace(replace(new.note, '''', ''), '’', ''), '.', '');
END;

CREATE TRIGGER search_event_delete AFTER DELETE ON event BEGIN
  INSERT INTO search (search, rowid, name, note)
  SELECT 'delete', old.id * 4 + 3,
         replace(replace(replace(old.name, '''', ''), '’', ''), '.', ''),
         replace(replace(replace(old.note, '''', ''), '’', ''), '.', '');
END;

CREATE TRIGGER search_event_update AFTER UPDATE OF id, name, note ON event
WHEN old.id IS NOT new.id OR old.name IS NOT new.name OR old.note IS NOT new.note
BEGIN
  INSERT INTO search (search, rowid, name, note)
  SELECT 'delete', old.id * 4 + 3,
         replace(replace(replace(old.name, '''', ''), '’', ''), '.', ''),
         replace(replace(replace(old.note, '''', ''), '’', ''), '.', '');
  INSERT INTO search (rowid, name, note)
  SELECT new.id * 4 + 3,
         replace(replace(replace(new.name, '''', ''), '’', ''), '.', ''),
         replace(replace(replace(new.note, '''', ''), '’', ''), '.', '');
END;
)sql"},
      {16, "change sets, for undo", R"sql(
-- refnet undo takes back the changes of one command at a time: the audit rows one transaction
-- wrote share its change set, the id of its first row. An undo's own rows (action 'undo') name
-- the change set they took back. The trail stays append-only: its triggers are set aside only
-- while the rows written before this migration get their change set, each run of consecutive rows
-- with the same time and actor (what one command wrote) the id of its first row.
ALTER TABLE audit ADD COLUMN change_set INTEGER;
ALTER TABLE audit ADD COLUMN undoes INTEGER;
DROP TRIGGER audit_no_update;
CREATE TEMP TABLE audit_run AS
  SELECT id, sum(starts) OVER (ORDER BY id) AS run FROM (
    SELECT id, CASE WHEN at IS lag(at) OVER (ORDER BY id)
                     AND actor IS lag(actor) OVER (ORDER BY id) THEN 0 ELSE 1 END AS starts
    FROM audit);
UPDATE audit SET change_set = run_of.first_id
FROM (SELECT r.id, min(r.id) OVER (PARTITION BY r.run) AS first_id FROM audit_run r) AS run_of
WHERE run_of.id = audit.id;
DROP TABLE audit_run;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE INDEX audit_change_set ON audit(change_set);
CREATE INDEX audit_undoes ON audit(undoes) WHERE undoes IS NOT NULL;

-- A day whose last referral leaves (voided, or its recording undone) leaves the kept counts too,
-- so a command and its undo leave the file as it was.
DELETE FROM referral_day WHERE referrals = 0;
DROP TRIGGER referral_day_delete;
CREATE TRIGGER referral_day_delete AFTER DELETE ON referral BEGIN
  UPDATE referral_day
  SET referrals = referrals - 1, closed = closed - coalesce(old.closed_at >= old.referred_at, 0)
  WHERE direction = old.direction AND day = substr(old.referred_at, 1, 10);
  DELETE FROM referral_day
  WHERE direction = old.direction AND day = substr(old.referred_at, 1, 10) AND referrals = 0;
END;
DROP TRIGGER referral_day_update;
CREATE TRIGGER referral_day_update AFTER UPDATE OF direction, referred_at, closed_at ON referral
WHEN old.direction IS NOT new.direction OR old.referred_at IS NOT new.referred_at
  OR coalesce(old.closed_at >= old.referred_at, 0) <> coalesce(new.closed_at >= new.referred_at, 0)
BEGIN
  UPDATE referral_day
  SET referrals = referrals - 1, closed = closed - coalesce(old.closed_at >= old.referred_at, 0)
  WHERE direction = old.direction AND day = substr(old.referred_at, 1, 10);
  DELETE FROM referral_day
  WHERE direction = old.direction AND day = substr(old.referred_at, 1, 10) AND referrals = 0;
  INSERT INTO referral_day (direction, day, referrals, closed)
  VALUES (new.direction, substr(new.referred_at, 1, 10), 1,
          coalesce(new.closed_at >= new.referred_at, 0))
  ON CONFLICT (direction, day) DO UPDATE
  SET referrals = referrals + 1, closed = closed + excluded.closed;
END;
)sql"},
  };
  return all;
}

}  // namespace refnet::store
