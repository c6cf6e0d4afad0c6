"""An independent reference implementation of refnet's reports, written from the documentation.

It reads what `refnet export contacts|referrals|touchpoints|events --format json` writes, and the
settings of the configuration the reports use, and works each report out again by the definitions
of README.md ("Reports"), refnet(1) and refnet-config(5), and by the as-of rule:

    Every report sees the database as it stood at --as-of; at a past as-of only what had happened
    by then counts (a referral from its referred time, at the furthest step of its lifecycle
    stamped by then; a touchpoint done from its done_at; a planned follow-up from its created time, open until
    it was done, dismissed or satisfied; a contact from its creation, active unless archived by
    then; an event from its date).

Nothing here reads refnet's SQL or its report code. Standard library only.

Times are handled as whole seconds since the epoch (int); stored times are UTC text
(`2026-11-27T09:00:00Z`). Local days, weeks, months and calendar-day durations use the time zone
given (zoneinfo), as refnet uses TZ.

    data = Data.load(folder)   # contacts.json, referrals.json, touchpoints.json, events.json
    config = Config(holidays=["2026-12-25"], keep_in_touch="13w")
    rows = report("summary", data, config, "America/New_York", now="2026-11-27T09:00:00Z",
                  as_of=None, since="2026-11-01", until=None)

`report` returns the rows as `refnet report NAME --format json` would print them (a list of
dicts with the same keys), or raises UsageError where refnet is documented to exit 2.
"""

import json
import math
import os
import re
from datetime import date, datetime, time, timedelta, timezone
from fractions import Fraction
from zoneinfo import ZoneInfo

REPORTS = ("summary", "overdue", "reciprocity", "sources", "trend", "at-risk", "closed-loop",
           "turnaround", "network")

DAY = 86400
STEPS = (  # every status stamp of a referral, in lifecycle order (the exits last), with its status
    ("acknowledged", "acknowledged"),
    ("scheduled", "scheduled"),
    ("seen", "seen"),
    ("closed", "closed"),
    ("declined", "declined"),
    ("cancelled", "cancelled"),
    ("no_show", "no-show"),
)
FINAL = {"closed", "declined", "cancelled", "no-show"}
TURNAROUND_STEPS = ("acknowledged", "scheduled", "seen", "closed")
URGENCIES = ("routine", "urgent", "emergent")


class UsageError(Exception):
    """What refnet is documented to refuse with exit status 2."""


# --- time ----------------------------------------------------------------------------------------

def parse_stored(text):
    """A stored UTC time (`2026-11-27T09:00:00Z`) as epoch seconds; None stays None."""
    if text is None:
        return None
    return int(datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp())


def format_utc(seconds):
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Clock:
    """Local days and calendar arithmetic in one time zone."""

    def __init__(self, tz):
        self.zone = ZoneInfo(tz)

    def local(self, seconds):
        """The local wall-clock time (naive) of an instant."""
        return datetime.fromtimestamp(seconds, self.zone).replace(tzinfo=None)

    def instant(self, wall):
        """The instant of a local wall-clock time (naive). A time that does not exist (in the
        hour skipped in spring) is read with the offset before the change, one that happens twice
        (in autumn) as the first of the two (fold=0)."""
        return int(wall.replace(tzinfo=self.zone).timestamp())

    def day(self, seconds):
        """The local calendar day of an instant."""
        return self.local(seconds).date()

    def midnight(self, day):
        """The instant a local day starts."""
        return self.instant(datetime.combine(day, time()))

    def add_days(self, seconds, days):
        """`days` local calendar days later (earlier when negative), wall-clock time kept."""
        return self.instant(self.local(seconds) + timedelta(days=days))


def parse_duration(text):
    match = re.fullmatch(r"(\d+)(m|h|d|w|bd)", text)
    if not match:
        raise ValueError(f"not a duration: {text!r}")
    return int(match.group(1)), match.group(2)


