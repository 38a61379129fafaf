"""Time expressions in a draft: absolute dates (2022年3月, 2022-03-05, 二〇二二年), relative ones (去年3月)
and vague ones (近年来, 长期). Used by missing-time and by the superseded-version check."""
import datetime as dt
import re
from dataclasses import dataclass

from .citations import fold

_CN_DIGIT = {"〇": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7",
             "八": "8", "九": "9"}
_ABS_RE = re.compile(r"(?<![0-9])(?P<y>(?:19|20)[0-9]{2})\s*(?:年|[-./](?=[0-9]))\s*(?:(?P<m>[0-9]{1,2})\s*(?:月|[-./]|(?![0-9]))"
                     r"\s*(?:(?P<d>[0-9]{1,2})\s*[日号]?)?)?")
_CN_YEAR_RE = re.compile(r"(?P<y>[〇零一二三四五六七八九]{4})年")
_REL_RE = re.compile(r"(?P<w>今年|去年|前年|上年|本年度|上一年|上年度|当年)(?:\s*(?P<m>[0-9]{1,2})\s*月)?")
_PARTIAL_RE = re.compile(r"(?<![0-9年])(?P<m>[0-9]{1,2})\s*月\s*(?:(?P<d>[0-9]{1,2})\s*[日号])?")
_VAGUE_RE = re.compile(r"近年来|近几年|近年|近期|长期以来|长期|一直以来|一直|多年来|以往|过去|曾经|有时|经常|此前|前些年|平时|"
                       r"日常|届内|任期内|任职期间|巡察期间|年初|年底|年末|上半年|下半年")


@dataclass
class TimeExpr:
    start: int
    end: int
    kind: str          # date | relative | partial | vague
    year: int = None
    month: int = None
    day: int = None
    until_now: dt.date = None  # set for 2022年以来 / 2022年至今


    def first_day(self):
        if self.year is None:
            return None
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self):
        if self.year is None:
            return None
        if self.until_now:
            return self.until_now
        if self.month is None:
            return dt.date(self.year, 12, 31)
        nxt = dt.date(self.year + (self.month == 12), self.month % 12 + 1, 1)
        return dt.date(self.year, self.month, self.day) if self.day else nxt - dt.timedelta(days=1)


def _valid(y, m, d):
    try:
        dt.date(y, m or 1, d or 1)
        return True
    except ValueError:
        return False


def find_times(text, today=None):
    """All time expressions in ``text`` (offsets into ``text``)."""
    today = today or dt.date.today()
    t = fold(text)
    out, taken = [], []

    def add(e):
        if not any(e.start < b and a < e.end for a, b in taken):
            out.append(e)
            taken.append((e.start, e.end))

    for m in _ABS_RE.finditer(t):
        if "年" not in m.group(0) and t[m.end():m.end() + 1] in set("万元千亿%％"):
            continue  # 2023.5万元 is an amount
        y = int(m.group("y"))
        mo = int(m.group("m")) if m.group("m") else None
        d = int(m.group("d")) if m.group("d") and mo else None
        if mo and not 1 <= mo <= 12:
            mo, d = None, None
        if d and not _valid(y, mo, d):
            d = None
        e = TimeExpr(m.start(), m.end(), "date", y, mo, d)
        if re.match(r"\s*(?:以来|至今|起至今|到现在|开始至今)", t[m.end():m.end() + 6]):
            e.until_now = today
        add(e)
    for m in _CN_YEAR_RE.finditer(t):
        y = int("".join(_CN_DIGIT[c] for c in m.group("y")))
        if 1900 <= y <= 2100:
            add(TimeExpr(m.start(), m.end(), "date", y))
    for m in _REL_RE.finditer(t):
        off = {"今年": 0, "本年度": 0, "当年": 0, "去年": 1, "上年": 1, "上一年": 1, "上年度": 1, "前年": 2}[m.group("w")]
        mo = int(m.group("m")) if m.group("m") and 1 <= int(m.group("m")) <= 12 else None
        add(TimeExpr(m.start(), m.end(), "relative", today.year - off if m.group("w") != "当年" else None, mo))
    for m in _PARTIAL_RE.finditer(t):
        mo = int(m.group("m"))
        if 1 <= mo <= 12:
            add(TimeExpr(m.start(), m.end(), "partial", None, mo))
    for m in _VAGUE_RE.finditer(t):
        add(TimeExpr(m.start(), m.end(), "vague"))
    out.sort(key=lambda e: e.start)
    return out


def period(exprs):
    """(first day, last day) covered by the dated expressions, or None."""
    dated = [e for e in exprs if e.year is not None]
    if not dated:
        return None
    return min(e.first_day() for e in dated), max(e.last_day() for e in dated)
