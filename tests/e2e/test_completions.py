"""Shell completions: each script loaded in its real shell and asked what it offers.

bash: the completion function is called the way bash calls it (COMP_WORDS, COMP_CWORD,
COMP_LINE, COMP_POINT) with bash-completion loaded, and COMPREPLY is checked; an interactive
bash in a pseudo-terminal then shows that readline quotes a name with spaces and quotes right in
every quoting context. zsh: `zsh -n`, then the real completion system in a zpty. fish: `fish -n`
and `complete -C`. What is expected comes from the binary's own --help (cli_help), so the
scripts cannot drift from the commands. The hidden `refnet __complete` helper is checked to
never create or change a database and to stay silent when anything is wrong.
"""

import os
import pty
import select
import shlex
import shutil
import sqlite3
import subprocess
import tempfile
import time
import unittest

import cli_help
from refnet_e2e import BIN, RefnetCase, SOURCE_DIR, sqlite_only

COMPLETIONS = os.path.join(SOURCE_DIR, "completions")
BASH_COMPLETION = "/usr/share/bash-completion/bash_completion"

# The awkward name every shell must complete and quote: spaces, double and single quotes.
QUOTED_NAME = 'Pat "PJ" O\'Brien'

STATUSES = ["new", "acknowledged", "scheduled", "seen", "closed", "declined", "cancelled",
            "no-show"]
DATE_WORDS = ["today", "yesterday", "tomorrow", "now", "monday", "tuesday", "wednesday",
              "thursday", "friday", "saturday", "sunday"]

_TREE = None


def tree():
    """The command tree, walked once per run."""
    global _TREE
    if _TREE is None:
        _TREE = cli_help.walk()
    return _TREE


def long_options(command):
    return {o.long for o in command.options if o.long and o.long != "--help"}


def global_options():
    return long_options(tree()[0]) - {"--version"}


def offered_options(command):
    """What completing `--` after a command path offers: its options, --help, the global
    options, and for a report also the period options of `report`, which it accepts."""
    want = long_options(command) | {"--help"}
    if not command.path:
        return want | {"--version"}
    want |= global_options()
    if command.path[0] == "report" and len(command.path) == 2:
        want |= long_options(next(c for c in tree() if c.path == ("report",)))
    return want


def enum_values():
    """{"--role": [...], ...}: every option whose help names its values, by name."""
    values = {}
    for command in tree():
        for option in command.options:
            listed = cli_help.enumerated(option)
            # The first command to list an option's values speaks for those that do not.
            if listed and option.long not in ("--format", "--from") and option.long not in values:
                values[option.long] = listed
    return values


def option_values(option, values):
    """The values offered after an option: those its own help names (`search --kind` names
    other kinds than `event --kind`), else those of the first option of its name that names
    some (`list events --kind` names none)."""
    return cli_help.enumerated(option) or values[option.long]


def expected_formats(path):
    """--format's values where the help says they apply: export adds vcf and ics, report
    network adds dot, report digest is table, json or html (a page, not rows), and before any
    command every one is offered."""
    formats = cli_help.enumerated(next(o for o in tree()[0].options if o.long == "--format"))
    base = [f for f in formats if f not in ("vcf", "ics", "dot", "html")]
    if not path:
        return formats
    if path[0] == "export":
        return base + ["vcf", "ics"]
    if path[:2] == ("report", "network"):
        return base + ["dot"]
    if path[:2] == ("report", "digest"):
        return ["table", "json", "html"]
    return base


