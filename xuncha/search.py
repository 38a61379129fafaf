"""Ranking: article references first, then BM25F over the weighted query terms, re-ranked for status."""
import json
import re

from .analysis import QueryAnalyzer, is_cjk, normalize
from .fields import display_text
from .refs import Regs, parse_id, parse_ref
from .vocab import KIND_GROUPS

FIELD_BOOSTS = {"title": 3.0, "keywords": 2.5, "body": 1.0, "context": 0.6, "text": 0.8}
STATUS_FACTOR = {"现行有效": 1.0, "已被修订": 0.7, "已废止": 0.5, "失效": 0.5}
REF_SCORE = 1000.0
LINK_SHARE = 0.6
SNIPPET_CHARS = 90


class Hits(list):
    """A list of hit dicts, with ``notes`` (things the user should know) and ``suggestions``."""

    def __init__(self, hits=(), notes=(), suggestions=()):
        super().__init__(hits)
        self.notes = list(notes)
        self.suggestions = list(suggestions)


def expand_kinds(kind):
    if not kind:
        return None
    kinds = set()
    for k in ([kind] if isinstance(kind, str) else kind):
        if k not in KIND_GROUPS and k != "checklist_item" and k != "provision" and k != "section":
            raise ValueError(k)
        kinds.update(KIND_GROUPS.get(k, (k,)))
    return kinds


def snippet(text, terms, width=SNIPPET_CHARS):
    """The window of ``text`` holding the most distinct query terms, terms wrapped in 【】."""
    if not text:
        return ""
    low = text.lower()
    occ = []
    for t in sorted(terms, key=len, reverse=True):
        for m in re.finditer(re.escape(t), low):
            s, e = m.start(), m.end()
            if not any(s < e2 and s2 < e for s2, e2, _ in occ):
                occ.append((s, e, t))
    occ.sort()
    start = 0
    if occ:
        best = (-1, 0)
        for i, (s, _, _) in enumerate(occ):
            distinct = {t for s2, e2, t in occ[i:] if e2 <= s + width}
            if len(distinct) > best[0]:
                best = (len(distinct), s)
        start = max(0, best[1] - 12)
    end = min(len(text), start + width)
    out, pos = [], start
    for s, e, _ in occ:
        if s < start or e > end:
            continue
        out.append(text[pos:s])
        out.append(f"【{text[s:e]}】")
        pos = e
    out.append(text[pos:end])
    snip = "".join(out).replace("\n", " ")
    return ("…" if start > 0 else "") + snip + ("…" if end < len(text) else "")


def hit_from_entry(e, score, terms, why=None):
    h = {"id": e["id"], "kind": e["kind"], "title": e.get("title") or e["id"], "score": round(float(score), 3),
         "snippet": snippet(display_text(e), terms)}
    for k in ("citation", "regulation", "article", "status", "status_assumed", "version_label", "number_verified",
              "chapter", "focus", "focus_name", "focuses", "unit_type", "checklist", "basis", "cited_by",
              "discipline", "category", "section", "previous", "used_by"):
        if k in e and e[k] is not None:
            h[k] = e[k]
    h["matched"] = sorted(t for t in terms if t.lower() in (display_text(e) + e.get("title", "")).lower())
    if why:
        h["why"] = why
    return h


