"""Confidentiality: nothing the project ships holds an unmasked phone number, citizen ID number or
personal name.

Files are what git tracks plus new files it does not ignore (the working tree a commit would ship).
Two checks run: this file's own patterns for phone and ID numbers (an 18-digit ID only counts when its
GB 11643 check digit and birth date are valid, so ordinary long numbers do not trip it), over every text
file; and the drafting tools' ``personal-info`` lint rule (names, phones, ID and bank-card numbers),
over the corpus, docs, notebooks and other prose. Folders that hold fake personal data on purpose, as
fixtures for that very rule, are listed in EXCLUDED with the reason."""
import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import pytest

from .conftest import COUNTS, REPO

EXCLUDED = {
    "tests/": "test fixtures, including invented personal data that the personal-info tests must catch",
    "bench/drafts/": "labelled benchmark drafts for the personal-info rule: invented names and numbers on purpose",
}
# (file, text) pairs the drafting rule flags that are not personal data, each with the reason
ALLOWED = {
    ("xuncha/drafting/names.py", "何文斌"): "an invented name in a comment explaining how the name finder splits words",
}
TEXT_SUFFIXES = {".yaml", ".yml", ".md", ".txt", ".ipynb", ".py", ".json", ".toml", ".cfg", ".ini", ".html", ".css",
                 ".js", ".csv", ".tsv", ".xml", ".sh", ""}
PROSE_SUFFIXES = {".yaml", ".yml", ".md", ".txt", ".ipynb", ".html", ".csv"}

_B = r"(?<![0-9A-Za-z])"
_E = r"(?![0-9A-Za-z])"
MOBILE = re.compile(_B + r"(?:\+?86[- ]?)?1[3-9][0-9](?:[- ]?[0-9]{4}){2}" + _E)
LANDLINE = re.compile(_B + r"0[0-9]{2,3}-[2-9][0-9]{6,7}" + _E)
ID18 = re.compile(_B + r"[1-9][0-9]{5}(?:19|20)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}[0-9Xx]" + _E)
_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_valid(s):
    """GB 11643: check digit and a real birth date."""
    s = s.upper()
    if "10X98765432"[sum(int(c) * w for c, w in zip(s[:17], _W)) % 11] != s[17]:
        return False
    try:
        return dt.date(1900, 1, 1) <= dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14])) <= dt.date.today()
    except ValueError:
        return False


def find_numbers(text):
    """[(kind, text)] for unmasked phone and ID numbers."""
    out = [("手机号", m.group()) for m in MOBILE.finditer(text)]
    out += [("固定电话", m.group()) for m in LANDLINE.finditer(text)]
    out += [("身份证号", m.group()) for m in ID18.finditer(text) if id_valid(m.group())]
    return out


def shipped_files():
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                                capture_output=True, check=True).stdout.decode("utf-8", "surrogateescape").split("\0")
    except (OSError, subprocess.CalledProcessError):  # not a git checkout (an unpacked release)
        listed = [p.relative_to(REPO).as_posix() for p in REPO.rglob("*") if p.is_file()]
    return sorted(f for f in listed if f and not any(f.startswith(x) for x in EXCLUDED) and (REPO / f).is_file())


def text_of(rel):
    """The text a reader sees: notebook cells and their text outputs, other files as they are."""
    p = REPO / rel
    raw = p.read_bytes()
    if b"\0" in raw[:4096]:
        return None
    text = raw.decode("utf-8", "replace")
    if p.suffix == ".ipynb":
        try:
            nb = json.loads(text)
        except ValueError:
            return text
        parts = []
        for c in nb.get("cells", []):
            parts.append("".join(c.get("source", [])))
            for o in c.get("outputs", []):
                parts.append("".join(o.get("text", [])))
                for v in (o.get("data") or {}).values():
                    if isinstance(v, (list, str)):
                        parts.append("".join(v))
        return "\n".join(parts)
    return text


def test_the_patterns_catch_what_they_should():
    found = find_numbers("手机13800138000，座机0371-65432178，身份证11010519491231002X，单号20240101123456789。")
    assert [k for k, _ in found] == ["手机号", "固定电话", "身份证号"]
    assert find_numbers("手机138****8000，身份证110105********002X，编号 110105194912310021") == []


def test_no_phone_or_id_numbers_in_any_shipped_file():
    hits, n = [], 0
    for rel in shipped_files():
        if Path(rel).suffix not in TEXT_SUFFIXES:
            continue
        text = text_of(rel)
        if text is None:
            continue
        n += 1
        hits += [(rel, kind, s) for kind, s in find_numbers(text)]
    COUNTS["confidentiality_files"] = max(COUNTS["confidentiality_files"], n)
    assert n > 50
    assert hits == [], "unmasked personal numbers (mask them as 138****5678 / 110105********002X):\n" + "\n".join(map(str, hits))


def test_personal_info_rule_over_the_repository():
    """The drafting tools' personal-info rule: error-level findings fail, warnings (疑似) are only counted."""
    lint = pytest.importorskip("xuncha.drafting.lint", reason="personal-info 规则（xuncha.drafting.lint）尚不存在").lint
    errors, warnings, n = [], 0, 0
    for rel in shipped_files():
        if Path(rel).suffix not in PROSE_SUFFIXES and Path(rel).name != "README.md":
            continue
        text = text_of(rel)
        if not text or not text.strip():
            continue
        n += 1
        for issue in lint(text, fmt="text", rules=["personal-info"]):
            if issue["severity"] != "error":
                warnings += 1
            elif (rel, issue["excerpt"]) not in ALLOWED:
                errors.append((rel, issue["line"], issue["message"]))
    COUNTS["confidentiality_prose_files"] = n
    COUNTS["confidentiality_suspect_warnings"] = warnings
    assert n > 30
    assert errors == [], "\n".join(map(str, errors))


def test_personal_info_numbers_over_code_and_config():
    """The same rule's number finder (phones, IDs, bank cards) over everything that is not prose."""
    privacy = pytest.importorskip("xuncha.drafting.rules.privacy", reason="personal-info 规则尚不存在")
    hits = []
    for rel in shipped_files():
        if Path(rel).suffix not in TEXT_SUFFIXES - PROSE_SUFFIXES:
            continue
        text = text_of(rel)
        if text:
            hits += [(rel, kind, text[s:e]) for s, e, kind, sev in privacy.find_numbers(text) if sev == "error"]
    assert hits == [], "\n".join(map(str, hits))
