"""The manual pages: lint-clean, and in step with the binary. Every command, subcommand and
option that `refnet --help` and each command's --help list is documented in refnet(1), in that
command's own entry with an example; every config key is in refnet-config(5) with its default;
and every command and option appears in the three completion scripts. The tree is walked from
the binary, so a new command or option that is not documented fails here."""

import os
import re
import shlex
import shutil
import subprocess
import unittest

import cli_help
from refnet_e2e import BIN, RefnetCase, SOURCE_DIR, sqlite_only

MAN = os.path.join(SOURCE_DIR, "man")
REFNET_1 = os.path.join(MAN, "refnet.1")
REFNET_CONFIG_5 = os.path.join(MAN, "refnet-config.5")
COMPLETION_SCRIPTS = [os.path.join(SOURCE_DIR, "completions", name)
                      for name in ("refnet", "_refnet", "refnet.fish")]

# What the exit statuses and the environment refnet reads require the page to describe.
EXIT_STATUSES = ["0", "1", "2", "65", "66", "73", "74", "75", "78"]
ENVIRONMENT = ["REFNET_DB", "REFNET_CONFIG", "REFNET_NOW", "NO_COLOR", "CLICOLOR_FORCE",
               "XDG_CONFIG_HOME", "XDG_DATA_HOME", "TZ"]

_TREE = None


def tree():
    global _TREE
    if _TREE is None:
        _TREE = cli_help.walk()
    return _TREE


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def sections(source):
    """{".Sh NAME": [lines], ...}: the mdoc source split at .Sh."""
    out, current = {}, None
    for line in source.splitlines():
        if line.startswith(".Sh "):
            current = line[4:].strip().strip('"')
            out[current] = []
        elif current:
            out[current].append(line)
    return out


def command_entries(source):
    """{("list", "contacts"): [lines], ...}: each `.It Nm Cm list Cm contacts ...` entry of
    COMMANDS up to the next one. An entry naming alternatives (`Cm contacts | Cm referrals`)
    documents each of them; entries for the same command are joined."""
    entries = {}
    current = []
    for line in sections(source).get("COMMANDS", []):
        if line.startswith(".It Nm"):
            words = line.split()[2:]
            paths, prefix, alternatives = [], [], []
            i = 0
            while i + 1 < len(words) and words[i] == "Cm":
                if alternatives or (i + 2 < len(words) and words[i + 2] == "|"):
                    alternatives.append(words[i + 1])
                    i += 3 if i + 2 < len(words) and words[i + 2] == "|" else 2
                else:
                    prefix.append(words[i + 1])
                    i += 2
            paths = [tuple(prefix + [a]) for a in alternatives] or [tuple(prefix)]
            current = []
            for path in paths:
                entries.setdefault(path, []).append(current)
        current.append(line)
    return {path: [l for block in blocks for l in block] for path, blocks in entries.items()}


def long_options(command):
    return {o.long for o in command.options if o.long and o.long != "--help"}


def documents_option(lines, option):
    """Whether the mdoc lines name `--option` with Fl."""
    pattern = re.compile(r"(^|\s)Fl \\-" + re.escape(option[2:]) + r"(\s|$)")
    return any(l.startswith(".") and pattern.search(l) for l in lines)


@unittest.skipUnless(shutil.which("mandoc"), "needs mandoc")
class LintTest(unittest.TestCase):

    def lint(self, page):
        proc = subprocess.run(["mandoc", "-Tlint", page], capture_output=True, text=True)
        messages = [m for m in (proc.stdout + proc.stderr).splitlines()
                    # Whether cron(8) or refnet-config(5) are installed here is not the page's
                    # business, nor is the state of the system's mandoc.db.
                    if "referenced manual not found" not in m and "outdated mandoc.db" not in m]
        self.assertEqual(messages, [], f"mandoc -Tlint {page}")

    def test_refnet_1_is_lint_clean(self):
        self.lint(REFNET_1)

    def test_refnet_config_5_is_lint_clean(self):
        self.lint(REFNET_CONFIG_5)


