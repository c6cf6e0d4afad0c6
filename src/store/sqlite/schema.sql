-- The schema of a refnet database at version 16, as the migrations in schema.cpp leave it.
-- Written by `make schema` and checked by tests/unit/test_schema.cpp: change the
-- migrations, never this file.
PRAGMA user_version = 16;

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

CREATE TRIGGER search_event_delete AFTER DELETE ON event BEGIN
  INSERT INTO search (search, rowid, name, note)
  SELECT 'delete', old.id * 4 + 3,
         replace(replace(replace(old.name, '''', ''), '’', ''), '.', ''),
         replace(replace(replace(old.note, '''', ''), '’', ''), '.', '');
END;

CREATE TRIGGER search_event_insert AFTER INSERT ON event BEGIN
  INSERT INTO search (rowid, name, note)
  SELECT new.id * 4 + 3,
         replace(replace(replace(new.name, '''', ''), '’', ''), '.', ''),
         replace(replace(replace(new.note, '''', ''), '’', ''), '.', '');
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
  merged_into INTEGER REFERENCES contact(id), fax TEXT,
  CHECK (merged_into IS NULL OR archived_at IS NOT NULL)
);

CREATE UNIQUE INDEX contact_active_npi ON contact(npi) WHERE npi IS NOT NULL AND archived_at IS NULL;

CREATE INDEX contact_event ON contact(event_id) WHERE event_id IS NOT NULL;

CREATE INDEX contact_name ON contact(name COLLATE NOCASE);

CREATE TRIGGER search_contact_delete AFTER DELETE ON contact BEGIN
  INSERT INTO search (search, rowid, name, practice, note)
  SELECT 'delete', old.id * 4,
         replace(replace(replace(old.name, '''', ''), '’', ''), '.', ''),
         replace(replace(replace(old.practice, '''', ''), '’', ''), '.', ''),
         replace(replace(replace(old.note, '''', ''), '’', ''), '.', '');
END;

CREATE TRIGGER search_contact_insert AFTER INSERT ON contact BEGIN
  INSERT INTO search (rowid, name, practice, note)
  SELECT new.id * 4,
         replace(replace(replace(new.name, '''', ''), '’', ''), '.', ''),
         replace(replace(replace(new.practice, '''', ''), '’', ''), '.', ''),
         replace(replace(replace(new.note, '''', ''), '’', ''), '.', '');
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
  urgency         TEXT NOT NULL DEFAULT 'routine' CHECK (urgency = 'routine' OR urgency = 'urgent' OR urgency = 'emergent'),
  referred_at     TEXT NOT NULL,
  acknowledge_due TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'new'
                  CHECK (status = 'new' OR status = 'acknowledged' OR status = 'scheduled' OR status = 'seen' OR status = 'closed' OR status = 'declined' OR status = 'cancelled' OR status = 'no-show'),
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
  created_at      TEXT NOT NULL, appointment_at TEXT,
  CHECK (status <> 'declined' OR (decline_reason IS NOT NULL AND length(trim(decline_reason)) > 0))
);

CREATE INDEX referral_appointment_passed
  ON referral(appointment_at, direction, contact_id, patient, status)
  WHERE status = 'scheduled' AND appointment_at IS NOT NULL;

CREATE INDEX referral_contact_history
  ON referral(contact_id, direction, referred_at, status, closed_at);

CREATE INDEX referral_ended
  ON referral(coalesce(closed_at, declined_at, cancelled_at, no_show_at), referred_at)
  WHERE (status = 'closed' OR status = 'declined' OR status = 'cancelled' OR status = 'no-show');

CREATE INDEX referral_open ON referral(referred_at, status)
  WHERE (status = 'new' OR status = 'acknowledged' OR status = 'scheduled' OR status = 'seen');

CREATE INDEX referral_referred ON referral(referred_at);

CREATE INDEX referral_report_owed
  ON referral(report_due, direction, contact_id, patient, status) WHERE status = 'seen';

CREATE INDEX referral_steps
  ON referral(direction, referred_at, urgency, acknowledged_at, scheduled_at, seen_at, closed_at);

CREATE INDEX referral_unacknowledged
  ON referral(acknowledge_due, direction, contact_id, patient, status) WHERE status = 'new';

CREATE TRIGGER referral_day_delete AFTER DELETE ON referral BEGIN
  UPDATE referral_day
  SET referrals = referrals - 1, closed = closed - coalesce(old.closed_at >= old.referred_at, 0)
  WHERE direction = old.direction AND day = substr(old.referred_at, 1, 10);
  DELETE FROM referral_day
  WHERE direction = old.direction AND day = substr(old.referred_at, 1, 10) AND referrals = 0;
END;

CREATE TRIGGER referral_day_insert AFTER INSERT ON referral BEGIN
  INSERT INTO referral_day (direction, day, referrals, closed)
  VALUES (new.direction, substr(new.referred_at, 1, 10), 1,
          coalesce(new.closed_at >= new.referred_at, 0))
  ON CONFLICT (direction, day) DO UPDATE
  SET referrals = referrals + 1, closed = closed + excluded.closed;
END;

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

CREATE TRIGGER search_referral_delete AFTER DELETE ON referral BEGIN
  INSERT INTO search (search, rowid, reason, note)
  SELECT 'delete', old.id * 4 + 1,
         replace(replace(replace(old.reason, '''', ''), '’', ''), '.', ''),
         replace(replace(replace(old.note, '''', ''), '’', ''), '.', '')
  WHERE old.reason IS NOT NULL OR old.note IS NOT NULL;
END;

CREATE TRIGGER search_referral_insert AFTER INSERT ON referral BEGIN
  INSERT INTO search (rowid, reason, note)
  SELECT new.id * 4 + 1,
         replace(replace(replace(new.reason, '''', ''), '’', ''), '.', ''),
         replace(replace(replace(new.note, '''', ''), '’', ''), '.', '')
  WHERE new.reason IS NOT NULL OR new.note IS NOT NULL;
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

CREATE TABLE touchpoint (
  id           INTEGER PRIMARY KEY,
  contact_id   INTEGER NOT NULL REFERENCES contact(id),
  referral_id  INTEGER REFERENCES referral(id),
  via          TEXT NOT NULL CHECK (via = 'call' OR via = 'email' OR via = 'visit' OR via = 'video' OR via = 'meeting' OR via = 'linkedin' OR via = 'letter' OR via = 'update'),
  note         TEXT,
  origin       TEXT NOT NULL DEFAULT 'manual'
               CHECK (origin = 'manual' OR origin = 'after-referral' OR origin = 'after-meeting'),
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

CREATE INDEX touchpoint_plan ON touchpoint(due, created_at, done_at, dismissed_at, satisfied_by)
  WHERE due IS NOT NULL;

CREATE INDEX touchpoint_referral ON touchpoint(referral_id) WHERE referral_id IS NOT NULL;

CREATE TRIGGER search_touchpoint_delete AFTER DELETE ON touchpoint BEGIN
  INSERT INTO search (search, rowid, note)
  SELECT 'delete', old.id * 4 + 2,
         replace(replace(replace(old.note, '''', ''), '’', ''), '.', '')
  WHERE old.note IS NOT NULL;
END;

CREATE TRIGGER search_touchpoint_insert AFTER INSERT ON touchpoint BEGIN
  INSERT INTO search (rowid, note)
  SELECT new.id * 4 + 2,
         replace(replace(replace(new.note, '''', ''), '’', ''), '.', '')
  WHERE new.note IS NOT NULL;
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

CREATE TABLE audit (
  id        INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  entity    TEXT NOT NULL CHECK (entity IN ('contact','referral','touchpoint','event','database')),
  entity_id INTEGER NOT NULL,
  old       TEXT CHECK (old IS NULL OR json_valid(old)),
  new       TEXT CHECK (new IS NULL OR json_valid(new))
, change_set INTEGER, undoes INTEGER);

CREATE INDEX audit_at ON audit(at);

CREATE INDEX audit_change_set ON audit(change_set);

CREATE INDEX audit_entity ON audit(entity, entity_id);

CREATE INDEX audit_undoes ON audit(undoes) WHERE undoes IS NOT NULL;

CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

CREATE TABLE secret (
  purpose    TEXT PRIMARY KEY,
  value      BLOB NOT NULL CHECK (length(value) = 32),
  created_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE referral_day (
  direction TEXT NOT NULL,
  day       TEXT NOT NULL,
  referrals INTEGER NOT NULL,
  closed    INTEGER NOT NULL,
  PRIMARY KEY (direction, day)
) WITHOUT ROWID;

CREATE TABLE voided (
  entity    TEXT NOT NULL CHECK (entity IN ('referral','touchpoint','event')),
  id        INTEGER NOT NULL,
  record    TEXT NOT NULL CHECK (json_valid(record)),
  reason    TEXT NOT NULL CHECK (length(trim(reason)) > 0),
  voided_at TEXT NOT NULL,
  PRIMARY KEY (entity, id)
) WITHOUT ROWID;

CREATE VIRTUAL TABLE search USING fts5(
  name, practice, reason, note, content='', tokenize="unicode61 remove_diacritics 2");

CREATE TABLE 'search_data'(id INTEGER PRIMARY KEY, block BLOB);

CREATE TABLE 'search_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

CREATE TABLE 'search_docsize'(id INTEGER PRIMARY KEY, sz BLOB);

CREATE TABLE 'search_config'(k PRIMARY KEY, v) WITHOUT ROWID;
