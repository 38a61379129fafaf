"""Find article citations in a draft and resolve them against the knowledge base.

Recognised: record IDs (jilv-2023#113, baxiang-2012#s2), 《…》（2018年修订）第一百零三条 with Chinese or
Arabic numerals, names written without 《》 (纪律处分条例第113条), follow-ups such as 「第105条、第113条」
or 「同条例第五条」, and regulation-level mentions (《中央八项规定》, 违反三重一大决策制度)."""
import re
import unicodedata
from dataclasses import dataclass, field

from ..numerals import CN_NUM, cn_to_int, int_to_cn
from ..refs import clean_name

_ID_RE = re.compile(r"(?<![a-z0-9-])([a-z][a-z0-9]*(?:-[a-z0-9]+)*-[0-9]{4})\s*[#＃]\s*(p[0-9]{2}|s[0-9]+|[0-9]+)(?![0-9])")
_NUM = rf"(?:[0-9]+|[{CN_NUM}]+)"
_VERSION = r"(?:\s*[（(][^）)\n]{1,16}[）)])?"
_ART = rf"\s*(?:的)?\s*第\s*(?P<num>{_NUM})\s*(?P<unit>条|项|部分)"
_BOOK_RE = re.compile(rf"《(?P<name>[^《》\n]{{2,60}})》(?P<ver>{_VERSION})(?:{_ART})?")
_MORE_RE = re.compile(rf"\s*(?:第\s*{_NUM}\s*款\s*)?(?:第\s*[（(]?{_NUM}[）)]?\s*项\s*)?(?:[、，,和及与或]|以及)\s*第\s*(?P<num>{_NUM})\s*(?P<unit>条|项)")
_SAME_RE = re.compile(rf"(?:同|该|本|上述|前述)(?:条例|准则|规定|办法|意见|法){_ART}")
_BARE_ART_RE = re.compile(rf"(?<![条款项])第\s*(?P<num>{_NUM})\s*条")
_TRIGGER_RE = re.compile(r"(违反|违背|依据|根据|按照|对照|不符合|适用|参照|触犯|依照|规定)")
_VAGUE_BASIS_RE = re.compile(r"(违反|不符合|违背)了?(相关|有关|上级|党纪|财经|财务|廉洁)*(规定|要求|纪律|制度|精神)")


@dataclass
class Citation:
    start: int
    end: int
    raw: str
    kind: str                     # id | article | regulation | bare-article
    reg_text: str = ""            # what names the regulation
    year: str = None
    number: int = None
    unit: str = "条"
    regulations: list = field(default_factory=list)   # candidate regulation ids, best first
    # filled by resolve():
    status: str = "unresolved"    # ok | unrecorded | beyond | unknown-id | unknown-regulation | dangling | regulation
    record: str = None            # resolved record id (article, section, provision) or successor article
    regulation: str = None        # resolved regulation version id
    note: str = ""


def fold(text):
    """Width-preserving normalisation: full-width digits/letters to ASCII, lower case; same length."""
    out = []
    for c in text:
        n = unicodedata.normalize("NFKC", c)
        out.append(n.lower() if len(n) == 1 else c)
    return "".join(out)


def _int(s):
    n = cn_to_int(s)
    return n if n is not None and 0 < n < 10000 else None


def _year(ver):
    m = re.search(r"(19|20)[0-9]{2}", ver or "")
    return m.group(0) if m else None


def _known_names(kbv):
    names = {}
    for r in kbv.regulations.values():
        for n in [r["title"], r["short_title"], *(r.get("aliases") or [])]:
            if n and len(n) >= 3:
                names.setdefault(fold(n), r["id"])
                short = n.replace("中国共产党", "").replace("中共中央", "")
                if len(short) >= 4:
                    names.setdefault(fold(short), r["id"])
    return sorted(names, key=len, reverse=True), names