class ManualTest(RefnetCase):

    def setUp(self):
        super().setUp()
        self.page = read(REFNET_1)
        self.entries = command_entries(self.page)

    def test_every_command_has_an_entry_with_an_example(self):
        for command in tree()[1:]:
            if command.subcommands and not long_options(command):
                continue  # a group like `list`: its subcommands' entries document it
            with self.subTest(command=command.name):
                self.assertTrue(command.path in self.entries,
                                f"refnet {command.name} has no .It Nm entry in COMMANDS")
                lines = self.entries.get(command.path, [])
                self.assertTrue(any(l.startswith((".Dl", ".Bd")) for l in lines),
                                f"refnet {command.name}: no example in its entry")

    def test_every_alias_is_named_in_its_entry(self):
        for path, names in cli_help.aliases(tree()).items():
            for name in names:
                self.assertTrue(any(re.search(r"\bCm " + re.escape(name) + r"\b", l)
                                    for l in self.entries.get(path, [])),
                                f"{' '.join(path)}: alias {name} is not mentioned")

    def test_every_option_is_documented_in_its_command_entry(self):
        for command in tree()[1:]:
            lines = self.entries.get(command.path, [])
            if len(command.path) == 2 and command.path[0] == "report":
                # Reports share the period options documented in the entry of `report`.
                lines = lines + self.entries.get(("report",), [])
            for option in command.options:
                if option.long == "--help":
                    continue
                with self.subTest(command=command.name, option=option.long):
                    self.assertTrue(documents_option(lines, option.long),
                                    f"refnet {command.name} {option.long} is not in its entry")

    def test_every_option_an_entry_documents_is_in_the_commands_help(self):
        # The reverse of the test above: what the man page says a command takes, its --help lists,
        # its own options or the ones it takes from refnet and its parent ("Also takes").
        # An entry shared by several commands (`export contacts | referrals ...`) may document
        # an option of one of them (--vcard): one of them lists it.
        by_path = {command.path: command for command in tree()}
        documented = re.compile(r"(?:^|\s)Fl \\-([a-z][a-z-]*)")

        def helped(path):
            return set(re.findall(r"(?m)^\s+(?:-\w,)?(--[a-z][a-z-]*)", by_path[path].help))

        for path, lines in self.entries.items():
            if path not in by_path:
                continue
            sharing = [p for p, l in self.entries.items() if l == lines and p in by_path]
            listed = set().union(*(helped(p) for p in sharing))
            for line in lines:
                if not line.startswith("."):
                    continue
                for name in documented.findall(line):
                    with self.subTest(command=" ".join(path), option=name):
                        self.assertIn(f"--{name}", listed,
                                      f"refnet {' '.join(path)} --help does not list --{name}")

    def test_every_global_option_is_documented(self):
        lines = sections(self.page)["GLOBAL OPTIONS"]
        for option in tree()[0].options:
            with self.subTest(option=option.long):
                self.assertTrue(documents_option(lines, option.long), option.long)

    def test_every_enumerated_value_is_documented(self):
        for command in tree():
            for option in command.options:
                for value in cli_help.enumerated(option) or []:
                    with self.subTest(option=option.long, value=value):
                        self.assertRegex(self.page, r"\b(Cm|Ar) [^\n]*" + re.escape(value))

    def test_environment_and_exit_status(self):
        parts = sections(self.page)
        environment = "\n".join(parts["ENVIRONMENT"])
        for name in ENVIRONMENT:
            self.assertIn(f".It Ev {name}", environment)
        exit_status = [l.split()[1] for l in parts["EXIT STATUS"] if l.startswith(".It ")]
        self.assertEqual(exit_status, EXIT_STATUSES)
        for name in ("NAME", "SYNOPSIS", "DESCRIPTION", "FILES", "EXAMPLES", "SEE ALSO",
                     "DATES AND DURATIONS", "OUTPUT FORMATS"):
            self.assertIn(name, parts)

    def test_csv_formula_injection_rule(self):
        formats = "\n".join(sections(self.page)["OUTPUT FORMATS"])
        for needle in ("Ql = ,", "Ql + ,", "Ql - ,", "Ql @ ,", "tab", "carriage return",
                       "apostrophe"):
            self.assertIn(needle, formats)
        # The rule the page states is the one the binary applies.
        self.init()
        self.add("=SUM(A1)")
        self.add("@cmd")
        names = [row["name"] for row in self.ok("--format", "csv", "list", "contacts").csv()]
        self.assertEqual(sorted(names), ["'=SUM(A1)", "'@cmd"])

    def test_every_example_uses_real_commands_and_options(self):
        """Each `.Dl refnet ...` example names a command path the binary has, and only options
        that path (or a command above it) accepts, so examples cannot go stale."""
        by_path = {c.path: c for c in tree()}
        examples = [l for l in self.page.splitlines() if l.startswith(".Dl refnet ")]
        self.assertGreater(len(examples), 40)
        for line in examples:
            text = line[len(".Dl "):].replace("\\(dq", '"')
            words = shlex.split(text.split(" | ")[0].split(" && ")[0].split(" || ")[0])[1:]
            path, node, accepted = (), by_path[()], set()
            accepted |= {o.long for o in node.options}
            for word in words:
                names = {n: names[0] for names in node.subcommands for n in names}
                if not word.startswith("-") and word in names and path + (names[word],) in by_path:
                    path += (names[word],)
                    node = by_path[path]
                    accepted |= {o.long for o in node.options}
            with self.subTest(example=line):
                used = {w.split("=")[0] for w in words if w.startswith("--")}
                self.assertTrue(path or used, f"example names no command: {line}")
                used = {w.split("=")[0] for w in words if w.startswith("--")}
                self.assertEqual(used - accepted, set(), f"unknown options in: {line}")