class Searcher:
    """Query logic over one open index generation."""

    def __init__(self, opened, synonyms):
        self.o = opened
        self.analyzer = QueryAnalyzer(opened.vocab, synonyms)
        regs = []
        for fields in opened.searcher.documents(kind="regulation"):
            e = json.loads(fields["data"])
            regs.append({"id": e["id"], "title": e["title"], "short_title": e["short_title"], "aliases": e["aliases"],
                         "status": e["status"], "version_label": e["version_label"], "date": fields.get("date", ""),
                         "articles": e["articles"], "superseded_by": e["superseded_by"]})
        self.regs = Regs(regs)
        self._wild = None

    # -- records ---------------------------------------------------------------------------------
    def entry(self, rid):
        f = self.o.searcher.document(id=rid)
        return json.loads(f["data"]) if f else None

    def all_ids(self):
        return [t.decode("utf-8") if isinstance(t, bytes) else t for t in self.o.searcher.lexicon("id")]

    # -- article references ----------------------------------------------------------------------
    def _ref_hits(self, ref, filt):
        hits, notes = [], []
        regs = ref["regulations"] if ref["named"] else Regs.order_versions(
            [r for r in self.regs.regs if f"{r['id']}#{ref['number']}" in r["articles"]])
        if ref["named"]:
            # a named version without this article (e.g. a stub): follow `previous` links from its successor
            first = regs[0]
            aid = f"{first['id']}#{ref['number']}"
            if aid not in first["articles"] and first.get("superseded_by"):
                new = self.regs.by_id.get(first["superseded_by"])
                for a in (new or {}).get("articles", []):
                    e = self.entry(a)
                    p = e.get("previous") if e else None
                    if p and p["regulation"] == first["id"] and p["number"] == ref["number"]:
                        notes.append(f"{first['title']}（{first['version_label']}）第{ref['number']}条在现行版本中对应"
                                     f"{e['citation']}" + ("" if p["verified"] else "（旧条号待核）"))
                        hits.append(hit_from_entry(e, REF_SCORE, [], why="旧版条号对应"))
                        break
                else:
                    notes.append(f"语料中没有{first['title']}（{first['version_label']}）第{ref['number']}条的对应记录")
                return hits, notes
            regs = [first] + [r for r in regs[1:] if f"{r['id']}#{ref['number']}" in r["articles"]]
        for i, r in enumerate(regs):
            aid = f"{r['id']}#{ref['number']}"
            if aid not in r["articles"]:
                if i == 0 and ref["named"]:
                    e = self.entry(r["id"])
                    total = e.get("article_count")
                    if total and ref["number"] > total:
                        notes.append(f"{e['citation']}共{total}条，没有第{ref['number']}条")
                    else:
                        notes.append(f"{e['citation']}第{ref['number']}条尚未收录（事实包未核实该条主题）；请查阅正式文本")
                continue
            e = self.entry(aid)
            if e is None or not filt(e):
                continue
            hits.append(hit_from_entry(e, REF_SCORE - i, [], why="条号匹配"))
        return hits, notes

    # -- full text -------------------------------------------------------------------------------
    def _text_hits(self, text, kinds, regulation, status, limit, exclude=()):
        from whoosh import query as Q
        weights = self.analyzer.terms(text)
        if not weights:
            return [], weights
        subs = [Q.Term(f, t, boost=w * fb) for t, w in weights.items() for f, fb in FIELD_BOOSTS.items()]
        q = Q.Or(subs)
        res = list(self.o.searcher.search(q, limit=max(limit * 4, 60)))
        if kinds or regulation or status:
            filters = []
            if kinds:
                filters.append(Q.Or([Q.Term("kind", k) for k in sorted(kinds)]))
            if regulation:
                filters.append(Q.Term("regulation", regulation))
            if status:
                filters.append(Q.Term("status", status))
            res += list(self.o.searcher.search(q, filter=Q.And(filters), limit=max(limit * 3, 30)))
        scored, entries = {}, {}
        for r in res:
            e = json.loads(r["data"])
            entries[e["id"]] = e
            scored[e["id"]] = r.score
        # Findings and checklist items are written in the inspectors' own words: a strong match on one
        # lends part of its score to the articles it cites (its 定性依据).
        lent = {}
        for rid_, sc in scored.items():
            e = entries[rid_]
            basis = e.get("basis") or []
            for b in basis:
                lent[b] = lent.get(b, 0.0) + LINK_SHARE * sc / len(basis)
        for b, extra in lent.items():
            if b not in entries:
                e = self.entry(b)
                if e is None:
                    continue
                entries[b] = e
                scored[b] = 0.0
            scored[b] += extra
        out = []
        for rid_, sc in scored.items():
            e = entries[rid_]
            if rid_ in exclude or (kinds and e["kind"] not in kinds) or (regulation and e.get("regulation") != regulation) \
                    or (status and e.get("status") != status):
                continue
            out.append((sc * STATUS_FACTOR.get(e.get("status", ""), 1.0), e))
        out.sort(key=lambda x: -x[0])
        return [hit_from_entry(e, s, weights) for s, e in out[:limit]], weights

    def search(self, query, kind=None, regulation=None, status=None, limit=10):
        kinds = expand_kinds(kind)
        limit = max(1, int(limit))

        def filt(e):
            return ((not kinds or e["kind"] in kinds) and (not regulation or e.get("regulation") == regulation)
                    and (not status or e.get("status") == status))
        notes, hits = [], []
        rid = parse_id(query)
        if rid:
            e = self.entry(rid)
            if e and filt(e):
                hits.append(hit_from_entry(e, REF_SCORE, [], why="编号匹配"))
            query = ""
        ref = parse_ref(query, self.regs) if query else None
        rest = query
        if ref:
            rh, rn = self._ref_hits(ref, filt)
            hits += rh
            notes += rn
            rest = ref["rest"]
        text_hits, weights = self._text_hits(rest, kinds, regulation, status, limit, exclude={h["id"] for h in hits}) \
            if rest.strip() else ([], {})
        hits = (hits + text_hits)[:limit]
        suggestions = []
        if not hits and query.strip():
            suggestions = self.suggest(query)
            if not weights:
                notes.append("查询中没有可检索的词；请换用更具体的说法，如「公款吃喝」「第113条」")
        return Hits(hits, notes, suggestions)

    # -- did you mean ----------------------------------------------------------------------------
    def suggest(self, query, n=3):
        """Queries one character away from the given one (就近的词替换), most frequent first."""
        q = normalize(query)
        if self._wild is None:
            wild = {}
            for t in self.o.vocab:
                if 2 <= len(t) <= 4 and all(is_cjk(c) for c in t):
                    for i in range(len(t)):
                        wild.setdefault(t[:i] + "?" + t[i + 1:], []).append(t)
            self._wild = wild
        cands = {}
        runs = re.findall(r"[\u4e00-\u9fff]{2,}", q)
        for run in runs:
            for L in (4, 3, 2):
                for i in range(len(run) - L + 1):
                    sub = run[i:i + L]
                    if sub in self.o.vocab:
                        continue
                    for j in range(L):
                        for t in self._wild.get(sub[:j] + "?" + sub[j + 1:], []):
                            fixed = q.replace(sub, t, 1)
                            df = sum(self.o.searcher.doc_frequency(f, t) for f in ("title", "keywords", "body"))
                            if df:
                                cands[fixed] = max(cands.get(fixed, 0), df * L)
        return [c for c, _ in sorted(cands.items(), key=lambda x: -x[1])[:n]]
