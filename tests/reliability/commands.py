"""Every CLI command with representative arguments, for the suite-wide tests (offline guarantee).

The commands are discovered from ``xuncha.cli.build_parser()``; ``test_every_command_has_a_row`` fails
when a command has no row here, so adding a command means adding one line below. Placeholders in the
arguments: {root} the private repository copy, {work} a scratch folder, {draft} a finding draft,
{questions} an interview question list, {regtext} a small regulation text to import, {trainee} a
trainee notebook, {port} a free local port."""
import argparse
from dataclasses import dataclass, field

from xuncha.cli import build_parser


@dataclass
class Row:
    args: list
    codes: tuple = (0,)           # acceptable exit codes
    server: bool = False          # runs until stopped: start it, wait for {port}, fetch, stop
    fetch: tuple = ()             # paths to GET from a server once it answers
    needs: tuple = field(default_factory=tuple)  # placeholders that must be prepared first


COMMANDS = {
    ("search",): Row(["公款吃喝"]),
    ("show",): Row(["jilv-2023#113"]),
    ("index",): Row(["--force"]),
    ("check",): Row([]),
    ("cite",): Row(["村干部用集体资金报销私人车辆加油费"]),
    ("lint",): Row(["{draft}"], codes=(0, 1), needs=("draft",)),
    ("outline",): Row(["--role", "村党支部书记", "--clue", "村干部私车加油在村里报销", "-o", "{work}/outline.md"]),
    ("questions",): Row(["{questions}"], codes=(0, 1), needs=("questions",)),
    ("export",): Row(["{draft}", "--format", "docx", "-o", "{work}/draft.docx", "--force"], codes=(0, 1), needs=("draft",)),
    ("import",): Row(["{regtext}", "--as", "xian-ceshi-banfa-2024"], codes=(0,), needs=("regtext",)),
    ("diff",): Row(["jilv-2018", "jilv-2023", "--brief"]),
    ("round",): Row([]),
    ("site", "build"): Row(["--site-dir", "{work}/site"]),
    ("site", "serve"): Row(["--addr", "127.0.0.1:{port}"], server=True, fetch=("/", "/search/search_index.json")),
    ("notebooks", "release"): Row(["--out", "{work}/trainee"]),
    ("notebooks", "check"): Row([]),
    ("notebooks", "grade"): Row(["{trainee}"], codes=(0, 1), needs=("trainee",)),
    ("notebooks", "scores"): Row([]),
    ("lab",): Row(["--port", "{port}"], server=True, fetch=("/api", "/lab")),
}


def leaf_commands(parser=None):
    """Every runnable command path, e.g. ('search',), ('site', 'build')."""
    out = []

    def walk(p, path):
        subs = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            if path:
                out.append(path)
            return
        for name, sp in subs[0].choices.items():
            walk(sp, path + (name,))

    walk(parser or build_parser(), ())
    return out