class ConfigManualTest(RefnetCase):

    def setUp(self):
        super().setUp()
        self.page = read(REFNET_CONFIG_5)

    def test_every_key_with_its_type_and_default(self):
        rows = self.ok("--format", "json", "config", "show").json()
        self.assertTrue(rows)
        for row in rows:
            key, value = row["key"], row["value"]
            with self.subTest(key=key):
                match = re.search(r"^\.It Cm " + re.escape(key) + r" Pq (.*)$", self.page, re.M)
                self.assertIsNotNone(match, f"{key} is not documented in refnet-config(5)")
                if key == "database.path":
                    continue  # its default is resolved from the XDG folders
                default = match.group(1).rsplit("default", 1)[1].strip()
                default = default[3:] if default.startswith("Qq ") else default
                default = "" if default == "Qq" else default
                self.assertEqual(default, value, f"the default of {key}")

    @sqlite_only("REFNET_DB names the server there")
    def test_the_full_example_sets_every_key_and_loads(self):
        example = re.search(r"^\.Sh EXAMPLES\n.*?^\.Bd -literal[^\n]*\n(.*?)^\.Ed", self.page,
                            re.M | re.S).group(1)
        path = os.path.join(self.home, "example.toml")
        with open(path, "w") as f:
            f.write(example)
        rows = self.ok("--config", path, "--format", "json", "config", "show").json()
        unset = [row["key"] for row in rows if not row["origin"].startswith(path)]
        self.assertEqual(unset, [], "keys the example leaves out")


class CompletionScriptsTest(unittest.TestCase):

    def test_every_command_and_option_is_in_every_script(self):
        for script in COMPLETION_SCRIPTS:
            text = read(script)
            for command in tree():
                words = [n for names in command.subcommands for n in names]
                words += [o.long for o in command.options if o.long]
                for word in words:
                    if word.startswith("--"):
                        # bash and zsh spell it --name; fish says `-l name`.
                        pattern = (r"(?<![\w-])(--|-l )" + re.escape(word[2:]) + r"(?![\w-])")
                    else:
                        pattern = r"(?<![\w-])" + re.escape(word) + r"(?![\w-])"
                    with self.subTest(script=os.path.basename(script), word=word):
                        self.assertTrue(re.search(pattern, text),
                                        f"{word} is not in {os.path.basename(script)}")


class HelpExamplesTest(RefnetCase):

    def test_every_command_help_shows_an_example(self):
        for command in tree():
            with self.subTest(command=command.name or "refnet"):
                self.assertIn("Example:", command.help)


if __name__ == "__main__":
    unittest.main()


class ExamplesTest(RefnetCase):
    """refnet(1) EXAMPLES, run as written, in order, on a fresh database: each line as /bin/sh
    runs it, with refnet, a `mail` that keeps what it is given, jq, cut and dot on PATH."""

    def example_lines(self):
        section = "\n".join(sections(read(REFNET_1))["EXAMPLES"])
        lines = []
        for block in re.findall(r"^\.Bd -literal[^\n]*\n(.*?)^\.Ed", section, re.M | re.S):
            text = block.replace("\\e\n", "\\\n").replace("\\(dq", '"').replace("\\e", "\\")
            for line in re.sub(r"\\\n\s*", " ", text).splitlines():
                if line.strip():
                    lines.append(line.strip())
        return lines

    @sqlite_only("the examples keep files beside the database file")
    def test_every_example_runs(self):
        for tool in ("jq", "dot", "cut"):
            self.assertIsNotNone(shutil.which(tool), f"{tool} is a test package")
        bin_dir = os.path.join(self.home, "bin")
        os.makedirs(bin_dir)
        os.symlink(os.path.abspath(BIN), os.path.join(bin_dir, "refnet"))
        mailed = os.path.join(self.home, "mailed")
        with open(os.path.join(bin_dir, "mail"), "w") as f:
            f.write(f"#!/bin/sh\ncat >> {mailed}\n")
        os.chmod(os.path.join(bin_dir, "mail"), 0o755)
        env = dict(self.env, PATH=bin_dir + ":" + self.env["PATH"])
        work = os.path.join(self.home, "work")
        os.makedirs(work)
        lines = self.example_lines()
        self.assertGreater(len(lines), 10)
        for line in lines:
            cron = re.match(r"^(\S+\s+){5}(refnet .*)$", line)
            command = cron.group(2) if cron else line
            with self.subTest(command=command):
                proc = subprocess.run(["/bin/sh", "-c", command], env=env, cwd=work,
                                      capture_output=True, text=True, timeout=60)
                # A cron line ends in `[ $? = 1 ] && mail ...`: 1 when there was nothing to mail.
                self.assertIn(proc.returncode, (0, 1) if cron else (0,), proc.stderr)
                self.assertNotIn("refnet:", proc.stderr)
        self.assertTrue(os.path.getsize(os.path.join(work, "network.png")) > 0)
        with open(os.path.join(work, "open.csv"), encoding="utf-8") as f:
            self.assertIn("MRN-1001", f.read())
