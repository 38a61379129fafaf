"""``KnowledgeBase``: the public entry point for the CLI, notebooks and the site hook."""
import sys
from pathlib import Path

from .errors import IndexError_, InputError, UnknownIdError
from .index import OpenIndex, build, current_generation, fingerprint, read_meta
from .paths import find_root, index_dir as default_index_dir
from .refs import parse_id, parse_ref


MAX_QUERY_CHARS = 2000   # longer queries are cut (a pasted page of text still fits)
MAX_REF_CHARS = 200      # no ID or article reference is longer
OPEN_ATTEMPTS = 5


def _text(s):
    """Query text as it may arrive (lone surrogates from undecodable command-line bytes) -> encodable text."""
    s = s or ""
    return s if s.isascii() else s.encode("utf-8", "replace").decode("utf-8")


def _stderr(msg):
    print(msg, file=sys.stderr, flush=True)


class KnowledgeBase:
    """Open the knowledge base under ``root`` (found automatically when omitted).

    The index is checked against the corpus when opened and rebuilt if the corpus changed or the index
    is missing or damaged. ``progress(done, total)`` is called during a rebuild; ``notify(message)``
    receives the Chinese status lines (defaults to standard error)."""

    def __init__(self, root=None, index_dir=None, progress=None, notify=_stderr):
        self.root = Path(root).resolve() if root else find_root()
        self.index_dir = Path(index_dir) if index_dir else default_index_dir(self.root)
        self.progress = progress
        self.notify = notify or (lambda m: None)
        self._corpus = None
        self._opened = None
        self._searcher = None
        self.rebuilt = False

    @classmethod
    def open(cls, root=None, **kw):
        kb = cls(root, **kw)
        kb._ensure()
        return kb

    # -- corpus and index ------------------------------------------------------------------------
    @property
    def corpus(self):
        """The validated corpus (loads the YAML; raises CorpusError with every problem)."""
        if self._corpus is None:
            from .corpus import load_corpus
            self._corpus = load_corpus(self.root)
        return self._corpus

    def check(self):
        """Validate everything; returns the list of problems (errors and warnings)."""
        from .corpus import check_corpus
        corpus, problems = check_corpus(self.root)
        if corpus is not None:
            self._corpus = corpus
        return problems

    def rebuild(self, force=True):
        """(Re)build the index now. Returns the index metadata (counts, build time)."""
        return self._build(fingerprint(self.root), force)

    def _build(self, fp, force, broken=None):
        # fp is taken before the corpus is read: an edit made meanwhile leaves the index stale, not wrong
        self.close()
        self._corpus = None
        meta = build(self.corpus, self.index_dir, progress=self.progress, force=force, fp=fp, broken=broken,
                     on_wait=lambda: self.notify("另一个进程正在重建索引，等待其完成…"))
        self.rebuilt = True
        return meta

    def _ensure(self):
        """Open the generation CURRENT names, building first when the index is missing, stale or damaged.
        Other processes may swap and prune generations at any moment: a generation that changes under us
        while we open it is retried from CURRENT, never reported and never rebuilt."""
        if self._searcher is not None:
            return
        fp = fingerprint(self.root)
        for _ in range(OPEN_ATTEMPTS):
            gen = current_generation(self.index_dir)
            meta = read_meta(gen) if gen else None
            if meta is None or meta.get("fingerprint") != fp:
                if gen is not None and current_generation(self.index_dir) != gen:
                    continue  # swapped while we looked
                if not (self.index_dir / "CURRENT").exists():
                    self.notify("尚未建立索引，正在建立…")
                elif meta is None:
                    self.notify("索引不完整或已损坏，正在重建索引…")
                else:
                    self.notify("语料已变更，正在重建索引…")
                self._build(fp, force=False)
                continue
            try:
                self._open(gen)
                return
            except IndexError_ as e:
                if current_generation(self.index_dir) != gen:
                    continue  # replaced, maybe pruned, while we opened it: open the new one
                self.notify(f"{e}，正在重建索引…")
                self._build(fp, force=True, broken=gen.name)
        raise IndexError_("索引在打开时反复被替换或损坏；请稍后重试，或运行 xuncha index --force")

    def _open(self, gen):
        from .search import Searcher
        opened = OpenIndex(gen)  # checks every file against the generation's manifest
        self._searcher = Searcher(opened, opened.synonyms)
        self._opened = opened

    @property
    def meta(self):
        self._ensure()
        return self._opened.meta

    def close(self):
        if self._opened is not None:
            self._opened.close()
        self._opened = self._searcher = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- queries ---------------------------------------------------------------------------------
    def search(self, query, kind=None, regulation=None, status=None, limit=10):
        """Search everything. Returns a list of hit dicts (best first) with ``.notes`` and ``.suggestions``.

        ``kind``: regulation | article | checklist | finding | method | material (or a list);
        ``regulation``: a regulation id; ``status``: e.g. 现行有效."""
        self._ensure()
        from .search import expand_kinds
        try:
            expand_kinds(kind)
        except ValueError as e:
            from .vocab import KIND_GROUPS
            raise InputError(f"没有「{e}」这种记录类型；可用：{'、'.join(sorted(KIND_GROUPS))}") from None
        query = _text(query)
        if len(query) <= MAX_QUERY_CHARS:
            return self._searcher.search(query, kind=kind, regulation=regulation, status=status, limit=limit)
        hits = self._searcher.search(query[:MAX_QUERY_CHARS], kind=kind, regulation=regulation, status=status, limit=limit)
        hits.notes.insert(0, f"检索内容过长（{len(query)} 字），只按前 {MAX_QUERY_CHARS} 字检索")
        return hits

    def cite(self, problem, date=None, regulation=None, status=None, focus=None, limit=10):
        """定性依据 for a problem description: articles, provisions and sections only, best first.

        Each hit has the search fields plus ``why`` (matched terms, synonyms, linked findings/items),
        ``focuses``, ``checklist_items`` and ``findings`` linking to it. ``date`` (YYYY-MM-DD, when the
        conduct happened) prefers the version then in force and adds ``then`` (old citation) to each hit.
        ``focus``: juece | fubai | zuzhi | zhenggai. Raises InputError for an empty problem or a bad date."""
        self._ensure()
        from .cite import cite
        return cite(self._searcher, problem, date=date, limit=limit, regulation=regulation, status=status, focus=focus)

    def resolve(self, ref):
        """An ID, or an article reference such as 纪律处分条例第113条, -> the record ID."""
        self._ensure()
        ref = _text(ref).strip()
        if len(ref) > MAX_REF_CHARS:
            return None
        if self._searcher.entry(ref) is not None:
            return ref
        rid = parse_id(ref)
        if rid and self._searcher.entry(rid) is not None:
            return rid
        parsed = parse_ref(ref, self._searcher.regs)
        if parsed and parsed["named"] and not parsed["rest"]:
            aid = f"{parsed['regulations'][0]['id']}#{parsed['number']}"
            if self._searcher.entry(aid) is not None:
                return aid
        return None

    def get(self, ref):
        """One record as a dict (an article has ``citation``, ``digest``, ``text``…). Raises UnknownIdError."""
        rid = self.resolve(ref)
        if rid is None:
            import difflib
            ref = _text(ref).strip()
            if len(ref) > MAX_REF_CHARS:
                raise UnknownIdError(ref[:40] + "…")
            ids = self._searcher.all_ids()
            raise UnknownIdError(ref, difflib.get_close_matches(ref, ids, n=3, cutoff=0.6))
        e = self._searcher.entry(rid)
        if e["kind"] in ("article", "provision", "section"):
            e.setdefault("text", None)
        return e

    def ids(self, kind=None):
        self._ensure()
        ids = self._searcher.all_ids()
        if kind:
            ids = [i for i in ids if self._searcher.entry(i)["kind"] == kind]
        return ids
