"""Concurrency (a training room sharing one install): several processes search while others rebuild.

No reader may ever see an error or an empty result; two rebuilds at once must not corrupt anything.
Readers are real processes (reader.py): some open a new KnowledgeBase per query, one keeps one open
the whole time, one runs ``xuncha search`` processes. Meanwhile two writers run ``xuncha index --force``
in a loop, and the corpus is edited halfway so every reader finds its index stale."""
import fcntl
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from xuncha import KnowledgeBase
from xuncha.index import KEEP_GENERATIONS, current_generation

from .conftest import (COUNTS, assert_index_usable, fresh_copy, generations, leftovers, no_traceback, run_xuncha,
                       scaled, subprocess_env, xuncha_argv)

READER = Path(__file__).with_name("reader.py")
SECONDS = scaled(10)       # at least this long…
REBUILDS = scaled(4)       # …and until the writers together finished this many rebuilds
READERS = ["fresh", "fresh", "held", "cli"] * (1 if scaled(1) == 1 else 2)


def _writer(root, until, results):
    while not until():
        r = run_xuncha(root, "index", "--force", timeout=300)
        results.append((r.returncode, r.stderr))


def test_readers_never_fail_while_two_writers_rebuild(tmp_path):
    root = fresh_copy(tmp_path / "kb")
    KnowledgeBase.open(root, notify=None).close()
    stop = tmp_path / "stop"
    readers = [subprocess.Popen([sys.executable, str(READER), str(root), "600", mode, str(stop)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=subprocess_env()) for mode in READERS]
    for p in readers:
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
    t0 = time.monotonic()
    writes = []
    writers = [threading.Thread(target=_writer, args=(root, lambda: time.monotonic() - t0 > SECONDS and len(writes) >= REBUILDS,
                                                      writes)) for _ in range(2)]
    for w in writers:
        w.start()
    while len(writes) < REBUILDS // 2:
        time.sleep(0.05)
    p = root / "methods" / "m-diaoyue-ziliao.yaml"  # an edit every reader notices (the fingerprint changes)
    p.write_text(p.read_text(encoding="utf-8").replace("keywords: [调阅资料, 留痕主义]", "keywords: [调阅资料, 留痕主义, 调卷]"),
                 encoding="utf-8")
    for w in writers:
        w.join()
    stop.write_text("", encoding="utf-8")
    stats = []
    for proc in readers:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        stats.append(json.loads(out.strip().splitlines()[-1]))
    for s in stats:
        assert s["errors"] == [], s
        assert s["empty"] == 0, s
        assert s["wrong_top"] == [], s
        assert s["searches"] > 0, s
    for code, err in writes:
        assert code == 0, err
        no_traceback(err)
    assert len(writes) >= REBUILDS
    total = sum(s["searches"] for s in stats)
    COUNTS["concurrent_readers"] = max(COUNTS["concurrent_readers"], len(READERS))
    COUNTS["concurrent_searches"] += total
    COUNTS["concurrent_rebuilds"] += len(writes)
    COUNTS["concurrent_generations_seen"] += len({g for s in stats for g in s["generations"]})
    # afterwards: one fresh, complete generation; nothing half-built left; a new reader does not rebuild
    time.sleep(0.1)
    assert leftovers(root / "index") == []
    assert len(generations(root / "index")) <= KEEP_GENERATIONS + 1
    assert_index_usable(root)
    kb = KnowledgeBase.open(root, notify=None)
    try:
        assert kb.search("调卷")[0]["id"] == "m-diaoyue-ziliao"
    finally:
        kb.close()


def test_second_rebuild_waits_for_the_lock_and_readers_do_not(tmp_path):
    """Hold the build lock: rebuilds wait (and say so), searches go on; release it and both rebuilds finish."""
    root = fresh_copy(tmp_path / "kb")
    KnowledgeBase.open(root, notify=None).close()
    before = assert_index_usable(root)
    with open(root / "index" / ".lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        builders = [subprocess.Popen(xuncha_argv(root, "index", "--force"), stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, env=subprocess_env()) for _ in range(2)]
        for b in builders:
            lines = []
            while len(lines) < 20 and "另一个进程正在重建索引，等待其完成" not in "".join(lines):
                line = b.stderr.readline()  # the wait message (maybe after a library's warnings)
                if not line:
                    break
                lines.append(line)
            assert "另一个进程正在重建索引，等待其完成" in "".join(lines), lines
        r = run_xuncha(root, "search", "公款吃喝")
        assert r.returncode == 0 and "jilv-2023#113" in r.stdout and r.stderr == ""
        assert current_generation(root / "index").name == before and leftovers(root / "index") == []
        fcntl.flock(lock, fcntl.LOCK_UN)
    for b in builders:
        out, err = b.communicate(timeout=300)
        assert b.returncode == 0 and "索引已就绪" in out, err
    assert assert_index_usable(root) != before
    assert len(generations(root / "index")) <= KEEP_GENERATIONS
    COUNTS["concurrent_rebuilds"] += 2


def test_reader_whose_generation_vanishes_while_opening_retries_without_rebuilding(tmp_path, monkeypatch):
    """The window the lock does not cover: a reader reads CURRENT, then two rebuilds elsewhere swap and
    prune that generation before the reader opens it. It must open the new one, not fail or rebuild."""
    import xuncha.kb as kbmod
    root = fresh_copy(tmp_path / "kb")
    KnowledgeBase.open(root, notify=None).close()
    calls = {"open": 0, "build": 0}
    real_open, real_build = kbmod.OpenIndex, kbmod.build
    racing = []

    def racing_open(gen):
        calls["open"] += 1
        if calls["open"] == 1:  # another process finishes two builds right now
            racing.append(1)
            other = KnowledgeBase(root, notify=None)
            other.rebuild(force=True)
            other.rebuild(force=True)
            other.close()
            racing.clear()
            assert not Path(gen).exists()
        return real_open(gen)

    def counting_build(*a, **kw):
        if not racing:
            calls["build"] += 1
        return real_build(*a, **kw)

    monkeypatch.setattr(kbmod, "OpenIndex", racing_open)
    monkeypatch.setattr(kbmod, "build", counting_build)
    messages = []
    kb = KnowledgeBase.open(root, notify=messages.append)
    try:
        assert kb.search("公款吃喝")[0]["id"] == "jilv-2023#113"
        assert calls == {"open": 2, "build": 0} and not kb.rebuilt and messages == []
    finally:
        kb.close()


def test_edit_while_loading_leaves_the_index_stale_not_wrong(tmp_path, monkeypatch):
    """The fingerprint is taken before the corpus is read: an edit that lands while a build reads the
    files makes the next open rebuild, instead of serving the old content as if it were current."""
    import xuncha.corpus as corpus_mod
    root = fresh_copy(tmp_path / "kb")
    real = corpus_mod.check_corpus
    p = root / "regulations" / "jilv-2023.yaml"

    def load_then_edit(r=None):
        result = real(r)
        if "高速通行费" not in p.read_text(encoding="utf-8"):
            p.write_text(p.read_text(encoding="utf-8").replace("比对用车登记", "比对用车登记和高速通行费记录"), encoding="utf-8")
        return result

    monkeypatch.setattr(corpus_mod, "check_corpus", load_then_edit)
    KnowledgeBase.open(root, notify=None).close()
    monkeypatch.setattr(corpus_mod, "check_corpus", real)
    messages = []
    kb = KnowledgeBase.open(root, notify=messages.append)
    try:
        assert kb.rebuilt and any("语料已变更" in m for m in messages)
        assert kb.search("高速通行费")[0]["id"] == "jilv-2023#117"
    finally:
        kb.close()


def test_unwritable_index_folder_is_a_clear_message(tmp_path, run):
    root = fresh_copy(tmp_path / "kb")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    code, out, err = run("search", "公款吃喝", root=root, index_dir=blocker / "index")
    no_traceback(out, err)
    assert code == 1 and "无法写入索引目录" in err


def test_lock_wait_ends_with_a_message_on_posix_and_on_the_windows_code_path(tmp_path, monkeypatch):
    from xuncha import IndexBusyError
    from xuncha import index as ix

    class FakeMsvcrt:  # msvcrt.locking's contract (raise OSError while held), emulated with flock
        LK_NBLCK, LK_UNLCK = 2, 0

        @staticmethod
        def locking(fd, mode, nbytes):
            fcntl.flock(fd, (fcntl.LOCK_EX | fcntl.LOCK_NB) if mode == 2 else fcntl.LOCK_UN)

    for windows in (False, True):
        if windows:
            monkeypatch.setattr(ix, "fcntl", None)
            monkeypatch.setattr(ix, "msvcrt", FakeMsvcrt, raising=False)
        told = []
        with ix._Lock(tmp_path / ".lock"):
            with pytest.raises(IndexBusyError, match="等待 0.3 秒仍未完成"):
                with ix._Lock(tmp_path / ".lock", wait=0.3, on_wait=lambda: told.append(1)):
                    pass
        assert told == [1]
        with ix._Lock(tmp_path / ".lock", wait=0.3):  # released: free again
            pass
