-- The schema of a refnet database at version 14, as the migrations in schema.cpp leave it.
-- Written by `make schema` and checked by tests/unit/test_schema.cpp: change the
-- migrations, never this file.
PRAGMA user_version = 14;

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
  merged_into INTEGER REFERENCES contact(id), fax TEXT,
  CHECK (merged_into IS NULL OR archived_at IS NOT NULL)
);

CREATE UNIQUE INDEX contact_active_npi ON contact(npi) WHERE npi IS NOT NULL AND archived_at IS NULL;

CREATE INDEX contact_event ON contact(event_id) WHERE event_id IS NOT NULL;

CREATE INDEX contact_name ON contact(name COLLATE NOCASE);

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
  INSERT INTO referral_day (direction, day, referrals, closed)
  VALUES (new.direction, substr(new.referred_at, 1, 10), 1,
          coalesce(new.closed_at >= new.referred_at, 0))
  ON CONFLICT (direction, day) DO UPDATE
  SET referrals = referrals + 1, closed = closed + excluded.closed;
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
