"""The command tree as the binary itself describes it: every command path, its options and
positionals, read from `refnet ... --help`, so documentation and completion tests cannot drift
from the code."""

import re
import subprocess

from refnet_e2e import BIN

# Option descriptions that name their values ("Role: pcp, specialist ... or other") are parsed by
# enumerated(); these options' values come from their type name, e.g. FORMAT:{table,csv,...}.
_SECTION = re.compile(r"^(Positionals|Options|Subcommands):\s*$")


class Option:
    def __init__(self, names, value, description):
        self.names = names            # ["-h", "--help"]
        self.value = value            # "ROLE", "FORMAT:{table,csv}" or None for a flag
        self.description = description

    @property
    def long(self):
        return next((n for n in self.names if n.startswith("--")), None)

    def __repr__(self):
        return f"Option({self.names}, {self.value!r})"


class Command:
    def __init__(self, path, help_text):
        self.path = path              # ("list", "contacts"); () is refnet itself
        self.help = help_text
        self.options = []
        self.positionals = []         # [(name, description)]
        self.subcommands = []         # [[name, alias, ...]]

    @property
    def name(self):
        return " ".join(self.path)


def run_help(path, env=None):
    proc = subprocess.run([BIN, *path, "--help"], capture_output=True, text=True, env=env,
                          timeout=30)
    if proc.returncode != 0:
        raise AssertionError(f"refnet {' '.join(path)} --help failed: {proc.stderr}")
    return proc.stdout


def parse_help(path, text):
    command = Command(tuple(path), text)
    section = None
    entries = []  # (section, head, description)
    for line in text.splitlines():
        match = _SECTION.match(line)
        if match:
            section = match.group(1)
            continue
        if section is None:
            continue
        if not line.strip():
            continue
        if line.startswith("  ") and not line.startswith("   "):
            parts = re.split(r"\s{2,}", line.strip(), maxsplit=1)
            entries.append([section, parts[0], parts[1] if len(parts) > 1 else ""])
        elif entries and line.startswith("   "):
            entries[-1][2] = (entries[-1][2] + " " + line.strip()).strip()
        else:
            section = None  # the footer: "Example:" and the like
    for section, head, description in entries:
        if section == "Options":
            words = head.split()
            names = words[0].split(",")
            value = None
            if len(words) > 1 and words[1] not in ("Excludes:", "Needs:", "REQUIRED", "..."):
                value = words[1]
            command.options.append(Option(names, value, description))
        elif section == "Positionals":
            command.positionals.append((head.split()[0], description))
        elif section == "Subcommands":
            command.subcommands.append([n.strip() for n in head.split(",")])
    return command


def walk(env=None):
    """Every command path, refnet itself first, in help order."""
    commands = []
    pending = [()]
    while pending:
        path = pending.pop(0)
        command = parse_help(path, run_help(path, env))
        commands.append(command)
        for names in command.subcommands:
            pending.append(path + (names[0],))
    return commands


def aliases(commands):
    """{("import", "touchpoints"): ["followups"], ...}: other names of a command path."""
    out = {}
    for command in commands:
        for names in command.subcommands:
            if len(names) > 1:
                out[command.path + (names[0],)] = names[1:]
    return out


def enumerated(option):
    """The values an option's help names, or None: from FORMAT:{a,b} or "...: a, b or c"."""
    if option.value and "{" in option.value:
        return option.value[option.value.index("{") + 1:option.value.rindex("}")].split(",")
    return listed_values(option.description)


def listed_values(description):
    text = re.sub(r"\s*\([^)]*\)", "", description)
    if ":" in text:
        text = text.rsplit(":", 1)[1]
    text = text.strip().rstrip(".")
    if " or " not in text:
        return None
    head, last = text.rsplit(" or ", 1)
    values = [v.strip() for v in head.split(",")] + [last.strip()]
    if not all(re.fullmatch(r"[a-z0-9][a-z0-9.-]*", v) for v in values):
        return None
    return values
