"""The Whoosh index: built atomically into a new generation folder, switched by one rename.

Layout of ``index/``::

    CURRENT        name of the generation readers should open (replaced atomically)
    gen-…/         Whoosh files + meta.json (corpus fingerprint) + vocab/t2s tables
    .lock          held while a build runs (a second builder waits, then finds the index fresh)

Killing a build at any moment leaves CURRENT pointing at the previous, complete generation. meta.json
lists every file of its generation with size and CRC-32, so a damaged or half-deleted generation is
detected when opened (the caller rebuilds it). Old generations are pruned, keeping the newest two: a
process that already opened one keeps reading it (its files stay open), and one that read CURRENT just
before a swap opens the previous generation, which is still there; failing that it reads CURRENT again."""
import hashlib
import json
import os
import re
import shutil
import time
import uuid
import zlib
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
        h.update(p.relative_to(root).as_posix().encode("utf-8", "surrogateescape"))  # any file name
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


try:
    import fcntl
    msvcrt = None
except ImportError:  # Windows
    fcntl = None
    import msvcrt


def _try_lock(fh):
    """Take the exclusive lock without waiting; False while another process holds it."""
    try:
        if fcntl is not None:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        return True
    except BlockingIOError:
        return False
    except OSError:
        if fcntl is not None:
            raise
        return False  # msvcrt reports a held lock as EACCES/EDEADLOCK


def _unlock(fh):
    if fcntl is not None:
        fcntl.flock(fh, fcntl.LOCK_UN)
    else:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)


def _replace(src, dst, tries=100):
    """os.replace, retried while Windows refuses because a reader has ``dst`` open for a moment."""
    for i in range(tries):
        try:
            return os.replace(src, dst)
        except PermissionError:
            if i == tries - 1:
                raise
            time.sleep(0.05)


class _Lock:
    def __init__(self, path, wait=None, on_wait=None):
        self.path, self.on_wait, self.fh = path, on_wait, None
        self.wait = LOCK_WAIT_SECONDS if wait is None else wait

    def __enter__(self):
        self.fh = open(self.path, "a+")
        deadline = time.monotonic() + self.wait
        told = False
        while True:
            if _try_lock(self.fh):
                return self
            if not told and self.on_wait:
                self.on_wait()
                told = True
            if time.monotonic() > deadline:
                self.fh.close()
                raise IndexBusyError(f"另一个进程正在重建索引，等待 {self.wait} 秒仍未完成；请稍后再试")
            time.sleep(0.1)

    def __exit__(self, *exc):
        _unlock(self.fh)
        self.fh.close()


_GEN_NAME = re.compile(r"gen-[A-Za-z0-9-]+")


def current_generation(index_dir):
    """The generation folder CURRENT names, or None when CURRENT is missing, damaged or names no folder."""
    try:
        name = (Path(index_dir) / "CURRENT").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not _GEN_NAME.fullmatch(name):
        return None
    gen = Path(index_dir) / name
    return gen if gen.is_dir() else None


def _crc(path):
    crc = 0
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            crc = zlib.crc32(block, crc)
    return crc


def manifest(folder):
    """{file name: [size, crc32]} for every file of a generation except meta.json."""
    return {p.name: [p.stat().st_size, _crc(p)] for p in sorted(Path(folder).iterdir())
            if p.is_file() and p.name != "meta.json"}


def verify(gen, meta):
    """Raise IndexError_ naming the first file that is missing or differs from the manifest in ``meta``."""
    files = meta.get("files")
    if not isinstance(files, dict):
        return  # built before manifests existed
    for name, want in files.items():
        p = Path(gen) / name
        try:
            if p.stat().st_size != want[0] or _crc(p) != want[1]:
                raise IndexError_(f"索引文件损坏（{name} 与建立时不一致）")
        except OSError:
            raise IndexError_(f"索引文件缺失（{name}）") from None


def read_meta(gen):
    try:
        return json.loads((Path(gen) / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_fresh(index_dir, fp):
    gen = current_generation(index_dir)
    meta = read_meta(gen) if gen else None
    return bool(meta and meta.get("fingerprint") == fp)


def build(corpus, index_dir, progress=None, on_wait=None, force=False, fp=None, broken=None):
    """Build the index for ``corpus`` unless a fresh one exists (another process may just have built it).
    Returns the meta dict of the generation in use.

    ``fp``: the corpus fingerprint taken *before* the corpus was loaded (so an edit made while loading
    leaves the index stale rather than wrongly fresh). ``broken``: name of a generation a reader found
    damaged; it is rebuilt unless CURRENT has meanwhile moved on to another fresh generation."""
    index_dir = Path(index_dir)
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        lock = _Lock(index_dir / ".lock", on_wait=on_wait)
        lock.__enter__()
    except OSError as e:
        raise IndexError_(f"无法写入索引目录 {index_dir}（{e.strerror}）；请检查权限，"
                          "或用环境变量 XUNCHA_INDEX_DIR 指定一个可写的目录") from None
    fp = fp or fingerprint(corpus.root)
    try:
        cur = current_generation(index_dir)
        if is_fresh(index_dir, fp) and (not force or (broken and cur and cur.name != broken)):
            return read_meta(cur)
        t0 = time.perf_counter()
        gen = index_dir / f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        tmp = index_dir / (".building-" + gen.name)
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        try:
            meta = _write(corpus, tmp, fp, progress)
            meta["build_seconds"] = round(time.perf_counter() - t0, 3)
            meta["files"] = manifest(tmp)
            (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
            os.rename(tmp, gen)
            pointer = index_dir / ".CURRENT.tmp"
            pointer.write_text(gen.name, encoding="utf-8")
            with open(pointer, "rb") as fh:
                os.fsync(fh.fileno())
            _replace(pointer, index_dir / "CURRENT")
        except OSError as e:
            shutil.rmtree(tmp, ignore_errors=True)
            raise IndexError_(f"建立索引失败（{e.strerror or e}，磁盘已满或无写权限？）；原有索引未改动") from e
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _prune(index_dir, gen.name)
        return meta
    finally:
        lock.__exit__()


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
        if p.name.startswith(".building-"):  # left by a killed build: we hold the lock, so nobody is using it
            shutil.rmtree(p, ignore_errors=True)


class OpenIndex:
    """An opened generation: Whoosh searcher plus the vocabulary and tables queries need."""

    def __init__(self, gen):
        from whoosh import index as windex
        self.gen = Path(gen)
        self.meta = read_meta(self.gen)
        if not self.meta:
            raise IndexError_("索引元数据缺失")
        verify(self.gen, self.meta)
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
