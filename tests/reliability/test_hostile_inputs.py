"""Garbage and hostile inputs for ``import`` and ``lint``: zip bombs in .docx, deeply nested HTML and
YAML, huge lines, invalid UTF-8, binary files. Each is rejected (or, if harmless, handled) by a real
process within bounded time and memory, with a Chinese message and no traceback; nothing is written.

Every process runs with its address space capped (``MEMORY_CAP``) and a time limit; its peak resident
memory is measured. A command not yet registered in the CLI is skipped with the reason."""
import os
import resource
import shutil
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from . import hostile
from .conftest import COUNTS, fresh_copy, snapshot, subprocess_env, xuncha_argv
from .commands import leaf_commands

MEMORY_CAP = 3 << 30      # bytes of address space per process
RSS_LIMIT_MB = 800        # peak resident memory we accept
TIME_LIMIT = 90           # seconds; a hang guard, not a speed target (those live in bench/)

# command -> [(maker, expected exit codes)]. 1: rejected by the command; 2: unreadable input.
REJECT = (1, 2)
CASES = {
    "import": [(hostile.docx_zip_bomb, REJECT), (hostile.docx_lying_bomb, REJECT), (hostile.docx_entity_bomb, REJECT),
               (hostile.docx_many_parts, REJECT), (hostile.docx_truncated, REJECT), (hostile.docx_not_a_zip, REJECT),
               (hostile.html_deep, REJECT), (hostile.html_unclosed_tags, REJECT), (hostile.txt_huge_line, REJECT),
               (hostile.txt_too_big, REJECT), (hostile.txt_invalid_utf8, REJECT), (hostile.txt_binary, REJECT),
               (hostile.txt_empty, REJECT), (hostile.txt_control_chars, REJECT), (hostile.pdf_garbage, REJECT)],
    "lint": [(hostile.docx_zip_bomb, REJECT), (hostile.txt_huge_line, REJECT), (hostile.txt_too_big, REJECT),
             (hostile.txt_invalid_utf8, REJECT), (hostile.txt_binary, REJECT), (hostile.txt_empty, REJECT),
             (hostile.txt_control_chars, REJECT), (hostile.yaml_deep, REJECT), (hostile.yaml_laughs, (0, 1, 2)),
             (hostile.md_deep_quotes, (0, 1, 2)), (hostile.md_long_line, (0, 1, 2)), (hostile.html_deep, (0, 1, 2))],
}
EXTRA_ARGS = {"import": ["--dry-run"], "lint": []}


def _limit():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_measured(argv, cwd):
    """Run to completion under the caps: (exit code, stdout, stderr, seconds, peak RSS in MB)."""
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=subprocess_env(), cwd=cwd,
                         preexec_fn=_limit)
    timer = threading.Timer(TIME_LIMIT, lambda: p.send_signal(signal.SIGKILL))
    timer.start()
    out, err = [], []
    readers = [threading.Thread(target=lambda s, b: b.append(s.read()), args=(p.stdout, out)),
               threading.Thread(target=lambda s, b: b.append(s.read()), args=(p.stderr, err))]
    for r in readers:
        r.start()
    _, status, usage = os.wait4(p.pid, 0)
    timer.cancel()
    for r in readers:
        r.join()
    p.returncode = os.waitstatus_to_exitcode(status)
    return (p.returncode, out[0].decode("utf-8", "replace"), err[0].decode("utf-8", "replace"),
            time.monotonic() - t0, usage.ru_maxrss / 1024)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """Run every (command, input) pair once, two at a time; tests below check one pair each."""
    base = tmp_path_factory.mktemp("hostile")
    root = fresh_copy(base / "kb")
    files = base / "files"
    files.mkdir()
    available = {c[0] for c in leaf_commands()}
    jobs = {}
    for cmd, cases in CASES.items():
        if cmd not in available:
            continue
        for maker, _ in cases:
            path = files / f"{maker.__name__}"
            path.mkdir(exist_ok=True)
            jobs[(cmd, maker.__name__)] = xuncha_argv(root, cmd, maker(path), *EXTRA_ARGS[cmd])
    corpus = [root / d for d in ("regulations", "checklists", "findings", "methods")]
    before = [snapshot(d) for d in corpus]
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {k: pool.submit(run_measured, argv, str(base)) for k, argv in jobs.items()}
        out = {k: f.result() for k, f in futures.items()}
    out["_root_unchanged"] = [snapshot(d) for d in corpus] == before and not (root / "local").exists()
    shutil.rmtree(files)
    return out


PAIRS = [(cmd, maker, codes) for cmd, cases in CASES.items() for maker, codes in cases]


@pytest.mark.parametrize("cmd,maker,codes", PAIRS, ids=[f"{c}-{m.__name__}" for c, m, _ in PAIRS])
def test_hostile_input_is_handled_within_bounds(results, cmd, maker, codes):
    if (cmd, maker.__name__) not in results:
        pytest.skip(f"xuncha {cmd} 尚未在 CLI 中注册（xuncha/cli.py COMMAND_MODULES）；命令加入后本测试自动运行")
    code, out, err, seconds, rss = results[(cmd, maker.__name__)]
    COUNTS["hostile_inputs"] += 1
    COUNTS["hostile_peak_rss_mb"] = max(COUNTS["hostile_peak_rss_mb"], int(rss))
    COUNTS["hostile_slowest_seconds"] = max(COUNTS["hostile_slowest_seconds"], round(seconds, 1))
    assert code != -signal.SIGKILL, f"killed after {TIME_LIMIT} s"
    assert "Traceback" not in err and "内部错误" not in err, err[-1500:]
    assert code in codes, (code, err[-800:], out[-400:])
    if codes == REJECT:  # refused: one Chinese line naming the file and the problem
        assert err.strip() and any(ord(c) > 0x4E00 for c in err), err
    elif code:  # handled: lint reports what it found
        assert (out + err).strip()
    assert rss < RSS_LIMIT_MB, f"peak memory {rss:.0f} MB"


def test_nothing_was_written(results):
    if len(results) == 1:
        pytest.skip("import 和 lint 都尚未在 CLI 中注册")
    assert results["_root_unchanged"]


def test_cases_cover_every_reader_format():
    """A new input format for import needs hostile cases here too."""
    FORMATS = pytest.importorskip("xuncha.importer.readers").FORMATS
    covered = {m.__name__.split("_")[0] for m, _ in CASES["import"]}
    assert set(FORMATS.values()) <= covered, set(FORMATS.values()) - covered
