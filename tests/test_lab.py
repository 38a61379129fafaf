"""Smoke test of `xuncha lab`: the JupyterLab server it starts lists the notebooks, opens one, and a kernel
(the project's Python) executes a notebook cell through the server's websocket API."""
import json
import re
import socket
import subprocess
import sys
import time
import uuid

import pytest

from conftest import REPO
from xuncha.training.lab import lab_command, lab_env, write_kernelspec
from xuncha.training.release import source_notebooks

jupyterlab = pytest.importorskip("jupyterlab", reason="JupyterLab 未安装（pip install -e \".[lab]\"），无法启动")
requests = pytest.importorskip("requests")
websocket = pytest.importorskip("websocket", reason="需要 websocket-client（jupyter_server 的依赖）")

TOKEN = "xuncha-test-" + uuid.uuid4().hex[:8]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(tmp_path, real_kb, real_index):
    jdir = tmp_path / "jupyter"
    write_kernelspec(jdir, root=REPO)
    port = free_port()
    env = lab_env(jdir)
    env.update(JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               IPYTHONDIR=str(tmp_path / "ipython"), XUNCHA_INDEX_DIR=str(real_index),
               XUNCHA_SCORES=str(tmp_path / "scores.json"))
    env.pop("XUNCHA_TRAINING_STRICT", None)
    log = open(tmp_path / "lab.log", "wb")
    proc = subprocess.Popen(lab_command(REPO / "notebooks", port=port, token=TOKEN), cwd=REPO / "notebooks",
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    s = requests.Session()
    s.headers["Authorization"] = f"token {TOKEN}"
    s.trust_env = False  # never a proxy: localhost only
    try:
        deadline = time.time() + 90
        while True:
            if proc.poll() is not None:
                log.flush()
                pytest.fail("JupyterLab 进程已退出：\n" + (tmp_path / "lab.log").read_text(errors="replace")[-3000:])
            try:
                if s.get(base + "/api/status", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.time() > deadline:
                pytest.fail("JupyterLab 90 秒内没有响应：\n" + (tmp_path / "lab.log").read_text(errors="replace")[-3000:])
            time.sleep(0.3)
        yield base, port, s
        s.post(base + "/api/shutdown", timeout=10)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()


def execute(port, kernel_id, code, timeout=90):
    """Run ``code`` through the server's kernel websocket; returns (stdout text, status, errors)."""
    ws = websocket.create_connection(f"ws://127.0.0.1:{port}/api/kernels/{kernel_id}/channels?token={TOKEN}",
                                     timeout=timeout)
    msg_id = uuid.uuid4().hex
    ws.send(json.dumps({
        "header": {"msg_id": msg_id, "username": "test", "session": uuid.uuid4().hex, "msg_type": "execute_request",
                   "version": "5.3", "date": ""},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True}}))
    out, status, errors = [], None, []
    deadline = time.time() + timeout
    try:
        while time.time() < deadline:
            msg = json.loads(ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            t = msg["msg_type"]
            if t == "stream":
                out.append(msg["content"]["text"])
            elif t in ("execute_result", "display_data"):
                out.append(msg["content"]["data"].get("text/plain", ""))
            elif t == "error":
                errors.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")
            elif t == "execute_reply":
                status = msg["content"]["status"]
            elif t == "status" and msg["content"]["execution_state"] == "idle" and status is not None:
                break
    finally:
        ws.close()
    return "".join(out), status, errors


def test_lab_lists_opens_and_executes_a_notebook(lab):
    base, port, s = lab
    assert s.get(base + "/api/status").json()["started"]
    # the notebooks are listed
    listing = s.get(base + "/api/contents/", params={"content": 1}).json()
    names = {c["name"] for c in listing["content"] if c["type"] == "notebook"}
    expected = {p.name for p in source_notebooks(REPO / "notebooks")}
    assert expected and expected <= names
    # the project's kernel is the one offered
    specs = s.get(base + "/api/kernelspecs").json()
    spec = specs["kernelspecs"]["python3"]["spec"]
    assert spec["display_name"] == "Python 3（xuncha）" and spec["argv"][0] == sys.executable
    # JupyterLab itself is served, with the news feed (a request to github.io) turned off
    page = s.get(base + "/lab")
    assert page.status_code == 200
    config = json.loads(re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', page.text, re.S).group(1))
    assert config["news"] == {"disabled": True}
    # one notebook can be opened
    first = sorted(expected)[0]
    nb = s.get(base + f"/api/contents/{first}", params={"content": 1}).json()
    assert nb["type"] == "notebook" and nb["content"]["metadata"]["kernelspec"]["name"] == "python3"
    setup = [c for c in nb["content"]["cells"] if c.get("id") == "setup"][0]
    # ... and a kernel started for it executes its setup cell and a search
    sess = s.post(base + "/api/sessions", json={"path": first, "type": "notebook", "name": first,
                                                "kernel": {"name": "python3"}}).json()
    kid = sess["kernel"]["id"]
    src = "".join(setup["source"]) if isinstance(setup["source"], list) else setup["source"]
    out, status, errors = execute(port, kid, src + "\nprint(kb.search('公车私用', limit=1)[0]['id'])\nimport sys; print(sys.executable)")
    assert errors == [] and status == "ok", out
    lines = out.strip().splitlines()
    assert lines[0].startswith("知识库已打开") and lines[1] == "jilv-2023#117" and lines[2] == sys.executable
    assert s.delete(base + f"/api/sessions/{sess['id']}").status_code == 204
