"""Interrupted index builds: real ``xuncha index`` processes are killed with SIGKILL at random moments,
many times; after every kill the previous index is still complete and answers queries without a rebuild.

The index is built into ``index/.building-…``, renamed to ``index/gen-…`` and published by replacing
``index/CURRENT`` (xuncha/index.py). Most kills are aimed at the build itself (after the temporary
folder appears), the rest anywhere in the process's life, start-up included."""
import os
import random
import shutil
import signal
import subprocess
import time
from collections import Counter

from xuncha import KnowledgeBase
from xuncha.index import KEEP_GENERATIONS, current_generation

from .conftest import (COUNTS, assert_index_usable, fresh_copy, generations, leftovers, no_traceback, run_xuncha,
                       scaled, subprocess_env, xuncha_argv)

KILLS = scaled(16)


def _start(root, *args):
    return subprocess.Popen(xuncha_argv(root, *args), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=subprocess_env(), text=True)


def _wait_for_build(index_dir, proc, limit=60):
    """Poll until a temporary build folder appears (or the process ends). Returns seconds waited."""
    t0 = time.monotonic()
    while proc.poll() is None and time.monotonic() - t0 < limit:
        if leftovers(index_dir):
            break
        time.sleep(0.002)
    return time.monotonic() - t0


def _calibrate(root):
    """One uninterrupted run: (seconds until the build folder appears, seconds of building)."""
    t0 = time.monotonic()
    p = _start(root, "index", "--force")
    start = _wait_for_build(root / "index", p)
    _, err = p.communicate(timeout=120)
    assert p.returncode == 0, err
    return start, max(time.monotonic() - t0 - start, 0.05)


def _phase(index_dir, before):
    cur = current_generation(index_dir)
    if cur is not None and cur.name != before:
        return "after-swap"
    return "building" if leftovers(index_dir) else "start-up"


def test_sigkill_at_random_moments_never_breaks_the_index(tmp_path):
    root = fresh_copy(tmp_path / "kb")
    index_dir = root / "index"
    KnowledgeBase.open(root, notify=None).close()
    startup, building = _calibrate(root)
    rnd = random.Random(int(os.environ.get("XUNCHA_RELIABILITY_SEED", "8")))
    phases, survived = Counter(), 0
    for i in range(KILLS):
        before = assert_index_usable(root)
        p = _start(root, "index", "--force")
        if i % 4 == 0:  # anywhere in the process's life
            time.sleep(rnd.uniform(0, startup + building))
        else:  # during the build: from the temporary folder's appearance to the swap
            _wait_for_build(index_dir, p)
            t_build = time.monotonic()
            time.sleep(rnd.uniform(0, building))
        alive = p.poll() is None
        phase = _phase(index_dir, before)
        p.send_signal(signal.SIGKILL)
        p.communicate(timeout=60)
        if not alive:
            phases["finished-first"] += 1
            if i % 4:  # builds got quicker than calibrated (less load): aim earlier from now on
                building = max(0.05, min(building, 0.8 * (time.monotonic() - t_build)))
            continue
        survived += 1
        phases[phase] += 1
        after = assert_index_usable(root)  # opens CURRENT's generation, checks every file, answers a query
        assert after == before or phase == "after-swap"
        messages = []
        kb = KnowledgeBase.open(root, notify=messages.append)
        try:
            assert not kb.rebuilt and not messages, messages
            assert kb.search("公款吃喝")[0]["id"] == "jilv-2023#113"
        finally:
            kb.close()
    COUNTS["kills_survived"] += survived
    for k, v in phases.items():
        COUNTS[f"kills_{k}"] += v
    assert survived >= KILLS // 2, phases
    assert phases["building"] >= KILLS // 4, phases
    # the next complete build clears what killed builds left behind
    r = run_xuncha(root, "index", "--force")
    assert r.returncode == 0, r.stderr
    assert leftovers(index_dir) == []
    assert len(generations(index_dir)) <= KEEP_GENERATIONS
    assert_index_usable(root)


def test_killed_first_build_is_redone_on_next_use(tmp_path):
    root = fresh_copy(tmp_path / "kb")
    rnd = random.Random(3)
    for _ in range(scaled(3)):
        p = _start(root, "index")
        _wait_for_build(root / "index", p)
        time.sleep(rnd.uniform(0, 0.5))
        alive = p.poll() is None
        p.send_signal(signal.SIGKILL)
        p.communicate(timeout=60)
        if alive and current_generation(root / "index") is None:
            COUNTS["kills_survived"] += 1
            COUNTS["kills_first-build"] += 1
        r = run_xuncha(root, "search", "公款吃喝")
        no_traceback(r.stdout, r.stderr)
        assert r.returncode == 0 and "jilv-2023#113" in r.stdout
        if alive:
            assert "正在建立" in r.stderr or "正在重建" in r.stderr or r.stderr == ""
        for g in generations(root / "index"):  # start again from nothing
            shutil.rmtree(root / "index" / g)
        (root / "index" / "CURRENT").unlink(missing_ok=True)


def test_killed_automatic_rebuild_keeps_the_old_generation(tmp_path):
    """A search after a corpus edit rebuilds on its own; killing it leaves the old generation usable and
    the next search rebuilds (with a message), seeing the edit."""
    root = fresh_copy(tmp_path / "kb")
    KnowledgeBase.open(root, notify=None).close()
    before = assert_index_usable(root)
    p = root / "regulations" / "jilv-2023.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("比对用车登记", "比对用车登记和加油卡流水"), encoding="utf-8")
    proc = _start(root, "search", "加油卡流水")
    _wait_for_build(root / "index", proc)
    time.sleep(0.3)
    alive = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    if alive and current_generation(root / "index").name == before:
        COUNTS["kills_survived"] += 1
        assert_index_usable(root)
        rebuilt_by_next = True
    else:  # the killed process finished its rebuild first
        rebuilt_by_next = False
    r = run_xuncha(root, "search", "加油卡流水")
    no_traceback(r.stdout, r.stderr)
    assert r.returncode == 0 and "jilv-2023#117" in r.stdout
    assert ("语料已变更，正在重建索引" in r.stderr) == rebuilt_by_next, r.stderr


def test_ctrl_c_during_a_build_cleans_up(tmp_path):
    root = fresh_copy(tmp_path / "kb")
    KnowledgeBase.open(root, notify=None).close()
    before = assert_index_usable(root)
    p = _start(root, "index", "--force")
    _wait_for_build(root / "index", p)
    time.sleep(0.2)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    if p.returncode == 0:  # the build won the race
        return
    assert p.returncode == 130 and "已中断" in err, err
    no_traceback(err)
    assert leftovers(root / "index") == []
    assert assert_index_usable(root) == before
    COUNTS["interrupts_survived"] += 1