def add_duration(clock, holidays, seconds, text, sign=1):
    """An instant moved by a configured duration: minutes and hours are elapsed time; days and
    weeks local calendar days with the wall-clock time kept (across daylight saving too); business
    days skip Saturdays, Sundays and calendar.holidays, wall-clock time kept."""
    n, unit = parse_duration(text)
    if unit == "m":
        return seconds + sign * 60 * n
    if unit == "h":
        return seconds + sign * 3600 * n
    if unit == "d":
        return clock.add_days(seconds, sign * n)
    if unit == "w":
        return clock.add_days(seconds, sign * 7 * n)
    wall = clock.local(seconds)
    left = n
    while left:
        wall += timedelta(days=sign)
        if wall.weekday() < 5 and wall.date() not in holidays:
            left -= 1
    return clock.instant(wall)


DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
INSTANT_RE = re.compile(r"(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?")


def parse_option(clock, text, role):
    """A --since, --until or --as-of value in ISO 8601 (the forms the test passes): a day, or an
    instant (without an offset, local time). A named day stands for its start in --since, and for
    the whole day in --until and --as-of: there it gives the day's last second, an inclusive end.
    Returns (seconds, whether it named a day)."""
    if DAY_RE.fullmatch(text):
        day = date.fromisoformat(text)
        if role == "since":
            return clock.midnight(day), True
        return clock.midnight(day + timedelta(days=1)) - 1, True
    match = INSTANT_RE.fullmatch(text)
    if not match:
        raise ValueError(f"the reference reads ISO 8601 only, not {text!r}")
    day, hh, mm, ss, offset = match.groups()
    wall = datetime.combine(date.fromisoformat(day), time(int(hh), int(mm), int(ss or 0)))
    if offset is None:
        return clock.instant(wall), False
    if offset == "Z":
        zone = timezone.utc
    else:
        sign = 1 if offset[0] == "+" else -1
        zone = timezone(sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6])))
    return int(wall.replace(tzinfo=zone).timestamp()), False


# --- numbers -------------------------------------------------------------------------------------

def round1(value):
    """One decimal, half away from zero, of an exact value (Fraction or int)."""
    value = Fraction(value)
    tenths = value * 10
    sign = -1 if tenths < 0 else 1
    whole = math.floor(abs(tenths) + Fraction(1, 2))
    return sign * whole / 10


def nocase(name):
    """SQLite's NOCASE order, which the reports' tests show for names: A-Z folded, bytes of UTF-8
    compared as they are."""
    return "".join(c.lower() if "A" <= c <= "Z" else c for c in name).encode("utf-8")


