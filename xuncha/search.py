"""Ranking: article references first, then BM25 over the query's concepts, re-ranked for status.

Scoring is done here rather than by Whoosh's query objects: each concept (a word of the query with the
index terms inside it, its synonyms and spelling fixes) counts once: its best term in full, the others at
half weight, so a word with many synonyms cannot outweigh a precise one. Findings and checklist
items, written in the inspectors' own words, lend part of their score to the articles they cite."""
import heapq
import json
import math
import re
from collections import OrderedDict

from .analysis import QueryAnalyzer, normalize
from .fields import display_text
from .refs import Regs, may_be_ref, parse_id, parse_ref
from .vocab import KIND_GROUPS, STATUSES

FIELD_BOOSTS = {"title": 3.0, "keywords": 2.5, "body": 1.0, "context": 0.6, "text": 0.8}
STATUS_FACTOR = {"现行有效": 1.0, "已被修订": 0.7, "已废止": 0.5, "失效": 0.5}
REF_SCORE = 1000.0
LINK_SHARE = 0.6        # share of a finding's / checklist item's score lent to each article it cites
LEND_POOL = 40          # how many of the best findings and items lend
TIEBREAK = 0.5          # weight of a concept's other terms besides its best one
BM25_K1, BM25_B = 1.2, 0.75
TERM_CACHE = 4096       # index terms whose scores are kept (a generation never changes)
ENTRY_CACHE = 2048      # parsed records kept
SNIPPET_CHARS = 90
LENDER_KINDS = ("finding", "checklist_item")


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
    taken = [False] * len(low)
    occ = []
    for t in sorted({t.lower() for t in terms if t}, key=len, reverse=True):  # longer terms claim text first
        i = low.find(t)
        while i >= 0:
            e = i + len(t)
            if not any(taken[i:e]):
                occ.append((i, e, t))
                taken[i:e] = [True] * len(t)
            i = low.find(t, e if taken[i] else i + 1)
    occ.sort()
    start = 0
    if occ:
        best, j, counts = (-1, 0), 0, {}
        for i, (s, _, _) in enumerate(occ):  # window [s, s + width): two pointers over the occurrences
            while j < len(occ) and occ[j][1] <= s + width:
                counts[occ[j][2]] = counts.get(occ[j][2], 0) + 1
                j += 1
            if len(counts) > best[0]:
                best = (len(counts), s)
            t = occ[i][2]
            if i < j:
                counts[t] -= 1
                if not counts[t]:
                    del counts[t]
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


