"""Recognise article references in a query: 纪律处分条例第一百零三条, 第103条, 113条, jilv-2023#113."""
import re

from .analysis import normalize

_ID_RE = re.compile(r"^\s*([a-z][a-z0-9-]*-[0-9]{4})\s*[#＃ ]\s*(p[0-9]{2}|s[0-9]+|[0-9]+)\s*$")
# the number part only: a regex with a leading lazy ``.*?`` is quadratic on long text with no reference
_NUM_RE = re.compile(r"(?:第\s*)?(?P<num>[0-9]{1,4})\s*条")
_YEAR_RE = re.compile(r"(?:19|20)[0-9]{2}\s*年?")


def clean_name(s):
    return re.sub(r"[《》〈〉“”\"'「」（）()\s,，.。:：;；]|年修订|年修正|年版|版|修订|中国共产党", "", s)


class Regs:
    """The regulations an index knows, for resolving names and versions."""

    def __init__(self, regs):
        self.regs = regs  # [{id, title, short_title, aliases, status, date, version_label}]
        self.by_id = {r["id"]: r for r in regs}

    def names(self, r):
        return {clean_name(normalize(n)) for n in [r["title"], r["short_title"], *r.get("aliases", [])] if n}

    def resolve(self, text):
        """Regulation versions whose name appears in ``text`` (best match first), and the year named, if any."""
        year = None
        m = _YEAR_RE.search(text)
        if m:
            year = m.group(0)[:4]
        t = clean_name(normalize(_YEAR_RE.sub("", text)))
        if not t:
            return [], year
        scored = []
        for r in self.regs:
            best = 0
            for n in self.names(r):
                if not n:
                    continue
                if n == t:
                    best = max(best, 1000 + len(n))
                elif n in t:
                    best = max(best, 500 + len(n))
                elif t in n and len(t) >= 2:
                    best = max(best, 100 + len(t))
            if best:
                scored.append((best, r))
        if not scored:
            return [], year
        top = max(s for s, _ in scored)
        family = [r for s, r in scored if s == top]
        return self.order_versions(family, year), year

    @staticmethod
    def order_versions(family, year=None):
        def key(r):
            match_year = bool(year) and (r["id"].endswith(year) or year in (r.get("version_label") or ""))
            return (not match_year, r["status"] != "现行有效", -(int(r["id"][-4:]) if r["id"][-4:].isdigit() else 0))
        return sorted(family, key=key)


_HAS_NUM_RE = re.compile(r"[0-9]{1,4}\s*条")


def may_be_ref(query):
    """Cheap (linear) test before :func:`parse_ref`, whose lazy pattern is slow on long text without an
    article number: does the query hold one at all?"""
    return bool(_HAS_NUM_RE.search(normalize(query)))


def parse_id(query):
    """'jilv-2023#113' / 'jilv-2023 113' -> 'jilv-2023#113'; None otherwise."""
    m = _ID_RE.match(query.strip().lower())
    return f"{m.group(1)}#{m.group(2)}" if m else None


def parse_ref(query, regs):
    """Returns None, or {'number': int, 'regulations': [reg...] (best first; all when none named),
    'named': bool, 'year': str|None, 'rest': remaining query text}."""
    q = normalize(query)
    m = _NUM_RE.search(q)
    if not m:
        return None
    number = int(m.group("num"))
    line_start = q.rfind("\n", 0, m.start()) + 1
    reg_text = q[line_start:m.start()].rstrip()
    found, year = regs.resolve(reg_text) if reg_text.strip() else ([], None)
    rest = (q[:line_start] + " " + q[m.end():]).strip()
    if reg_text.strip() and found:
        rest = q[m.end():].strip()
    elif reg_text.strip():
        rest = (reg_text + " " + q[m.end():]).strip()
    return {"number": number, "regulations": found, "named": bool(found), "year": year, "rest": rest}
