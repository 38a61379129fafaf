"""定性依据: the articles, provisions and sections that fit a problem as an inspector writes it.

``cite`` ranks only citable entries (article / provision / section), says why each one matched (the
query's words, synonyms, spelling fixes, and the findings and checklist items in inspectors' words that
cite it), and prefers the version that applies: 现行有效 by default, or the version in force on the date of
the conduct (``date``). Where that version is only a stub (e.g. 纪律处分条例 2018), the current article is
shown with its old number from the ``previous`` link."""
import datetime
import re

from .analysis import MAX_QUERY_CHARS
from .errors import InputError
from .search import Hits, hit_from_entry
from .vocab import FOCUS_NAMES, STATUSES

CITE_KINDS = ("article", "provision", "section")
MAX_CITE_CHARS = MAX_QUERY_CHARS  # longer descriptions are cut (a pasted page of a 底稿 still fits)
LINKS_SHOWN = 5
# version preference for a date: in force then / a newer version whose old number we can show /
# a newer version without a mapped old article / a version not in force then
IN_FORCE, PROXY, NEWER, OUT_OF_FORCE = 1.0, 1.0, 0.6, 0.5
# without a date: a 定性依据 should come from the version in force now; older versions only when nothing
# current fits (a stronger preference than search's, which also serves people reading history)
CITE_STATUS_FACTOR = {"现行有效": 1.0, "已被修订": 0.5, "已废止": 0.4, "失效": 0.4}


def parse_date(text):
    """'2022-05-01' (also 2022/5/1, 2022.5.1, 2022年5月1日) -> date. Raises InputError."""
    m = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*", str(text or ""))
    try:
        if not m:
            raise ValueError
        return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise InputError(f"日期「{text}」无法识别：请写成 YYYY-MM-DD，如 2022-05-01（行为发生的日期）") from None


def _start(reg):
    """The first day a version applied (effective, else published, else adopted; partial dates allowed)."""
    for key in ("effective", "published", "adopted"):
        v = (reg.get("dates") or {}).get(key)
        if v:
            parts = [int(p) for p in str(v).split("-")[:3]]
            while len(parts) < 3:
                parts.append(1)
            try:
                return datetime.date(*parts)
            except ValueError:
                continue
    return None


class Versions:
    """Which version of each regulation was in force on a date."""

    def __init__(self, regs, date):
        self.by_id = regs.by_id
        self.date = date

    def in_force(self, rid):
        r = self.by_id[rid]
        start = _start(r)
        if start and self.date < start:
            return False
        nxt = self.by_id.get(r.get("superseded_by") or "")
        nstart = _start(nxt) if nxt else None
        return not (nstart and self.date >= nstart)

    def then(self, rid):
        """The version of ``rid``'s family in force on the date that the index holds, or None."""
        seen, cur = set(), rid
        while cur in self.by_id and cur not in seen:
            seen.add(cur)
            if self.in_force(cur):
                return cur
            older = [p for p in self.by_id[cur].get("supersedes") or [] if p in self.by_id]
            if not older:
                return None
            cur = older[0]
        return None


def _date_plan(searcher, versions):
    """({docnum: factor}, {regulation: (version then or None)}) for every regulation in the index."""
    factor, then = {}, {}
    for rid, r in versions.by_id.items():
        t = versions.then(rid)
        then[rid] = t
        if t == rid:
            f = IN_FORCE
        elif t is None:  # nothing older is held: the version we have is the best available
            f = IN_FORCE if versions.date < (_start(r) or versions.date) else OUT_OF_FORCE
        elif versions.by_id[t]["articles"]:
            f = NEWER if (_start(r) or versions.date) > versions.date else OUT_OF_FORCE
        else:
            f = PROXY  # the version then is a stub: current articles stand in, with their old numbers
        if f != 1.0:
            for d in searcher.docs_with("regulation", rid):
                factor[d] = f
    return factor, then


def _then_info(e, versions, then):
    """How an entry relates to the version in force on the date: a dict added to the hit as ``then``."""
    rid = e.get("regulation")
    t = then.get(rid)
    if t == rid:
        return {"in_force": True}
    if t is None:
        r = versions.by_id[rid]
        return {"in_force": False, "note": f"{r['citation']}在该日期尚未施行，语料中也没有当时的版本"
                if _start(r) and versions.date < _start(r) else f"{r['citation']}在该日期已不再施行"}
    old = versions.by_id[t]
    info = {"in_force": False, "regulation": t, "version": old["citation"]}
    p = e.get("previous")
    if p and p.get("regulation") == t:
        info.update(citation=p.get("citation"), number=p["number"], verified=bool(p.get("verified")))
    elif e.get("new_in_version"):
        info["note"] = f"本条为新版新增，{old['citation']}中没有对应条文"
    else:
        info["note"] = f"语料未收录{old['citation']}中与本条对应的条号"
    return info


