"""The Whoosh index: built atomically into a new generation folder, switched by one rename.

Layout of ``index/``::

    CURRENT        name of the generation readers should open (replaced atomically)
    gen-…/         Whoosh files + meta.json (corpus fingerprint) + vocab/t2s tables
    .lock          held while a build runs (a second builder waits, then finds the index fresh)

Killing a build at any moment leaves CURRENT pointing at the previous, complete generation."""
import hashlib
import json
import os
import shutil
import time
import uuid
from pathlib import Path

from .analysis import (ANALYZER_VERSION, DOMAIN_TERMS, SYNONYMS, ChineseAnalyzer, add_words, build_t2s_table,
                       load_marshal, load_synonyms, save_marshal, set_t2s)
from .errors import IndexBusyError, IndexError_
from .paths import corpus_files

TEXT_FIELDS = ("title", "keywords", "body", "context", "text")
LOCK_WAIT_SECONDS = 300
KEEP_GENERATIONS = 2


def fingerprint(root):
    """Hash of everything the index is built from: corpus files, local overlay, analyzer data."""
    h = hashlib.sha256(ANALYZER_VERSION.encode())
    root = Path(root)
    for p in corpus_files(root):
        h.update(p.relative_to(root).as_posix().encode())
        h.update(p.read_bytes())
    for p in (DOMAIN_TERMS, SYNONYMS, Path(__file__).parent / "fields.py"):
        h.update(p.read_bytes())
    return h.hexdigest()


def make_schema():
    from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
    an = ChineseAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True), kind=ID(stored=True), regulation=ID(stored=True),
        status=ID(stored=True), focus=KEYWORD(stored=True, commas=True), unit_type=ID(stored=True),
        number=NUMERIC(stored=True), date=ID(stored=True),
        title=TEXT(analyzer=an), keywords=TEXT(analyzer=an), body=TEXT(analyzer=an),
        context=TEXT(analyzer=an), text=TEXT(analyzer=an),
        data=STORED(),
    )


class _Lock:
    def __init__(self, path, wait=LOCK_WAIT_SECONDS, on_wait=None):
        self.path, self.wait, self.on_wait, self.fh = path, wait, on_wait, None

    def __enter__(self):
        import fcntl
        self.fh = open(self.path, "a+")
        deadline = time.monotonic() + self.wait
        told = False
        while True:
            try:
                fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if not told and self.on_wait:
                    self.on_wait()
                    told = True
                if time.monotonic() > deadline:
                    self.fh.close()
                    raise IndexBusyError(f"另一个进程正在重建索引，等待 {self.wait} 秒仍未完成；请稍后再试")
                time.sleep(0.1)

    def __exit__(self, *exc):
        import fcntl
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()


def current_generation(index_dir):
    try:
        name = (Path(index_dir) / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    gen = Path(index_dir) / name
    return gen if name and gen.is_dir() else None


def read_meta(gen):
    try:
        return json.loads((Path(gen) / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_fresh(index_dir, fp):
    gen = current_generation(index_dir)
    meta = read_meta(gen) if gen else None
    return bool(meta and meta.get("fingerprint") == fp)


def build(corpus, index_dir, progress=None, on_wait=None, force=False):
    """Build the index for ``corpus`` unless a fresh one exists (another process may just have built it).
    Returns the meta dict of the generation in use."""
    from .fields import entry_fields
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    fp = fingerprint(corpus.root)
    with _Lock(index_dir / ".lock", on_wait=on_wait):
        if not force and is_fresh(index_dir, fp):
            return read_meta(current_generation(index_dir))
        t0 = time.perf_counter()
        gen = index_dir / f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        tmp = index_dir / (".building-" + gen.name)
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        try:
            meta = _write(corpus, tmp, fp, progress)
            meta["build_seconds"] = round(time.perf_counter() - t0, 3)
            (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
            os.rename(tmp, gen)
            pointer = index_dir / ".CURRENT.tmp"
            pointer.write_text(gen.name, encoding="utf-8")
            with open(pointer, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(pointer, index_dir / "CURRENT")
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _prune(index_dir, gen.name)
        return meta


def _write(corpus, folder, fp, progress):
    from whoosh import index as windex
    from .fields import entry_fields
    keywords = set()
    for e in corpus.entries.values():
        keywords.update(e.get("keywords") or [])
        for k in ("short_title", "title"):
            if e.get("kind") == "regulation":
                keywords.add(e[k])
    add_words(keywords)
    t2s = build_t2s_table()
    set_t2s(t2s)
    ix = windex.create_in(str(folder), make_schema())
    writer = ix.writer(limitmb=256)
    entries = sorted(corpus.entries.values(), key=lambda e: e["id"])
    total = len(entries)
    for n, e in enumerate(entries, 1):
        writer.add_document(**entry_fields(e))
        if progress and (n % 25 == 0 or n == total):
            progress(n, total)
    writer.commit()
    with ix.reader() as reader:  # the query side matches against exactly the terms the index holds
        vocab = {t.decode("utf-8") if isinstance(t, bytes) else t for f in TEXT_FIELDS for t in reader.lexicon(f)}
    save_marshal(folder / "vocab.marshal", sorted(vocab))
    save_marshal(folder / "t2s.marshal", t2s)
    save_marshal(folder / "synonyms.marshal", load_synonyms())
    return {"fingerprint": fp, "analyzer": ANALYZER_VERSION, "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "documents": total, "counts": corpus.counts(), "vocabulary": len(vocab)}


def _prune(index_dir, keep_name):
    gens = sorted((p for p in index_dir.iterdir() if p.is_dir() and p.name.startswith("gen-")),
                  key=lambda p: p.stat().st_mtime, reverse=True)
    keep = {keep_name} | {p.name for p in gens[:KEEP_GENERATIONS]}
    for p in gens:
        if p.name not in keep:
            shutil.rmtree(p, ignore_errors=True)
    for p in index_dir.iterdir():
        if p.name.startswith(".building-"):
            try:
                if time.time() - p.stat().st_mtime > 3600:
                    shutil.rmtree(p, ignore_errors=True)
            except OSError:
                pass


class OpenIndex:
    """An opened generation: Whoosh searcher plus the vocabulary and tables queries need."""

    def __init__(self, gen):
        from whoosh import index as windex
        self.gen = Path(gen)
        self.meta = read_meta(self.gen)
        if not self.meta:
            raise IndexError_("索引元数据缺失")
        try:
            self.ix = windex.open_dir(str(self.gen))
            self.searcher = self.ix.searcher()
            self.vocab = frozenset(load_marshal(self.gen / "vocab.marshal"))
            self.synonyms = load_marshal(self.gen / "synonyms.marshal")
            set_t2s(load_marshal(self.gen / "t2s.marshal"))
        except Exception as e:  # any damage inside the folder: the caller rebuilds
            raise IndexError_(f"索引文件损坏（{type(e).__name__}）") from e

    def close(self):
        try:
            self.searcher.close()
        except Exception:
            pass


def open_generation(index_dir):
    gen = current_generation(index_dir)
    if gen is None:
        raise IndexError_("尚未建立索引")
    return OpenIndex(gen)