class CompletionCase(RefnetCase):
    """A scratch HOME with `refnet` on PATH and a database holding an awkward name."""

    def setUp(self):
        super().setUp()
        self.bin_dir = os.path.join(self.home, "bin")
        os.makedirs(self.bin_dir)
        os.symlink(os.path.abspath(BIN), os.path.join(self.bin_dir, "refnet"))
        self.env["PATH"] = self.bin_dir + os.pathsep + self.env["PATH"]
        self.env["TERM"] = "dumb"

    def populate(self):
        self.init()
        self.quoted_id = self.add(QUOTED_NAME, "--role", "pcp")
        self.ann_id = self.add("Ann Lee", "--role", "specialist")
        self.ok("event", "ACC Cardiology Update", "--kind", "cme", "--date", "2026-10-14")
        self.referral_id = self.refer("--from", "Ann Lee", "--patient", "MRN-1001")
        plan = self.ok("--format", "json", "followup", "Ann Lee", "--due", "+3d").json()
        self.followup_id = plan["id"]


# ---------------------------------------------------------------------------------------- bash

class Bash:
    """Calls _refnet for many command lines in one bash, as bash's completion would."""

    SCRIPT = r"""
source "$1"
source "$2"
_refnet_query() {
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _refnet refnet "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" 2>/dev/null
    printf '%s\0' "${COMPREPLY[@]}"
    printf '\1\0'
}
"""

    def __init__(self, env, cwd):
        self.env = env
        self.cwd = cwd

    def complete_many(self, lines):
        """lines: lists of words, the last one the word under the cursor (maybe "")."""
        calls = "\n".join("_refnet_query " + " ".join(shlex.quote(w) for w in words)
                          for words in lines)
        proc = subprocess.run(
            ["bash", "--norc", "--noprofile", "-c", self.SCRIPT + calls, "bash",
             BASH_COMPLETION, os.path.join(COMPLETIONS, "refnet")],
            env=self.env, cwd=self.cwd, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            raise AssertionError(f"bash failed: {proc.stderr}")
        results, current = [], []
        for item in proc.stdout.split("\0")[:-1]:
            if item == "\1":
                results.append(current)
                current = []
            elif item:
                current.append(item)
        if len(results) != len(lines):
            raise AssertionError(f"expected {len(lines)} answers, got {len(results)}: "
                                 f"{proc.stdout!r} {proc.stderr!r}")
        return results

    def complete(self, *words):
        return self.complete_many([list(words)])[0]


@unittest.skipUnless(shutil.which("bash") and os.path.exists(BASH_COMPLETION),
                     "needs bash and bash-completion")
class BashCompletionTest(CompletionCase):

    def setUp(self):
        super().setUp()
        self.bash = Bash(self.env, self.home)

    def test_commands_and_subcommands(self):
        lines, expected = [], []
        for command in tree():
            if not command.subcommands:
                continue
            lines.append(["refnet", *command.path, ""])
            expected.append(sorted(n for names in command.subcommands for n in names))
        for words, want, got in zip(lines, expected, self.bash.complete_many(lines)):
            # followup also offers contact names; there is no database here.
            self.assertEqual(sorted(got), want, f"completing {' '.join(words)!r}")

    def test_prefix_of_a_command(self):
        self.assertEqual(self.bash.complete("refnet", "li"), ["list"])
        self.assertEqual(sorted(self.bash.complete("refnet", "report", "c")), ["closed-loop"])

    def test_every_option_of_every_command(self):
        lines, expected = [], []
        for command in tree():
            lines.append(["refnet", *command.path, "--"])
            expected.append(offered_options(command))
        for words, want, got in zip(lines, expected, self.bash.complete_many(lines)):
            self.assertEqual(set(got), want, f"completing {' '.join(words)!r}")

    def test_global_options_after_the_command(self):
        got = self.bash.complete("refnet", "list", "referrals", "--open", "--fo")
        self.assertEqual(got, ["--format"])

    def test_every_enumerated_value(self):
        values = enum_values()
        lines, expected = [], []
        for command in tree():
            for option in command.options:
                if option.long in values:
                    want = option_values(option, values)
                elif option.long == "--status":
                    want = STATUSES
                elif option.long == "--format":
                    want = expected_formats(command.path)
                elif option.long == "--from" and command.path[0] == "import":
                    want = cli_help.enumerated(option)
                elif option.long in ("--date", "--since", "--until", "--as-of", "--due"):
                    want = DATE_WORDS
                else:
                    continue
                lines.append(["refnet", *command.path, option.long, ""])
                expected.append(want)
        # A global option typed before the command.
        lines.append(["refnet", "--format", ""])
        expected.append(expected_formats(()))
        lines.append(["refnet", "report", "network", "--format", ""])
        expected.append(expected_formats(("report", "network")))
        lines.append(["refnet", "--format="])
        expected.append(expected_formats(()))
        for words, want, got in zip(lines, expected, self.bash.complete_many(lines)):
            self.assertEqual(sorted(got), sorted(want), f"completing {' '.join(words)!r}")

    def test_status_values_of_the_status_command(self):
        status = next(c for c in tree() if c.path == ("status",))
        want = cli_help.listed_values(dict(status.positionals)["STATUS"])
        self.assertEqual(sorted(self.bash.complete("refnet", "status", "12", "")), sorted(want))

    def test_an_option_value_after_equals(self):
        self.assertEqual(sorted(self.bash.complete("refnet", "--color=a")), ["always", "auto"])

    def test_files_where_a_file_is_expected(self):
        os.makedirs(os.path.join(self.home, "files"))
        for name in ("clinic.db", "contacts.csv"):
            open(os.path.join(self.home, "files", name), "w").close()
        self.assertEqual(self.bash.complete("refnet", "--db", "files/cl"), ["files/clinic.db"])
        self.assertEqual(self.bash.complete("refnet", "--config", "files/co"),
                         ["files/contacts.csv"])
        self.assertEqual(self.bash.complete("refnet", "import", "contacts", "files/co"),
                         ["files/contacts.csv"])
        for option in ("--output", "-o"):
            self.assertEqual(self.bash.complete("refnet", "export", "contacts", option, "files/co"),
                             ["files/contacts.csv"])

    def test_live_contact_names_with_spaces_and_quotes(self):
        self.populate()
        complete = self.bash.complete
        self.assertEqual(sorted(complete("refnet", "show", "")), ["Ann Lee", QUOTED_NAME])
        # Typed bare with backslashes, in double quotes, in single quotes, and a part of it.
        self.assertEqual(complete("refnet", "show", r"Pat\ \"P"), [QUOTED_NAME])
        self.assertEqual(complete("refnet", "show", '"Pat \\"PJ'), [QUOTED_NAME])
        self.assertEqual(complete("refnet", "show", "'Pat \"PJ\" O'\\''B"), [QUOTED_NAME])
        self.assertEqual(complete("refnet", "edit", r"o\'bri"), [QUOTED_NAME])
        self.assertEqual(complete("refnet", "refer", "--from", "lee"), ["Ann Lee"])
        self.assertEqual(complete("refnet", "list", "followups", "--contact", "pat"),
                         [QUOTED_NAME])
        self.assertEqual(sorted(complete("refnet", "merge", "1", "")),
                         ["Ann Lee", QUOTED_NAME])
        self.assertEqual(complete("refnet", "event", "X", "--met", "An"), ["Ann Lee"])
        self.assertIn(QUOTED_NAME, complete("refnet", "followup", ""))
        self.assertEqual(complete("refnet", "add", "X", "--event", "acc"),
                         ["ACC Cardiology Update"])

    def test_live_ids_and_keys(self):
        self.populate()
        self.assertEqual(self.bash.complete("refnet", "ack", ""), [str(self.referral_id)])
        self.assertEqual(self.bash.complete("refnet", "show", "--referral", ""),
                         [str(self.referral_id)])
        self.assertIn(str(self.followup_id), self.bash.complete("refnet", "followup", "done", ""))
        self.assertIn(str(self.followup_id),
                      self.bash.complete("refnet", "followup", "dismiss", ""))
        keys = [row["key"] for row in self.ok("--format", "json", "config", "show").json()]
        self.assertEqual(sorted(self.bash.complete("refnet", "config", "get", "")), sorted(keys))
        self.assertEqual(self.bash.complete("refnet", "config", "get", "sla.acknowledge.u"),
                         ["sla.acknowledge.urgent"])

    @sqlite_only("a second database file on the line")
    def test_db_and_config_typed_on_the_line_are_used(self):
        self.populate()
        other = os.path.join(self.home, "other place", "other.db")
        self.ok("--db", other, "init")
        self.ok("--db", other, "add", "Zoe Other")
        for words in (["refnet", "--db", shlex.quote(other), "show", ""],
                      ["refnet", "--db=" + shlex.quote(other), "show", ""],
                      ["refnet", "show", "--db", shlex.quote(other), ""]):
            self.assertEqual(self.bash.complete(*words), ["Zoe Other"], words)
        config = os.path.join(self.home, "other.toml")
        with open(config, "w") as f:
            f.write(f'[database]\npath = "{other}"\n')
        self.assertEqual(self.bash.complete("refnet", "--config", config, "show", ""),
                         ["Zoe Other"])
        missing = os.path.join(self.home, "missing.db")
        self.assertEqual(self.bash.complete("refnet", "--db", missing, "show", ""), [])
        self.assertFalse(os.path.exists(missing))

    def test_nothing_offered_without_a_database(self):
        self.assertEqual(self.bash.complete("refnet", "show", ""), [])
        self.assertEqual(self.bash.complete("refnet", "ack", ""), [])
        self.assertFalse(os.path.exists(self.db))

    def test_readline_quotes_the_name_in_every_quoting_context(self):
        """A real interactive bash: type, press Tab, run the line; refnet must find the name."""
        self.populate()
        for typed in ("refnet --format json show Pat\t", 'refnet --format json show "Pat\t',
                      "refnet --format json show 'Pat\t", "refnet --format json show o\\'b\t"):
            with self.subTest(typed=typed):
                output = interactive_bash(self.env, self.home, typed)
                self.assertIn('"name": "Pat \\"PJ\\" O\'Brien"', output, output)
                self.assertIn("status=0", output, output)


def interactive_bash(env, cwd, keys):
    """Types `keys` into an interactive bash in a pseudo-terminal, then Enter; the output."""
    setup = (f"PS1='$ '; bind 'set bell-style none'; source {shlex.quote(BASH_COMPLETION)}; "
             f"source {shlex.quote(os.path.join(COMPLETIONS, 'refnet'))}; echo RE\"\"ADY\n")
    # The markers are quoted apart so the echo of the typed line never matches them.
    return run_in_pty(["bash", "--norc", "--noprofile", "-i"], env, cwd,
                      [(setup, "READY"), (keys, None), ("\n", None),
                       ("echo sta\"\"tus=$?; exit\n", "status=")])


def run_in_pty(argv, env, cwd, steps, timeout=20):
    """Writes each step's text and waits until its marker shows (or briefly, without one)."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.chdir(cwd)
        os.execvpe(argv[0], argv, env)
    output = b""
    deadline = time.time() + timeout
    try:
        for text, marker in steps:
            os.write(fd, text.encode())
            seen = len(output)
            quiet_until = time.time() + 0.7
            while time.time() < deadline:
                ready, _, _ = select.select([fd], [], [], 0.05)
                if ready:
                    try:
                        chunk = os.read(fd, 65536)
                    except OSError:
                        chunk = b""
                    if not chunk:
                        break
                    output += chunk
                    quiet_until = time.time() + 0.7
                if marker and marker.encode() in output[seen:]:
                    break
                if not marker and time.time() > quiet_until:
                    break
    finally:
        os.close(fd)
        os.waitpid(pid, 0)
    return output.decode(errors="replace").replace("\r", "")


# ----------------------------------------------------------------------------------------- zsh

ZSH_CAPTURE = r"""
# Completes each argument line in a real interactive zsh (zpty) and prints what compadd offered,
# one "<HIT>value" per match and "<NEXT>" after each line.
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PS1=''; PROMPT=''; RPROMPT=''; LISTMAX=100000; fpath=($COMPLETIONS \$fpath); autoload -U compinit; compinit -u -D"
zpty -w z 'compadd() {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi
  local -a __hits; builtin compadd -O __hits "$@"
  local m=HI; (( $#__hits )) && print -rl -- "<${m}T>"${^__hits}
  builtin compadd "$@"
}'
# zsh empties comppostfuncs after each completion, so Tab sets it again every time.
zpty -w z '__refnet_end() { local m=EN; print -r -- "<${m}D>" }; __refnet_tab() { comppostfuncs=(__refnet_end); zle complete-word }; zle -N __refnet_tab; bindkey "^I" __refnet_tab'
local out line
for query in "$@"; do
  if [[ $query == RUN:* ]]; then
    # Complete, then run the completed line: its output shows how the match was quoted.
    zpty -w -n z "${query#RUN:}"$'\t'
    zpty -r z out '*<END>*'
    sleep 0.3
    zpty -w z '; m=DO; print -r -- "<${m}NE:$?>"'
    zpty -r z out '*<DONE:*>*'
    print -r -- "${out//$'\r'/}"
  else
    zpty -w -n z "$query"$'\t'
    zpty -r z out '*<END>*'
    for line in ${(f)out}; do
      line=${line//$'\r'/}
      [[ $line == *'<HIT>'* ]] && print -r -- "<HIT>${line#*<HIT>}"
    done
    sleep 0.1
    zpty -w -n z $'\x15'   # kill the line for the next query
  fi
  print -r -- "<NEXT>"
done
zpty -d z
"""


@unittest.skipUnless(shutil.which("zsh"), "needs zsh")
class ZshCompletionTest(CompletionCase):

    def test_syntax(self):
        proc = subprocess.run(["zsh", "-n", os.path.join(COMPLETIONS, "_refnet")],
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def complete_many(self, lines):
        env = dict(self.env, COMPLETIONS=COMPLETIONS)
        proc = subprocess.run(["zsh", "-f", "-c", ZSH_CAPTURE, "zsh", *lines], env=env,
                              cwd=self.home, capture_output=True, text=True, timeout=120)
        answers = proc.stdout.split("<NEXT>\n")
        self.assertEqual(len(answers), len(lines) + 1, proc.stdout + proc.stderr)
        return [[l[len("<HIT>"):] for l in a.splitlines() if l.startswith("<HIT>")]
                if not q.startswith("RUN:") else a
                for q, a in zip(lines, answers)]

    def test_commands_options_and_values(self):
        lines, expected = [], []
        for command in tree():
            if command.subcommands:
                lines.append(" ".join(["refnet", *command.path, ""]))
                expected.append({n for names in command.subcommands for n in names})
            lines.append(" ".join(["refnet", *command.path, "--"]))
            expected.append(offered_options(command))
        values = enum_values()
        for option, want in values.items():
            command = next(c for c in tree() if option in long_options(c))
            lines.append(" ".join(["refnet", *command.path, option, ""]))
            expected.append(set(want))
        for command in tree():
            for option in command.options:
                if option.long in values and option_values(option, values) != values[option.long]:
                    lines.append(" ".join(["refnet", *command.path, option.long, ""]))
                    expected.append(set(option_values(option, values)))
        lines.append("refnet report network --format ")
        expected.append(set(expected_formats(("report", "network"))))
        lines.append("refnet list referrals --status ")
        expected.append(set(STATUSES))
        for line, want, got in zip(lines, expected, self.complete_many(lines)):
            self.assertEqual(set(got), want, f"completing {line!r}")

    def test_live_names_ids_and_quoting(self):
        self.populate()
        lines = ["refnet show ", "refnet show lee", "refnet ack ", "refnet followup done ",
                 "refnet --format json show Pat", "refnet --format json show 'Pat",
                 'refnet --format json show "Pat']
        got = self.complete_many(lines[:4] + ["RUN:" + line for line in lines[4:]])
        self.assertEqual(sorted(got[0]), ["Ann Lee", QUOTED_NAME])
        self.assertEqual(got[1], ["Ann Lee"])
        self.assertEqual(got[2], [str(self.referral_id)])
        self.assertIn(str(self.followup_id), got[3])
        for line, output in zip(lines[4:], got[4:]):
            self.assertIn('"name": "Pat \\"PJ\\" O\'Brien"', output, line)
            self.assertIn("<DONE:0>", output, line)

    def test_files_after_output(self):
        os.makedirs(os.path.join(self.home, "files"))
        open(os.path.join(self.home, "files", "contacts.csv"), "w").close()
        got = self.complete_many(["refnet export contacts --output files/co",
                                  "refnet export referrals -o files/co"])
        for answer in got:
            self.assertTrue(answer and all("contacts.csv" in a for a in answer), got)


# ---------------------------------------------------------------------------------------- fish

@unittest.skipUnless(shutil.which("fish"), "needs fish")
class FishCompletionTest(CompletionCase):

    def test_syntax(self):
        proc = subprocess.run(["fish", "-n", os.path.join(COMPLETIONS, "refnet.fish")],
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def complete_many(self, lines):
        script = ("source $argv[1]; for line in $argv[2..-1]; complete -C $line; "
                  "echo '<NEXT>'; end")
        proc = subprocess.run(["fish", "--no-config", "-c", script,
                               os.path.join(COMPLETIONS, "refnet.fish"), *lines],
                              env=self.env, cwd=self.home, capture_output=True, text=True,
                              timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        answers = proc.stdout.split("<NEXT>\n")[:-1]
        self.assertEqual(len(answers), len(lines), proc.stdout)
        return [[l.split("\t")[0] for l in a.splitlines()] for a in answers]

    def test_li_offers_list(self):
        self.assertEqual(self.complete_many(["refnet li"]), [["list"]])

    def test_files_after_output(self):
        os.makedirs(os.path.join(self.home, "files"))
        open(os.path.join(self.home, "files", "contacts.csv"), "w").close()
        got = self.complete_many(["refnet export contacts --output files/co",
                                  "refnet export referrals -o files/co"])
        self.assertEqual(got, [["files/contacts.csv"], ["files/contacts.csv"]])

    def test_commands_options_and_values(self):
        lines, expected = [], []
        for command in tree():
            if command.subcommands:
                lines.append(" ".join(["refnet", *command.path, ""]))
                expected.append({n for names in command.subcommands for n in names})
            lines.append(" ".join(["refnet", *command.path, "--"]))
            expected.append(offered_options(command))
        values = enum_values()
        for command in tree():
            for option in command.options:
                if option.long in values:
                    lines.append(" ".join(["refnet", *command.path, option.long, ""]))
                    expected.append(set(option_values(option, values)))
        lines.append("refnet report network --format ")
        expected.append(set(expected_formats(("report", "network"))))
        lines.append("refnet export contacts --format ")
        expected.append(set(expected_formats(("export", "contacts"))))
        lines.append("refnet status 3 ")
        expected.append(set(STATUSES[1:]))
        for line, want, got in zip(lines, expected, self.complete_many(lines)):
            self.assertEqual(set(got), want, f"completing {line!r}")

    def test_live_names_ids_and_keys(self):
        self.populate()
        other = os.path.join(self.home, "other.db")
        self.ok("--db", other, "init")
        self.ok("--db", other, "add", "Zoe Other")
        got = self.complete_many(["refnet show ", "refnet show 'Pat \"P", "refnet refer --from lee",
                                  "refnet ack ", "refnet followup dismiss ",
                                  "refnet config get sla.keep", f"refnet --db {other} show ",
                                  "refnet --db /nonexistent/x.db show "])
        self.assertEqual(sorted(got[0]), ["Ann Lee", QUOTED_NAME])
        self.assertEqual(got[1], [QUOTED_NAME])
        self.assertEqual(got[2], ["Ann Lee"])
        self.assertEqual(got[3], [str(self.referral_id)])
        self.assertIn(str(self.followup_id), got[4])
        self.assertEqual(got[5], ["sla.keep_in_touch"])
        self.assertEqual(got[6], ["Zoe Other"])
        self.assertEqual(got[7], [])


# ------------------------------------------------------------------------------ the helper

class CompleteHelperTest(CompletionCase):

    def test_lists_live_candidates(self):
        self.populate()
        self.assertEqual(self.ok("__complete", "contacts", "--", "").out.splitlines(),
                         ["Ann Lee", QUOTED_NAME])
        self.assertEqual(self.ok("__complete", "contacts", "--", "o'b").out, QUOTED_NAME + "\n")
        referral = self.ok("__complete", "referrals").out.splitlines()
        self.assertEqual([line.split("\t")[0] for line in referral], [str(self.referral_id)])
        self.assertIn("Ann Lee", referral[0])
        followups = [line.split("\t")[0]
                     for line in self.ok("__complete", "followups").out.splitlines()]
        self.assertIn(str(self.followup_id), followups)
        self.assertEqual(self.ok("__complete", "events", "--", "cardio").out,
                         "ACC Cardiology Update\n")

    @sqlite_only("the file's bytes")
    def test_never_writes_the_database(self):
        self.populate()
        before = self.dump()
        with sqlite3.connect(self.db) as conn:
            version = conn.execute("PRAGMA user_version").fetchone()
        for what in ("contacts", "referrals", "followups", "events", "keys", "bogus"):
            self.ok("__complete", what, "--", "a")
        self.assertEqual(self.dump(), before)
        with sqlite3.connect(self.db) as conn:
            self.assertEqual(conn.execute("PRAGMA user_version").fetchone(), version)

    @sqlite_only("a read-only file")
    def test_read_only_database_file(self):
        self.populate()
        os.chmod(self.db, 0o400)
        self.addCleanup(os.chmod, self.db, 0o600)
        self.assertIn("Ann Lee", self.ok("__complete", "contacts").out)

    def test_silent_on_a_missing_database(self):
        result = self.ok("__complete", "contacts", "--", "a")
        self.assertEqual((result.out, result.err), ("", ""))
        self.assertFalse(os.path.exists(os.path.dirname(self.db)))
        missing = os.path.join(self.home, "nowhere", "x.db")
        result = self.ok("--db", missing, "__complete", "referrals")
        self.assertEqual((result.out, result.err), ("", ""))
        self.assertFalse(os.path.exists(os.path.dirname(missing)))

    def test_silent_on_a_broken_config_or_database(self):
        self.populate()
        broken = os.path.join(self.home, "broken.toml")
        with open(broken, "w") as f:
            f.write("[output\ncolor = 3\n")
        result = self.ok("--config", broken, "__complete", "keys")
        self.assertEqual((result.out, result.err), ("", ""))
        not_a_db = os.path.join(self.home, "notes.txt")
        with open(not_a_db, "w") as f:
            f.write("not a database\n" * 100)
        result = self.ok("--db", not_a_db, "__complete", "contacts")
        self.assertEqual((result.out, result.err), ("", ""))
        with open(not_a_db) as f:
            self.assertEqual(f.read(), "not a database\n" * 100)

    def test_hidden_from_help(self):
        self.assertNotIn("__complete", self.ok("--help").out)


if __name__ == "__main__":
    unittest.main()
