"""Shared pieces of the reliability suite (issue 8): a sample knowledge base with a built index, real
``xuncha`` subprocesses, index snapshots, and the counts the docs page quotes.

Every test here records what it tried in ``COUNTS``; at the end of the session they are written to
test-artifacts/reliability-counts.json (docs/可靠性与保密.md quotes them). Set XUNCHA_RELIABILITY_SCALE=10
to run ten times as many kills, readers' rounds and generated inputs (a long local run)."""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from xuncha import KnowledgeBase
from xuncha.index import current_generation

HERE = Path(__file__).parent
REPO = HERE.parent.parent
SAMPLE = REPO / "tests" / "data" / "corpus"
NETGUARD = HERE / "netguard"
ARTIFACTS = REPO / "test-artifacts"
SCALE = max(1, int(os.environ.get("XUNCHA_RELIABILITY_SCALE", "1") or 1))

COUNTS = Counter()


def scaled(n):
    return n * SCALE


@pytest.fixture(scope="session", autouse=True)
def _write_counts():
    yield
    if COUNTS:
        ARTIFACTS.mkdir(exist_ok=True)
        counts = dict(COUNTS, scale=SCALE, written_at=time.strftime("%Y-%m-%dT%H:%M:%S"))
        (ARTIFACTS / "reliability-counts.json").write_text(json.dumps(counts, ensure_ascii=False, indent=1, sort_keys=True),
                                                           encoding="utf-8")


def fresh_copy(dst):
    """A private copy of the small sample corpus (no index)."""
    shutil.copytree(SAMPLE, dst)
    return dst


@pytest.fixture
def sample(tmp_path):
    """A private copy of the sample corpus with its index built (in-process, so it is quick)."""
    root = fresh_copy(tmp_path / "kb")
    KnowledgeBase.open(root, notify=None).close()
    return root


def subprocess_env(**extra):
    """The environment for a real ``xuncha`` process: no inherited index location or root."""
    env = {k: v for k, v in os.environ.items() if k not in ("XUNCHA_INDEX_DIR", "XUNCHA_ROOT", "XUNCHA_DEBUG")}
    env.update({k: str(v) for k, v in extra.items()})
    return env


def xuncha_argv(root, *args):
    return [sys.executable, "-m", "xuncha", "--root", str(root), *map(str, args)]


def run_xuncha(root, *args, timeout=120, env=None, **kw):
    """Run ``python -m xuncha --root ROOT ARGS`` to completion; returns CompletedProcess (text)."""
    return subprocess.run(xuncha_argv(root, *args), capture_output=True, text=True, timeout=timeout,
                          env=env or subprocess_env(), **kw)


def snapshot(index_dir):
    """{relative path: sha256} of everything in the index folder (to prove it was left untouched)."""
    out = {}
    for p in sorted(Path(index_dir).rglob("*")):
        if p.is_file() and p.name != ".lock":
            out[p.relative_to(index_dir).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _names(index_dir):
    try:
        return [p.name for p in Path(index_dir).iterdir()]
    except FileNotFoundError:
        return []


def generations(index_dir):
    return sorted(n for n in _names(index_dir) if n.startswith("gen-"))


def leftovers(index_dir):
    return sorted(n for n in _names(index_dir) if n.startswith(".building-"))


def assert_index_usable(root, query="公款吃喝", top="jilv-2023#113"):
    """The generation CURRENT names opens (every file matches its manifest) and answers a known query,
    without any rebuild."""
    from xuncha.index import OpenIndex
    from xuncha.search import Searcher
    gen = current_generation(Path(root) / "index")
    assert gen is not None, "CURRENT does not name a generation"
    opened = OpenIndex(gen)
    try:
        hits = Searcher(opened, opened.synonyms).search(query)
        assert hits and hits[0]["id"] == top, [h["id"] for h in hits]
    finally:
        opened.close()
    return gen.name


def no_traceback(*texts):
    joined = "\n".join(t or "" for t in texts)
    assert "Traceback" not in joined, joined[-2000:]
    assert "内部错误" not in joined, joined[-2000:]