def _date_notes(versions, then, hits):
    notes, day = [], versions.date.isoformat()
    for label, test in (("当时尚未施行", lambda r: _start(r) and versions.date < _start(r)),
                        ("当时已被取代", lambda r: not (_start(r) and versions.date < _start(r)))):
        regs = [versions.by_id[h["regulation"]] for h in hits if h.get("then", {}).get("in_force") is False
                and not h["then"].get("version")]
        names = list(dict.fromkeys(r["citation"] for r in regs if test(r)))
        if names:
            notes.append(f"行为发生于{day}：{'、'.join(names)}{label}，语料中也没有当时施行的版本，请查阅当时的规定。")
    for rid in dict.fromkeys(h.get("regulation") for h in hits):
        t = then.get(rid)
        if not rid or t == rid or t is None:
            continue
        new, old = versions.by_id[rid], versions.by_id[t]
        notes.append(f"行为发生于{day}，当时施行的是{old['citation']}，现行的是{new['citation']}"
                     f"（{_start(new) or '施行日期待核'}起施行）。各条下注明了当时版本的条号（语料收录了对应关系的）；"
                     "定性一般适用行为时的规定，新规定处理较轻的适用新规定（从旧兼从轻），请对照正式文本。")
    return notes


def _links(searcher, ids, kind):
    out = []
    for i in ids[:LINKS_SHOWN]:
        e = searcher.cached_entry(i)
        if e is not None:
            item = {"id": i, "title": e.get("title") or i}
            if kind == "checklist_item":
                item["focus"] = e.get("focus")
            out.append(item)
    return out


def check_request(query, date=None, status=None, focus=None):
    """Validate what a user typed before any work is done: (text, date or None). Raises InputError."""
    text = str(query or "")
    if not text.strip():
        raise InputError("问题描述为空：请写出发现的问题，如「村支书用集体资金报销私人加油费」")
    if status and status not in STATUSES:
        raise InputError(f"效力状态「{status}」无效：可选 {'、'.join(STATUSES)}")
    if focus and focus not in FOCUS_NAMES:
        raise InputError(f"聚焦「{focus}」无效：可选 {'、'.join(FOCUS_NAMES)}")
    return text, (parse_date(date) if date else None)


def cite(searcher, query, date=None, limit=10, regulation=None, status=None, focus=None):
    """The 定性依据 for a problem description, best first (a :class:`Hits` list of hit dicts)."""
    text, day = check_request(query, date, status, focus)
    if regulation and regulation not in searcher.regs.by_id:
        raise InputError(f"没有编号为「{regulation}」的法规：可用 xuncha search --kind regulation 查看法规编号")
    notes = []
    if len(text) > MAX_CITE_CHARS:
        notes.append(f"问题描述过长（{len(text)} 字），只按前 {MAX_CITE_CHARS} 字查找")
        text = text[:MAX_CITE_CHARS]
    try:
        limit = max(1, int(limit))
    except (TypeError, ValueError):
        raise InputError(f"条数「{limit}」应为正整数") from None
    focus_docs = searcher.docs_with("focus", focus) if focus else None

    def filt(e):
        return (e["kind"] in CITE_KINDS and (not regulation or e.get("regulation") == regulation)
                and (not status or e.get("status") == status) and (not focus or focus in (e.get("focuses") or [])))

    versions = then = None
    factor = {d: f for st, f in CITE_STATUS_FACTOR.items() if f != 1.0 for d in searcher.docs_with("status", st)}
    if day:
        versions = Versions(searcher.regs, day)
        factor, then = _date_plan(searcher, versions)
    ref_hits, ref_notes, rest = searcher.references(text, filt)
    notes += ref_notes
    hits, seen = [], set()
    for h in ref_hits:
        h["why"] = {"reference": h.get("why"), "terms": [], "synonyms": [], "linked": [], "direct": 0.0, "lent": 0.0}
        hits.append(h)
        seen.add(h["id"])
    concepts = []
    if rest.strip():
        ranking = searcher.rank(rest, CITE_KINDS, regulation, status, factor, allowed=focus_docs,
                                top=limit + len(hits) + 5)
        concepts = ranking.concepts
        for score, d in ranking.order:
            if len(hits) >= limit:
                break
            e = searcher.entry_at(d)
            if e["id"] in seen or not filt(e):
                continue
            terms, via = searcher.explain(d, concepts)
            loans = sorted(ranking.lent.get(d, ()), key=lambda x: -x[1])
            linked = []
            for ld, share in loans[:LINKS_SHOWN]:
                le = searcher.entry_at(ld)
                linked.append({"id": le["id"], "kind": le["kind"], "title": le.get("title") or le["id"],
                               "share": round(share, 3)})
            h = hit_from_entry(e, score, terms)
            h["why"] = {"reference": None, "terms": terms, "synonyms": via, "linked": linked,
                        "direct": round(ranking.direct.get(d, 0.0), 3), "lent": round(sum(s for _, s in loans), 3)}
            hits.append(h)
    hits = hits[:limit]
    for h in hits:
        e = searcher.cached_entry(h["id"])
        cb = e.get("cited_by") or {}
        h["focuses"] = list(e.get("focuses") or [])
        h["checklist_items"] = _links(searcher, cb.get("checklist_items") or [], "checklist_item")
        h["findings"] = _links(searcher, cb.get("findings") or [], "finding")
        if day:
            h["then"] = _then_info(e, versions, then)
    if day:
        notes = _date_notes(versions, then, hits) + notes
    suggestions = []
    if not hits:
        suggestions = searcher.suggest(text)
        if not concepts and not ref_hits:
            notes.append("描述中没有可检索的词；请写出具体行为，如「公款吃喝」「超标准配车」或条号")
    return Hits(hits, notes, suggestions)
