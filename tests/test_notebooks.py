"""The trainee versions run from top to bottom without an error and report 「未完成」 instead of passing.

(The source notebooks, with the model answers, are run by nbval: `python3 -m pytest notebooks/`.)"""
import re

import nbformat
import pytest

from conftest import REPO
from xuncha.training.release import PROMPT_RE, release, source_notebooks

NOTEBOOKS = source_notebooks(REPO / "notebooks")
CHECK_RE = re.compile(r"练习 ([0-9]+\.[0-9]+) · ([0-9.]+)/([0-9.]+) 分 · (\S+)")


@pytest.fixture(scope="module")
def trainee_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("trainee")
    release(REPO / "notebooks", out)
    return out


@pytest.fixture
def kernel_env(monkeypatch, real_kb, real_index, tmp_path):
    """The kernel inherits this environment: the shipped corpus, the session's index, scores in tmp."""
    monkeypatch.setenv("XUNCHA_ROOT", str(REPO))
    monkeypatch.setenv("XUNCHA_INDEX_DIR", str(real_index))
    monkeypatch.setenv("XUNCHA_SCORES", str(tmp_path / "scores.json"))
    monkeypatch.delenv("XUNCHA_TRAINING_STRICT", raising=False)
    return tmp_path


def execute(nb, cwd):
    from nbclient import NotebookClient
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


def output_text(cell):
    parts = []
    for o in cell.get("outputs", []):
        if o.output_type == "stream":
            parts.append(o.text)
        elif o.output_type in ("execute_result", "display_data"):
            parts.append(o.data.get("text/plain", ""))
        elif o.output_type == "error":
            parts.append(f"ERROR {o.ename}: {o.evalue}")
    return "\n".join(parts)


def test_there_are_eight_numbered_notebooks():
    assert [p.name[:3] for p in NOTEBOOKS] == [f"{i:02d}-" for i in range(1, 9)]


@pytest.mark.parametrize("name", [p.name for p in NOTEBOOKS])
def test_trainee_version_runs_and_reports_unfinished(name, trainee_dir, kernel_env):
    nb = execute(nbformat.read(trainee_dir / name, as_version=4), trainee_dir)
    errors = [(c.id, output_text(c)) for c in nb.cells if c.cell_type == "code"
              for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    prompts = {m.group(1): float(m.group(2)) for c in nb.cells if c.cell_type == "markdown"
               for m in PROMPT_RE.finditer(c.source)}
    assert prompts, "no exercises"
    seen = {}
    for c in nb.cells:
        if c.cell_type != "code" or not c.id.endswith("-check"):
            continue
        text = output_text(c)
        m = CHECK_RE.search(text)
        assert m, (c.id, text)
        ex, points, max_points, status = m.group(1), float(m.group(2)), float(m.group(3)), m.group(4)
        assert status == "未完成" and points == 0, (c.id, text)
        assert "全部通过" not in text and "正确" not in text
        pending = re.search(r"另有 ([0-9.]+) 分由隐藏检查评定", text)
        seen[ex] = max_points + (float(pending.group(1)) if pending else 0)
    assert seen == prompts  # every exercise checked, worth what its prompt says
    summary = output_text([c for c in nb.cells if c.id == "summary"][0])
    assert "未完成" in summary and "得分 0/" in summary
    scores = (kernel_env / "scores.json").read_text(encoding="utf-8")
    assert name[:-len(".ipynb")] in scores


def test_a_wrong_answer_gets_hints_not_errors(trainee_dir, kernel_env):
    nb = nbformat.read(trainee_dir / NOTEBOOKS[0].name, as_version=4)
    answer = [c for c in nb.cells if c.id == "ex-1-2-answer"][0]
    answer.source = answer.source.replace('answer_1_2 = ""', 'answer_1_2 = "纪律处分条例第113条"')
    nb = execute(nb, trainee_dir)
    text = output_text([c for c in nb.cells if c.id == "ex-1-2-check"][0])
    assert "练习 1.2 · 0/3 分 · 未通过" in text or "练习 1.2 · 1/3 分 · 部分通过" in text
    assert "提示：" in text and "ERROR" not in text
