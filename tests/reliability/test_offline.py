"""Offline guarantee: every CLI command and every notebook runs with the network blocked, and nothing
even tries to connect.

The guard (netguard/sitecustomize.py) replaces socket connect/sendto and name look-ups: in this process
directly, and in every child process (MkDocs, JupyterLab, notebook kernels) through PYTHONPATH. Each
attempt is refused and logged; the tests assert the log stays empty. Loopback is allowed (a local
server and its kernels talk over it). Commands run against a private copy of the repository."""
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from xuncha import KnowledgeBase
from xuncha.cli import main

from .commands import COMMANDS, leaf_commands
from .conftest import COUNTS, NETGUARD, REPO, no_traceback, xuncha_argv

_spec = importlib.util.spec_from_file_location("xuncha_netguard", NETGUARD / "sitecustomize.py")
guard = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(guard)

QUESTIONS = "你在村里负责哪些工作？\n村里的车辆加油费用是怎么报销的？\n你觉得村务公开做得怎么样？\n"
REGTEXT = ("XX县巡察工作实施办法（测试用）\n\n第一章 总则\n\n第一条 为做好本县巡察工作，结合实际，制定本办法。\n\n"
           "第二条 巡察工作坚持实事求是，依规依纪开展。\n\n第三条 本办法由县委巡察工作领导小组办公室负责解释。\n")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory):
    """A private copy of the repository (corpus, docs, notebooks, site config) with its index built."""
    base = tmp_path_factory.mktemp("offline")
    root = base / "repo"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(
        ".git", "index", "site", "build", "local", "test-artifacts", "__pycache__", "*.egg-info", ".hypothesis",
        ".benchmarks", "tests", "bench", "trainee", ".ipynb_checkpoints", "xuncha"))
    KnowledgeBase.open(root, notify=None).close()
    work = base / "work"
    work.mkdir()
    (work / "home").mkdir()
    return {"root": root, "work": work, "log": base / "netguard.jsonl"}


@pytest.fixture
def offline(repo_copy, monkeypatch):
    """The guard on, in-process and for every child; HOME and scores inside the scratch folder."""
    log = repo_copy["log"]
    log.unlink(missing_ok=True)
    monkeypatch.setenv(guard.LOG_ENV, str(log))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(NETGUARD), *filter(None, [os.environ.get("PYTHONPATH")])]))
    monkeypatch.setenv("HOME", str(repo_copy["work"] / "home"))
    monkeypatch.setenv("XUNCHA_SCORES", str(repo_copy["work"] / "scores.json"))
    monkeypatch.delenv("XUNCHA_INDEX_DIR", raising=False)
    guard.install()
    try:
        yield repo_copy
    finally:
        guard.uninstall()


def attempts(ctx):
    return guard.read_log(ctx["log"])


def _prepare(ctx, needs):
    work = ctx["work"]
    values = {"root": str(ctx["root"]), "work": str(work)}
    if "draft" in needs:
        shutil.copy(REPO / "tests" / "data" / "drafts" / "good.md", work / "draft.md")
        values["draft"] = str(work / "draft.md")
    if "questions" in needs:
        (work / "questions.txt").write_text(QUESTIONS, encoding="utf-8")
        values["questions"] = str(work / "questions.txt")
    if "regtext" in needs:
        (work / "banfa.txt").write_text(REGTEXT, encoding="utf-8")
        values["regtext"] = str(work / "banfa.txt")
    if "trainee" in needs:
        out = work / "trainee-for-grade"
        if not any(out.glob("*.ipynb")):
            assert main(["--root", str(ctx["root"]), "notebooks", "release", "--out", str(out)]) == 0
        nbs = sorted(out.glob("*.ipynb"), key=lambda p: p.stat().st_size)
        values["trainee"] = str(nbs[0])
    return values