def nearest_rank(ordered, percent):
    """Of n values in order, the value at rank ceil(p * n / 100)."""
    rank = -(-percent * len(ordered) // 100)
    return ordered[max(rank, 1) - 1]


def format_late(seconds):
    """How late, in words: days and hours (`17d 14h`, `14d`), or hours and minutes under a day."""
    minutes = seconds // 60
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h" if hours else f"{days}d"
    if hours:
        return f"{hours}h {mins}m" if mins else f"{hours}h"
    return f"{mins}m"


# --- data ----------------------------------------------------------------------------------------

class Config:
    """The settings the reports read, at their documented defaults unless given."""

    def __init__(self, holidays=(), keep_in_touch="90d", practice_name="", at_risk_recent="90d",
                 at_risk_baseline="365d", at_risk_critical_drop=100, at_risk_high_drop=60,
                 at_risk_medium_drop=30, at_risk_min_baseline=3):
        self.holidays = {date.fromisoformat(d) if isinstance(d, str) else d for d in holidays}
        self.keep_in_touch = keep_in_touch
        self.practice_name = practice_name or "Our practice"
        self.at_risk_recent = at_risk_recent
        self.at_risk_baseline = at_risk_baseline
        self.at_risk_critical_drop = at_risk_critical_drop
        self.at_risk_high_drop = at_risk_high_drop
        self.at_risk_medium_drop = at_risk_medium_drop
        self.at_risk_min_baseline = at_risk_min_baseline


class Data:
    """The four exports, with stored times parsed once."""

    def __init__(self, contacts, referrals, touchpoints, events):
        self.contacts = {c["id"]: dict(c) for c in contacts}
        for c in self.contacts.values():
            c["_created"] = parse_stored(c["created"])
            c["_archived"] = parse_stored(c["archived"])
            c["_met_at"] = [int(x) for x in (c["met_at"] or "").split(",") if x.strip()]
        self.referrals = sorted((dict(r) for r in referrals), key=lambda r: r["id"])
        for r in self.referrals:
            r["_referred"] = parse_stored(r["referred"])
            for field, _ in STEPS:
                r["_" + field] = parse_stored(r[field])
            r["_acknowledge_due"] = parse_stored(r["acknowledge_due"])
            r["_report_due"] = parse_stored(r["report_due"])
            r["_appointment"] = parse_stored(r["appointment"])
        self.touchpoints = {t["id"]: dict(t) for t in touchpoints}
        for t in self.touchpoints.values():
            for field in ("due", "done_at", "dismissed_at", "created"):
                t["_" + field] = parse_stored(t[field])
        self.events = {e["id"]: dict(e) for e in events}
        for e in self.events.values():
            e["_date"] = date.fromisoformat(e["date"])

    @classmethod
    def from_json(cls, contacts, referrals, touchpoints, events):
        return cls(*(json.loads(text) if isinstance(text, (str, bytes)) else text
                     for text in (contacts, referrals, touchpoints, events)))

    @classmethod
    def load(cls, folder):
        parts = []
        for kind in ("contacts", "referrals", "touchpoints", "events"):
            with open(os.path.join(folder, f"{kind}.json"), encoding="utf-8") as f:
                parts.append(json.load(f))
        return cls(*parts)


# --- the state at as-of --------------------------------------------------------------------------

def status_at(referral, as_of):
    """The status a referral had at as-of: the last step of its lifecycle stamped at or before
    then, `new` when none. Steps are read in lifecycle order, not by their stamps: the status
    machine stamps them in that order, and a stamp out of order (a closing dated before the
    referral, which only imported or edited data carries) does not make an earlier step the
    later status."""
    status = "new"
    for field, name in STEPS:
        stamp = referral["_" + field]
        if stamp is not None and stamp <= as_of:
            status = name
    return status


def made_by(data, as_of):
    return [r for r in data.referrals if r["_referred"] <= as_of]


def plan_open(data, plan, as_of):
    """A planned follow-up exists from its created time and is open unless by as-of it was done,
    dismissed, or satisfied by a touchpoint done by then."""
    if plan["_due"] is None or plan["_created"] is None or plan["_created"] > as_of:
        return False
    if plan["_done_at"] is not None and plan["_done_at"] <= as_of:
        return False
    if plan["_dismissed_at"] is not None and plan["_dismissed_at"] <= as_of:
        return False
    by = data.touchpoints.get(plan["satisfied_by"]) if plan["satisfied_by"] is not None else None
    if by is not None and by["_done_at"] is not None and by["_done_at"] <= as_of:
        return False
    return True


def active_at(contact, as_of):
    return contact["_created"] <= as_of and not (
        contact["_archived"] is not None and contact["_archived"] <= as_of)


# --- periods -------------------------------------------------------------------------------------

class Period:
    """--as-of, --since and --until resolved to inclusive instants (None where not given)."""

    def __init__(self, clock, now, as_of=None, since=None, until=None):
        self.clock = clock
        self.as_of = parse_option(clock, as_of, "as-of")[0] if as_of else parse_stored(now)
        self.since = parse_option(clock, since, "since")[0] if since else None
        self.until = parse_option(clock, until, "until")[0] if until else None
        if self.since is not None and self.until is not None and self.since > self.until:
            raise UsageError("--since after --until")

    def referrals(self, data, start, end):
        """Referrals made in [start, end] (None: open) and no later than as-of."""
        end = self.as_of if end is None else min(end, self.as_of)
        return [r for r in data.referrals
                if (start is None or r["_referred"] >= start) and r["_referred"] <= end]

    def from_beginning(self, data):
        """The period of the reports that count from the beginning unless --since."""
        return self.referrals(data, self.since, self.until)


# --- the reports ---------------------------------------------------------------------------------

def overdue_items(data, config, clock, as_of):
    """Everything owed at as-of (due strictly before it), unordered."""
    items = []

    def item(kind, owed, contact_id, due, referral_id=None, followup_id=None):
        late = as_of - due
        items.append({
            "late": format_late(late), "kind": kind, "owed": owed,
            "contact": data.contacts[contact_id]["name"], "due": format_utc(due),
            "late_hours": late // 3600, "contact_id": contact_id, "referral_id": referral_id,
            "followup_id": followup_id,
        })

    for r in made_by(data, as_of):
        status = status_at(r, as_of)
        rid, who = r["id"], f"referral #{r['id']} (patient {r['patient']})"
        if status == "new" and r["_acknowledge_due"] is not None and r["_acknowledge_due"] < as_of:
            if r["direction"] == "in":
                item("acknowledge", f"acknowledge {who}", r["contact_id"], r["_acknowledge_due"], rid)
            else:
                item("chase-acknowledgement", f"chase acknowledgement of {who}", r["contact_id"],
                     r["_acknowledge_due"], rid)
        if status == "seen" and r["_report_due"] is not None and r["_report_due"] < as_of:
            if r["direction"] == "in":
                item("send-report", f"send our report on {who}", r["contact_id"], r["_report_due"], rid)
            else:
                item("chase-report", f"chase the consultant's report on {who}", r["contact_id"],
                     r["_report_due"], rid)
        if status == "scheduled" and r["_appointment"] is not None and r["_appointment"] < as_of:
            item("record-outcome", f"record the outcome of the appointment for {who}",
                 r["contact_id"], r["_appointment"], rid)
    for t in data.touchpoints.values():
        if plan_open(data, t, as_of) and t["_due"] < as_of:
            item("followup", f"planned {t['via']} #{t['id']}", t["contact_id"], t["_due"],
                 t["referral_id"], t["id"])
    last = {}
    for c in data.contacts.values():
        if active_at(c, as_of):
            last[c["id"]] = c["_created"]
    for r in data.referrals:
        if r["contact_id"] in last and r["_referred"] <= as_of:
            last[r["contact_id"]] = max(last[r["contact_id"]], r["_referred"])
    for t in data.touchpoints.values():
        if t["contact_id"] in last and t["_done_at"] is not None and t["_done_at"] <= as_of:
            last[t["contact_id"]] = max(last[t["contact_id"]], t["_done_at"])
    for contact_id, when in last.items():
        due = add_duration(clock, config.holidays, when, config.keep_in_touch)
        if due < as_of:
            item("keep-in-touch", "get back in touch", contact_id, due)
    return items


def overdue_order(row):
    """Most overdue first; ties by contact, then referral and follow-up id (the order among items
    due at the same second is not documented beyond referral ids)."""
    return (row["due"], row["contact_id"], row["referral_id"] or 0, row["followup_id"] or 0,
            row["kind"])


def report_overdue(data, config, clock, period):
    rows = overdue_items(data, config, clock, period.as_of)
    if period.since is not None or period.until is not None:
        rows = [r for r in rows
                if (period.since is None or parse_stored(r["due"]) >= period.since)
                and (period.until is None or parse_stored(r["due"]) <= period.until)]
    return sorted(rows, key=overdue_order)


def closed_loop_closed(r, as_of):
    """CMS50: the loop closed after the referral was made and by as-of."""
    return (r["_closed"] is not None and r["_referred"] <= r["_closed"] <= as_of
            and status_at(r, as_of) == "closed")


def report_summary(data, config, clock, period):
    as_of = period.as_of
    if period.since is not None:
        start = period.since
        end = period.until if period.until is not None else as_of
    else:
        end = period.until if period.until is not None else as_of
        start = clock.midnight(clock.day(end) - timedelta(days=29))
    end = min(end, as_of)
    made = period.referrals(data, start, end)
    rows = []

    def row(section, metric, value, contact_id=None):
        rows.append({"section": section, "metric": metric, "value": value, "contact_id": contact_id})

    row("referrals", "in", sum(1 for r in made if r["direction"] == "in"))
    row("referrals", "out", sum(1 for r in made if r["direction"] == "out"))
    row("referrals", "open", sum(1 for r in made_by(data, as_of) if status_at(r, as_of) not in FINAL))
    row("actions", "overdue", len(overdue_items(data, config, clock, as_of)))
    plans = [t for t in data.touchpoints.values() if plan_open(data, t, as_of)]
    row("actions", "followups_past_due", sum(1 for t in plans if t["_due"] < as_of))
    week = clock.add_days(as_of, 7)
    row("actions", "followups_due_7d", sum(1 for t in plans if as_of <= t["_due"] < week))
    closed = sum(1 for r in made if closed_loop_closed(r, as_of))
    row("closed_loop", "closed", closed)
    row("closed_loop", "referrals", len(made))
    row("closed_loop", "rate_percent", round1(Fraction(100 * closed, len(made))) if made else None)
    row("contacts", "new", sum(
        1 for c in data.contacts.values()
        if start <= c["_created"] <= end
        and not (c["merged_into"] is not None and c["_archived"] is not None and c["_archived"] <= as_of)))
    counts = {}
    for r in made:
        if r["direction"] == "in":
            counts[r["contact_id"]] = counts.get(r["contact_id"], 0) + 1
    top = sorted(counts.items(), key=lambda kv: (-kv[1], nocase(data.contacts[kv[0]]["name"]), kv[0]))
    for contact_id, n in top[:5]:
        row("top_referrers", data.contacts[contact_id]["name"], n, contact_id)
    return rows


def report_reciprocity(data, config, clock, period):
    per = {}
    for r in period.from_beginning(data):
        p = per.setdefault(r["contact_id"], {"in": 0, "out": 0, "last_in": None, "last_out": None})
        p[r["direction"]] += 1
        key = "last_" + r["direction"]
        if p[key] is None or r["referred"] > p[key]:
            p[key] = r["referred"]
    rows = []
    for contact_id, p in per.items():
        n_in, n_out = p["in"], p["out"]
        if n_out == 0:
            flag = "one-sided (in only)"
        elif n_in == 0:
            flag = "one-sided (out only)"
        elif (n_in >= 3 * n_out or n_out >= 3 * n_in) and n_in + n_out >= 3:
            flag = "unbalanced"
        else:
            flag = None
        rows.append({"contact": data.contacts[contact_id]["name"], "in": n_in, "out": n_out,
                     "balance": n_in - n_out, "last_in": p["last_in"], "last_out": p["last_out"],
                     "flag": flag, "contact_id": contact_id})
    rows.sort(key=lambda r: (-(r["in"] + r["out"]), nocase(r["contact"]), r["contact_id"]))
    return rows


def attributed_event(data, clock, contact, as_of):
    """The event a contact's referrals are credited to at as-of: its own event, else the most
    recent event it was met at; an event counts from its date, so one dated after as-of gets no
    credit."""
    today = clock.day(as_of)
    own = data.events.get(contact["event_id"]) if contact["event_id"] is not None else None
    if own is not None and own["_date"] <= today:
        return own
    met = [data.events[i] for i in contact["_met_at"] if i in data.events and data.events[i]["_date"] <= today]
    if not met:
        return None
    return max(met, key=lambda e: (e["_date"], e["id"]))


def report_sources(data, config, clock, period):
    inbound = [r for r in period.from_beginning(data) if r["direction"] == "in"]
    if not inbound:
        return []
    total = len(inbound)
    rows = []
    groups = {}
    for r in inbound:
        source = data.contacts[r["contact_id"]]["source"]
        g = groups.setdefault(source, [0, set()])
        g[0] += 1
        g[1].add(r["contact_id"])
    named = sorted(((k, v) for k, v in groups.items() if k is not None),
                   key=lambda kv: (-kv[1][0], nocase(kv[0])))
    for name, (n, who) in named:
        rows.append({"by": "source", "name": name, "date": None, "referrals": n,
                     "share": round1(Fraction(100 * n, total)), "contacts": len(who), "event_id": None})
    if None in groups:
        n, who = groups[None]
        rows.append({"by": "source", "name": "unknown", "date": None, "referrals": n,
                     "share": round1(Fraction(100 * n, total)), "contacts": len(who), "event_id": None})
    credit = {}
    events = {}
    for r in inbound:
        if r["contact_id"] not in credit:
            credit[r["contact_id"]] = attributed_event(data, clock, data.contacts[r["contact_id"]],
                                                       period.as_of)
        event = credit[r["contact_id"]]
        g = events.setdefault(event["id"] if event else None, [0, set()])
        g[0] += 1
        g[1].add(r["contact_id"])
    named = sorted(((data.events[k], v) for k, v in events.items() if k is not None),
                   key=lambda kv: (-kv[1][0], nocase(kv[0]["name"]), kv[0]["date"], kv[0]["id"]))
    for event, (n, who) in named:
        rows.append({"by": "event", "name": event["name"], "date": event["date"], "referrals": n,
                     "share": round1(Fraction(100 * n, total)), "contacts": len(who),
                     "event_id": event["id"]})
    if None in events:
        n, who = events[None]
        rows.append({"by": "event", "name": "no event", "date": None, "referrals": n,
                     "share": round1(Fraction(100 * n, total)), "contacts": len(who), "event_id": None})
    return rows


def bucket_of(day, by):
    """(first day, label, first day of the next bucket) of the bucket holding a local day."""
    if by == "week":
        first = day - timedelta(days=day.weekday())
        year, week, _ = first.isocalendar()
        return first, f"{year}-W{week:02d}", first + timedelta(days=7)
    if by == "month":
        first = day.replace(day=1)
        after = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        return first, f"{first.year}-{first.month:02d}", after
    if by == "quarter":
        q = (day.month - 1) // 3
        first = date(day.year, 3 * q + 1, 1)
        after = date(day.year + (q == 3), (3 * q + 3) % 12 + 1, 1)
        return first, f"{day.year}-Q{q + 1}", after
    raise UsageError(f"--by {by}: week, month or quarter")


def report_trend(data, config, clock, period, by="month"):
    if by not in ("week", "month", "quarter"):
        raise UsageError(f"--by {by}")
    as_of = period.as_of
    end = min(period.until if period.until is not None else as_of, as_of)
    if period.since is not None:
        start = period.since
    else:
        last = clock.day(period.until if period.until is not None else as_of)
        month = last.year * 12 + last.month - 1 - 11
        first = date(month // 12, month % 12 + 1, 1)
        start = clock.midnight(bucket_of(first, by)[0])
    if start > end:
        return []
    made_dir = [(r["_referred"], r["direction"]) for r in data.referrals if start <= r["_referred"] <= end]
    rows = []
    day = clock.day(start)
    last_day = clock.day(end)
    while day <= last_day:
        first, label, after = bucket_of(day, by)
        lo, hi = clock.midnight(first), clock.midnight(after)
        n_in = sum(1 for t, d in made_dir if lo <= t < hi and d == "in")
        n_out = sum(1 for t, d in made_dir if lo <= t < hi and d == "out")
        rows.append({"period": label, "start": first.isoformat(), "in": n_in, "out": n_out,
                     "total": n_in + n_out})
        day = after
    return rows


def at_risk_windows(config, clock, period):
    """(baseline start, recent start, recent end) as half-open [start, end) instants. The recent
    window is report.at_risk_recent ending at as-of, or at the end of --until when earlier; the
    baseline report.at_risk_baseline right before it, or from --since."""
    end = period.as_of if period.until is None else min(period.as_of, period.until)
    end += 1  # the inclusive last second, as a half-open end
    recent_start = add_duration(clock, config.holidays, end, config.at_risk_recent, -1)
    if period.since is not None:
        if period.since >= recent_start:
            raise UsageError("--since leaves no baseline")
        base_start = period.since
    else:
        base_start = add_duration(clock, config.holidays, recent_start, config.at_risk_baseline, -1)
    return base_start, recent_start, end


def at_risk_lengths(clock, base_start, recent_start, end):
    """The lengths of the recent window and of the baseline, for expected = baseline x recent
    length / baseline length: the time that elapsed in each."""
    return end - recent_start, recent_start - base_start


def report_at_risk(data, config, clock, period):
    base_start, recent_start, end = at_risk_windows(config, clock, period)
    recent_len, base_len = at_risk_lengths(clock, base_start, recent_start, end)
    per = {}
    for r in data.referrals:
        if r["direction"] != "in" or r["_referred"] >= end:
            continue
        p = per.setdefault(r["contact_id"], {"baseline": 0, "recent": 0, "last": None})
        if base_start <= r["_referred"] < recent_start:
            p["baseline"] += 1
        elif recent_start <= r["_referred"] < end:
            p["recent"] += 1
        if p["last"] is None or r["_referred"] > p["last"]:
            p["last"] = r["_referred"]
    rows = []
    for contact_id, p in per.items():
        contact = data.contacts[contact_id]
        if contact["_archived"] is not None and contact["_archived"] < end:
            continue
        if p["baseline"] < config.at_risk_min_baseline:
            continue
        expected = Fraction(p["baseline"]) * recent_len / base_len
        drop = (expected - p["recent"]) / expected * 100
        if drop >= config.at_risk_critical_drop:
            grade = "critical"
        elif drop >= config.at_risk_high_drop:
            grade = "high"
        elif drop >= config.at_risk_medium_drop:
            grade = "medium"
        else:
            continue
        rows.append(({
            "grade": grade, "contact": contact["name"], "contact_id": contact_id,
            "baseline": p["baseline"], "recent": p["recent"], "expected": round1(expected),
            "drop_percent": round1(drop), "last_referral": format_utc(p["last"]),
            "days_since_last": (period.as_of - p["last"]) // DAY,
        }, drop, expected))
    rows.sort(key=lambda x: (x[0]["grade"] != "critical", -x[1], -x[2], nocase(x[0]["contact"]),
                             x[0]["contact_id"]))
    return [row for row, _, _ in rows]


def report_closed_loop(data, config, clock, period):
    made = period.from_beginning(data)
    if not made:
        return []
    per = {}
    for r in made:
        for key in (("overall", r["direction"], None), ("contact", r["direction"], r["contact_id"])):
            p = per.setdefault(key, [0, 0])
            p[0] += 1
            p[1] += closed_loop_closed(r, period.as_of)
    per.setdefault(("overall", "out", None), [0, 0])
    per.setdefault(("overall", "in", None), [0, 0])
    rows = []
    for (scope, direction, contact_id), (n, closed) in per.items():
        rows.append({"scope": scope, "direction": direction,
                     "contact": data.contacts[contact_id]["name"] if contact_id else None,
                     "contact_id": contact_id, "referrals": n, "closed": closed, "open": n - closed,
                     "rate_percent": round1(Fraction(100 * closed, n)) if n else None})
    rows.sort(key=lambda r: (r["scope"] != "overall", r["direction"] != "out", -r["referrals"],
                             nocase(r["contact"] or ""), r["contact_id"] or 0))
    return rows


def report_turnaround(data, config, clock, period):
    groups = {}
    for r in period.from_beginning(data):
        for step in TURNAROUND_STEPS:
            stamp = r["_" + step]
            if stamp is None or stamp > period.as_of or stamp < r["_referred"]:
                continue
            value = stamp - r["_referred"]
            for urgency in (r["urgency"], "all"):
                groups.setdefault((r["direction"], urgency, step), []).append(value)
    rows = []
    for direction in ("in", "out"):
        for urgency in URGENCIES + ("all",):
            for step in TURNAROUND_STEPS:
                values = groups.get((direction, urgency, step))
                if not values:
                    continue
                values.sort()
                rows.append({"direction": direction, "urgency": urgency, "step": step,
                             "count": len(values),
                             "median_hours": round1(Fraction(nearest_rank(values, 50), 3600)),
                             "p90_hours": round1(Fraction(nearest_rank(values, 90), 3600))})
    return rows


def report_network(data, config, clock, period):
    per = {}
    for r in period.from_beginning(data):
        key = (r["contact_id"], r["direction"])
        per[key] = per.get(key, 0) + 1
    rows = []
    us = config.practice_name
    for (contact_id, direction), n in per.items():
        name = data.contacts[contact_id]["name"]
        if direction == "in":
            rows.append({"source": name, "target": us, "source_id": contact_id, "target_id": None,
                         "direction": "in", "referrals": n})
        else:
            rows.append({"source": us, "target": name, "source_id": None, "target_id": contact_id,
                         "direction": "out", "referrals": n})

    def contact_of(row):
        return (row["source"], row["source_id"]) if row["direction"] == "in" else (row["target"], row["target_id"])

    rows.sort(key=lambda r: (-r["referrals"], nocase(contact_of(r)[0]), contact_of(r)[1], r["direction"]))
    return rows


REPORT_FUNCTIONS = {
    "summary": report_summary,
    "overdue": report_overdue,
    "reciprocity": report_reciprocity,
    "sources": report_sources,
    "trend": report_trend,
    "at-risk": report_at_risk,
    "closed-loop": report_closed_loop,
    "turnaround": report_turnaround,
    "network": report_network,
}


def report(name, data, config, tz, now, as_of=None, since=None, until=None, by=None):
    """The rows `refnet report NAME --format json [--as-of A] [--since S] [--until U] [--by B]`
    prints, with REFNET_NOW=now and TZ=tz; UsageError where refnet exits 2."""
    clock = Clock(tz)
    period = Period(clock, now, as_of=as_of, since=since, until=until)
    if name == "trend":
        return report_trend(data, config, clock, period, by or "month")
    if by is not None:
        raise UsageError("--by is only for trend")
    return REPORT_FUNCTIONS[name](data, config, clock, period)


def main(argv):
    """python3 reference.py FOLDER REPORT [--as-of A] [--since S] [--until U] [--by B]: the rows
    as JSON, from the four exports in FOLDER, with REFNET_NOW and TZ from the environment and the
    configuration's defaults."""
    import argparse
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("report", choices=REPORTS)
    for option in ("--as-of", "--since", "--until", "--by"):
        parser.add_argument(option)
    args = parser.parse_args(argv)
    rows = report(args.report, Data.load(args.folder), Config(), os.environ.get("TZ", "UTC"),
                  os.environ["REFNET_NOW"], as_of=args.as_of, since=args.since, until=args.until,
                  by=args.by)
    print(json.dumps(rows, indent=1, default=float))


if __name__ == "__main__":
    import sys
    main(sys.argv[1:])