def find_citations(text, kbv=None):
    """All citations in ``text`` (offsets into ``text``), in order. ``kbv``: a KBView (optional) for
    recognising regulation names written without 《》."""
    t = fold(text)
    found = []
    taken = []

    def free(s, e):
        return not any(s < e2 and s2 < e for s2, e2 in taken)

    def add(c):
        found.append(c)
        taken.append((c.start, c.end))
        # follow-ups: 第105条、第113条 / 第五条和第六条
        pos = c.end
        while c.kind in ("article", "id") and c.number is not None:
            m = _MORE_RE.match(t, pos)
            if not m:
                break
            n = _int(m.group("num"))
            if n is None or m.group("unit") != (c.unit or "条"):
                break
            s = m.start("num") - 1
            while s > pos and t[s] != "第":
                s -= 1
            nc = Citation(s, m.end(), text[s:m.end()], "article", c.reg_text, c.year, n, m.group("unit"),
                          list(c.regulations))
            found.append(nc)
            taken.append((nc.start, nc.end))
            pos = m.end()

    for m in _ID_RE.finditer(t):
        reg, art = m.group(1), m.group(2)
        num = int(art) if art.isdigit() else None
        add(Citation(m.start(), m.end(), text[m.start():m.end()], "id", reg, None, num, "条", [reg]))
    for m in _BOOK_RE.finditer(t):
        if not free(m.start(), m.end()):
            continue
        name, ver = m.group("name"), m.group("ver")
        year = _year(ver) or _year(name)
        regs = _resolve_name(name + (ver or ""), kbv)
        if m.group("num"):
            n = _int(m.group("num"))
            add(Citation(m.start(), m.end(), text[m.start():m.end()], "article", name, year, n, m.group("unit"), regs))
        else:
            add(Citation(m.start(), m.end(), text[m.start():m.end()], "regulation", name, year, None, "", regs))
    if kbv is not None:
        order, names = _known_names(kbv)
        for n in order:
            for m in re.finditer(re.escape(n), t):
                s, e = m.start(), m.end()
                if not free(s, e):
                    continue
                tail = re.compile(rf"{_VERSION}{_ART}").match(t, e)
                ver = ""
                if tail:
                    ver = t[e:tail.start("num")]
                    regs = _resolve_name(n + ver, kbv) or [names[n]]
                    add(Citation(s, tail.end(), text[s:tail.end()], "article", n, _year(ver), _int(tail.group("num")),
                                 tail.group("unit"), regs))
                elif _TRIGGER_RE.search(t[max(0, s - 12):s]):
                    regs = _resolve_name(n, kbv) or [names[n]]
                    add(Citation(s, e, text[s:e], "regulation", n, None, None, "", regs))
    # 同条例第五条 -> the last named regulation before it
    for m in _SAME_RE.finditer(t):
        if not free(m.start(), m.end()):
            continue
        prev = [c for c in found if c.end <= m.start() and c.regulations]
        base = max(prev, key=lambda c: c.end) if prev else None
        c = Citation(m.start(), m.end(), text[m.start():m.end()], "article" if base else "bare-article",
                     base.reg_text if base else "", base.year if base else None, _int(m.group("num")),
                     m.group("unit"), list(base.regulations) if base else [])
        add(c)
    for m in _BARE_ART_RE.finditer(t):
        if not free(m.start(), m.end()):
            continue
        add(Citation(m.start(), m.end(), text[m.start():m.end()], "bare-article", "", None, _int(m.group("num"))))
    found.sort(key=lambda c: c.start)
    return found


def _resolve_name(name, kbv):
    if kbv is None:
        return []
    if re.fullmatch(r"[a-z][a-z0-9-]*-[0-9]{4}", name.strip()):
        return [name.strip()] if name.strip() in kbv.regulations else []
    if not clean_name(name):
        return []
    regs, _year_ = kbv.regs.resolve(name)
    return [r["id"] for r in regs]


def vague_basis(text):
    """Spans of 「违反了相关规定」-style phrases that stand in for a real citation."""
    t = fold(text)
    return [(m.start(), m.end()) for m in _VAGUE_BASIS_RE.finditer(t)]


def resolve(c, kbv):
    """Fill in ``status``, ``record``, ``regulation`` and ``note`` of a citation. Returns it."""
    if c.kind == "bare-article":
        c.status = "dangling"
        return c
    if kbv is None:
        c.status = "unresolved"
        return c
    if c.kind == "id":
        rid = c.raw.strip().lower().replace("＃", "#").replace(" ", "")
        if kbv.get(rid) is not None:
            c.status, c.record, c.regulation = "ok", rid, rid.split("#")[0]
            return c
        reg = rid.split("#")[0]
        if reg not in kbv.regulations:
            c.status, c.note = "unknown-id", f"知识库中没有编号为「{reg}」的法规"
            return c
        if c.number is None:
            c.status, c.note = "unknown-id", f"知识库中没有编号为「{rid}」的记录"
            return c
        c.regulations = [reg]
    if not c.regulations:
        c.status = "unknown-regulation"
        c.note = f"知识库未收录《{c.reg_text}》" if c.reg_text else "无法确定所引法规"
        return c
    reg_id = c.regulations[0]
    if c.year:
        exact = [r for r in c.regulations if r.endswith(c.year) or c.year in (kbv.regulations[r]["version_label"] or "")]
        if exact:
            reg_id = exact[0]
    c.regulation = reg_id
    reg = kbv.regulations[reg_id]
    if c.number is None:
        c.status = "regulation"
        return c
    if reg["sections"] and not reg["articles"] and (c.unit != "条" or not reg.get("article_count")):
        aid = f"{reg_id}#s{c.number}"
    else:
        aid = f"{reg_id}#{c.number}"
    if kbv.get(aid) is not None:
        c.status, c.record = "ok", aid
        return c
    total = reg.get("article_count")
    if c.unit == "条" and total and c.number > total:
        c.status, c.note = "beyond", f"{reg['citation']}共{int_to_cn(total)}条，没有第{int_to_cn(c.number)}条"
        return c
    if c.unit != "条" and reg["sections"] and c.number > len(reg["sections"]):
        c.status, c.note = "beyond", f"{reg['citation']}只有{len(reg['sections'])}项（部分），没有第{c.number}项"
        return c
    succ = kbv.successor_article(aid)
    c.status, c.record = "unrecorded", succ
    c.note = f"知识库未收录{reg['citation']}第{int_to_cn(c.number)}条的内容" + (f"（现行版本对应 {succ}）" if succ else "")
    return c