def test_guard_blocks_and_logs_in_process_and_in_children(offline):
    with pytest.raises(OSError):
        urllib.request.urlopen("http://example.com/", timeout=5)
    with pytest.raises(OSError):
        socket.create_connection(("192.0.2.1", 80), timeout=5)  # TEST-NET-1: never routable
    code = ("import urllib.request\ntry:\n    urllib.request.urlopen('https://pypi.org/simple/', timeout=5)\n"
            "except OSError:\n    pass\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    seen = [(a["what"], a["pid"] == os.getpid()) for a in attempts(offline)]
    assert ("getaddrinfo", True) in seen and ("connect", True) in seen and ("getaddrinfo", False) in seen, seen
    with socket.socket() as s:  # loopback stays allowed
        s.bind(("127.0.0.1", 0))
        s.listen()
        socket.create_connection(s.getsockname(), timeout=5).close()


def test_every_command_has_a_row():
    have = set(leaf_commands())
    missing = sorted(have - set(COMMANDS))
    stale = sorted(set(COMMANDS) - have)
    assert not missing, f"add a row to tests/reliability/commands.py COMMANDS for: {missing}"
    assert not stale, f"commands no longer registered, remove their rows: {stale}"


def _run_server(ctx, path, row, values):
    port = free_port()
    values["port"] = str(port)
    argv = xuncha_argv(ctx["root"], *path, *[a.format(**values) for a in row.args])
    logf = ctx["work"] / f"{'-'.join(path)}.log"
    with open(logf, "wb") as out:
        p = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=dict(os.environ), start_new_session=True)
    fetched = []
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert p.poll() is None, logf.read_bytes().decode("utf-8", "replace")[-2000:]
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(f"{' '.join(path)} did not listen on {port}: {logf.read_bytes().decode('utf-8', 'replace')[-2000:]}")
        for url in row.fetch:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{url}", timeout=30) as r:
                    fetched.append((url, r.status))
            except urllib.error.HTTPError as e:
                fetched.append((url, e.code))
        time.sleep(1)  # let start-up work (update checks, plugin loading) happen
    finally:
        try:
            os.killpg(p.pid, signal.SIGTERM)
            p.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait(timeout=20)
    assert fetched and all(code < 500 for _, code in fetched), fetched
    return logf.read_bytes().decode("utf-8", "replace")


@pytest.mark.parametrize("path", list(COMMANDS), ids=[" ".join(p) for p in COMMANDS])
def test_command_runs_offline(offline, capfd, path):
    if path not in leaf_commands():
        pytest.skip(f"xuncha {' '.join(path)} 尚未注册")
    row = COMMANDS[path]
    values = _prepare(offline, row.needs)
    if row.server:
        output = _run_server(offline, path, row, values)
        no_traceback(output)
    else:
        argv = ["--root", str(offline["root"]), *path, *[a.format(**values) for a in row.args]]
        try:
            code = main(argv)
        except SystemExit as e:
            code = e.code
        out, err = capfd.readouterr()
        no_traceback(out, err)
        assert code in row.codes, (code, out[-1500:], err[-1500:])
    tried = attempts(offline)
    assert tried == [], json.dumps(tried, ensure_ascii=False, indent=1)[:4000]
    COUNTS["offline_commands"] += 1


def _execute(nb_path, root):
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.read(nb_path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(nb_path.parent)}})
    client.execute(cwd=str(nb_path.parent))
    ran = sum(1 for c in nb.cells if c.cell_type == "code" and c.get("execution_count"))
    return ran, sum(1 for c in nb.cells if c.cell_type == "code")


def test_every_notebook_runs_offline(offline):
    pytest.importorskip("nbclient")
    notebooks = sorted((offline["root"] / "notebooks").glob("*.ipynb"))
    if not notebooks:
        pytest.skip("notebooks/ 中还没有笔记本")
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(zip(notebooks, pool.map(lambda p: _execute(p, offline["root"]), notebooks)))
    for nb, (ran, total) in results.items():
        assert ran == total, f"{nb.name}: only {ran} of {total} code cells ran"
    tried = attempts(offline)
    assert tried == [], json.dumps(tried, ensure_ascii=False, indent=1)[:4000]
    COUNTS["offline_notebooks"] += len(notebooks)