def _copy(v):
    """A copy of plain JSON data (dicts, lists, scalars), cheaper than copy.deepcopy."""
    if isinstance(v, dict):
        return {k: _copy(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_copy(x) for x in v]
    return v


def hit_from_entry(e, score, terms, why=None):
    h = {"id": e["id"], "kind": e["kind"], "title": e.get("title") or e["id"], "score": round(float(score), 3),
         "snippet": snippet(display_text(e), terms)}
    for k in ("citation", "regulation", "article", "status", "status_assumed", "version_label", "number_verified",
              "chapter", "focus", "focus_name", "focuses", "unit_type", "checklist", "basis", "cited_by",
              "discipline", "category", "section", "previous", "used_by"):
        if k in e and e[k] is not None:
            v = e[k]
            h[k] = _copy(v) if isinstance(v, (dict, list)) else v  # entries are cached and shared
    h["matched"] = sorted(t for t in terms if t.lower() in (display_text(e) + e.get("title", "")).lower())
    if why:
        h["why"] = why
    return h


class Ranking:
    """The scored documents of one query: ``order`` [(score, docnum)] best first, the concepts, the
    direct (own text) score and the loans from findings/items of each document."""

    def __init__(self, concepts, order, direct, lent):
        self.concepts, self.order, self.direct, self.lent = concepts, order, direct, lent


class Searcher:
    """Query logic over one open index generation."""

    def __init__(self, opened, synonyms):
        self.o = opened
        self.reader = opened.searcher.reader()
        self.analyzer = QueryAnalyzer(opened.vocab, synonyms)
        self.n_docs = max(1, self.reader.doc_count_all())
        self._avg = {f: max(1.0, self.reader.field_length(f) / self.n_docs) for f in FIELD_BOOSTS}
        # fields with any text at all (``text`` stays empty until official texts are imported)
        self._fields = [(f, b) for f, b in FIELD_BOOSTS.items() if self.reader.field_length(f)]
        self._flen = {f: {} for f in FIELD_BOOSTS}
        self._terms = OrderedDict()
        self._sets = {}
        self._entries = OrderedDict()
        self._docnums = {}
        self._regs = None
        self._status_factor = None

    @property
    def regs(self):
        """The regulations of this index (loaded on first use: most queries name none)."""
        if self._regs is None:
            regs = []
            for fields in self.o.searcher.documents(kind="regulation"):
                e = json.loads(fields["data"])
                regs.append({"id": e["id"], "title": e["title"], "short_title": e["short_title"],
                             "aliases": e["aliases"], "status": e["status"], "version_label": e["version_label"],
                             "date": fields.get("date", ""), "articles": e["articles"],
                             "superseded_by": e["superseded_by"], "supersedes": e["supersedes"],
                             "dates": e["dates"], "citation": e["citation"]})
            self._regs = Regs(regs)
        return self._regs

    # -- records ---------------------------------------------------------------------------------
    def docnum(self, rid):
        if rid not in self._docnums:
            self._docnums[rid] = self.o.searcher.document_number(id=rid)
        return self._docnums[rid]

    def entry_at(self, docnum):
        e = self._entries.get(docnum)
        if e is None:
            e = self._entries[docnum] = json.loads(self.reader.stored_fields(docnum)["data"])
            if len(self._entries) > ENTRY_CACHE:
                self._entries.popitem(last=False)
        return e

    def cached_entry(self, rid):
        """A record by id, shared with the cache: read it, never change it."""
        d = self.docnum(rid)
        return None if d is None else self.entry_at(d)

    def entry(self, rid):
        """A record by id, as a fresh dict the caller may change."""
        d = self.docnum(rid)
        return None if d is None else json.loads(self.reader.stored_fields(d)["data"])

    def all_ids(self):
        return [t.decode("utf-8") if isinstance(t, bytes) else t for t in self.o.searcher.lexicon("id")]

    def docs_with(self, field, value):
        """The document numbers whose ``field`` (an ID field such as kind, regulation, status) is ``value``."""
        key = (field, value)
        if key not in self._sets:
            try:
                self._sets[key] = frozenset(self.reader.postings(field, value).all_ids())
            except Exception:  # term not in the index
                self._sets[key] = frozenset()
        return self._sets[key]

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
                    e = self.cached_entry(a)
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
                    e = self.cached_entry(r["id"])
                    total = e.get("article_count")
                    if total and ref["number"] > total:
                        notes.append(f"{e['citation']}共{total}条，没有第{ref['number']}条")
                    else:
                        notes.append(f"{e['citation']}第{ref['number']}条尚未收录（事实包未核实该条主题）；请查阅正式文本")
                continue
            e = self.cached_entry(aid)
            if e is None or not filt(e):
                continue
            hits.append(hit_from_entry(e, REF_SCORE - i, [], why="条号匹配"))
        return hits, notes

    def references(self, query, filt):
        """Hits for an ID or article reference in ``query``: (hits, notes, remaining text)."""
        hits, notes = [], []
        rid = parse_id(query)
        if rid:
            e = self.cached_entry(rid)
            if e and filt(e):
                hits.append(hit_from_entry(e, REF_SCORE, [], why="编号匹配"))
            return hits, notes, ""
        ref = parse_ref(query, self.regs) if query and may_be_ref(query) else None
        if not ref:
            return hits, notes, query
        rh, rn = self._ref_hits(ref, filt)
        return hits + rh, notes + rn, ref["rest"]

    # -- full text -------------------------------------------------------------------------------
    def term_scores(self, term):
        """{docnum: sum over fields of boost x BM25} for one index term (cached: a generation never changes)."""
        cached = self._terms.get(term)
        if cached is not None:
            self._terms.move_to_end(term)
            return cached
        r, out = self.reader, {}
        get = out.get
        for f, boost in self._fields:
            try:
                m = r.postings(f, term)
            except Exception:  # not in this field
                continue
            ids, tfs = [], []
            while m.is_active():
                ids.append(m.id())
                tfs.append(m.weight())
                m.next()
            if not ids:
                continue
            df = len(ids)
            idf = boost * math.log(1 + (self.n_docs - df + 0.5) / (df + 0.5))
            avg, lengths = self._avg[f], self._flen[f]
            k1b, k1a = BM25_K1 * BM25_B / avg, BM25_K1 * (1 - BM25_B)
            for d, tf in zip(ids, tfs):
                fl = lengths.get(d)
                if fl is None:
                    fl = lengths[d] = r.doc_field_length(d, f) or 1
                out[d] = get(d, 0.0) + idf * tf * (BM25_K1 + 1) / (tf + k1a + k1b * fl)
        self._terms[term] = out
        if len(self._terms) > TERM_CACHE:
            self._terms.popitem(last=False)
        return out

    def score_concepts(self, concepts):
        """{docnum: score}: per concept the best term's score plus TIEBREAK x the others, summed
        (= TIEBREAK x the sum of its terms + (1 - TIEBREAK) x the best one)."""
        total = {}
        get = total.get
        for c in concepts:
            members = c["members"]
            if len(members) == 1:
                for t, (w, _) in members.items():
                    for d, s in self.term_scores(t).items():
                        total[d] = get(d, 0.0) + w * s
                continue
            best = {}
            bget = best.get
            for t, (w, _) in members.items():
                wt = TIEBREAK * w
                for d, s in self.term_scores(t).items():
                    total[d] = get(d, 0.0) + wt * s
                    v = w * s
                    if v > bget(d, 0.0):
                        best[d] = v
            for d, v in best.items():
                total[d] += (1 - TIEBREAK) * v
        return total

    def explain(self, docnum, concepts):
        """What matched in one document: (terms, synonym/spelling labels such as 公车→公务用车), each concept's
        terms in order of contribution."""
        terms, via = [], []
        for c in concepts:
            matched = []
            for t, (w, origin) in c["members"].items():
                s = self.term_scores(t).get(docnum)
                if s:
                    matched.append((w * s, t, origin))
            for _, t, origin in sorted(matched, reverse=True):
                if t not in terms:
                    terms.append(t)
                if origin and origin not in via:
                    via.append(origin)
        return terms, via

    def status_factor(self):
        """{docnum: factor} for documents whose status is not 现行有效."""
        if self._status_factor is None:
            out = {}
            for st in STATUSES:
                f = STATUS_FACTOR.get(st, 1.0)
                if f != 1.0:
                    for d in self.docs_with("status", st):
                        out[d] = f
            self._status_factor = out
        return self._status_factor

    def _kind_docs(self, kinds):
        key = ("kinds",) + tuple(sorted(kinds))
        if key not in self._sets:
            docs = set()
            for k in kinds:
                docs |= self.docs_with("kind", k)
            self._sets[key] = frozenset(docs)
        return self._sets[key]

    def rank(self, text, kinds=None, regulation=None, status=None, factor=None, allowed=None, top=None):
        """Rank the documents for ``text``. ``factor``: {docnum: multiplier} (default: by status);
        ``allowed``: a set of docnums to keep; ``top``: only the best ``top`` are ordered."""
        concepts = self.analyzer.concepts(text)
        direct = self.score_concepts(concepts) if concepts else {}
        lenders = self._kind_docs(LENDER_KINDS)
        pool = heapq.nlargest(LEND_POOL, (d for d in direct if d in lenders), key=direct.__getitem__)
        lent = {}
        for d in pool:
            basis = self.entry_at(d).get("basis") or []
            for b in basis:
                bd = self.docnum(b)
                if bd is not None:
                    lent.setdefault(bd, []).append((d, LINK_SHARE * direct[d] / len(basis)))
        keep = [self._kind_docs(kinds)] if kinds else []
        keep += [self.docs_with(f, v) for f, v in (("regulation", regulation), ("status", status)) if v]
        if allowed is not None:
            keep.append(allowed)
        factor = self.status_factor() if factor is None else factor
        fget = factor.get
        scores = dict(direct)
        for d, loans in lent.items():
            scores[d] = scores.get(d, 0.0) + sum(v for _, v in loans)
        pairs = [(sc * fget(d, 1.0), d) for d, sc in scores.items() if all(d in k for k in keep)]
        if top is not None and top < len(pairs):
            order = heapq.nsmallest(top, pairs, key=lambda x: (-x[0], x[1]))
        else:
            order = sorted(pairs, key=lambda x: (-x[0], x[1]))
        return Ranking(concepts, order, direct, lent)

    def search(self, query, kind=None, regulation=None, status=None, limit=10):
        kinds = expand_kinds(kind)
        limit = max(1, int(limit))

        def filt(e):
            return ((not kinds or e["kind"] in kinds) and (not regulation or e.get("regulation") == regulation)
                    and (not status or e.get("status") == status))
        hits, notes, rest = self.references(query, filt)
        concepts = []
        if rest.strip():
            seen = {h["id"] for h in hits}
            ranking = self.rank(rest, kinds, regulation, status, top=limit + len(hits) + 5)
            concepts = ranking.concepts
            for score, d in ranking.order:
                if len(hits) >= limit:
                    break
                e = self.entry_at(d)
                if e["id"] in seen or not filt(e):
                    continue
                terms, _ = self.explain(d, concepts)
                hits.append(hit_from_entry(e, score, terms))
        hits = hits[:limit]
        suggestions = []
        if not hits and query.strip():
            suggestions = self.suggest(query)
            if not concepts:
                notes.append("查询中没有可检索的词；请换用更具体的说法，如「公款吃喝」「第113条」")
        return Hits(hits, notes, suggestions)

    # -- did you mean ----------------------------------------------------------------------------
    def suggest(self, query, n=3):
        """Queries one character away from the given one (就近的词替换), most frequent first."""
        q = normalize(query)
        vocab = self.o.vocab
        cands, seen = {}, set()
        for run in re.findall(r"[\u4e00-\u9fff]{2,}", q)[:20]:
            for L in (4, 3, 2):
                for i in range(len(run) - L + 1):
                    sub = run[i:i + L]
                    if sub in vocab or sub in seen or len(seen) > 300:
                        continue
                    seen.add(sub)
                    for t in self.analyzer.near_terms(sub):
                        fixed = q.replace(sub, t, 1)
                        df = sum(self.reader.doc_frequency(f, t) for f in ("title", "keywords", "body"))
                        if df:
                            cands[fixed] = max(cands.get(fixed, 0), df * L)
        return [c for c, _ in sorted(cands.items(), key=lambda x: -x[1])[:n]]
