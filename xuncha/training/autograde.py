"""Grade trainees' notebooks with every check, hidden ones included (the trainer's side of the exercises).

The answer cells of a trainee's notebook are put into the source notebook by their stable cell id, the merged
notebook runs in a kernel, and the scores the grader records are read back. Model answers never leave the
trainer's machine; the trainee's file is not changed."""
import copy
import json
import os
import tempfile
from pathlib import Path

from ..errors import InputError
from .release import BEGIN, read_notebook, source_notebooks


def merge_answers(source, trainee):
    """A copy of ``source`` whose answer cells (cells holding a solution region) carry the trainee's code.
    Returns (notebook, number of answer cells taken from the trainee)."""
    theirs = {c.get("id"): c for c in trainee.cells}
    out = copy.deepcopy(source)
    taken = 0
    for cell in out.cells:
        if cell.cell_type == "code" and BEGIN in cell.source and cell.get("id") in theirs:
            cell.source = theirs[cell["id"]].source
            taken += 1
    for cell in out.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return out, taken


def find_source(trainee_path, source_dir, trainee=None):
    """The source notebook a trainee's file was released from (its metadata, else its file name)."""
    trainee = trainee if trainee is not None else read_notebook(trainee_path)
    name = (trainee.metadata.get("xuncha") or {}).get("source") or Path(trainee_path).name
    for p in source_notebooks(source_dir):
        if p.name == name:
            return p
    raise InputError(f"{trainee_path}：找不到对应的源笔记本「{name}」（应在 {source_dir} 中）")


def grade_notebook(trainee_path, source_dir, timeout=300, kernel_name="python3"):
    """Run one trainee's answers through the source notebook. Returns {notebook, file, answers, exercises:
    {id: {points, max_points, status}}, points, max_points, errors}."""
    try:
        from nbclient import NotebookClient
    except ImportError:
        raise InputError("评阅需要 nbclient（随 JupyterLab 安装）：python3 -m pip install -e \".[lab]\"") from None
    trainee = read_notebook(trainee_path)
    src_path = find_source(trainee_path, source_dir, trainee)
    merged, taken = merge_answers(read_notebook(src_path), trainee)
    if not taken:
        raise InputError(f"{trainee_path}：没有找到可对应的答题单元格（单元格 id 与源笔记本不一致）")
    with tempfile.TemporaryDirectory(prefix="xuncha-grade-") as tmp:
        scores = Path(tmp) / "scores.json"
        env = {"XUNCHA_SCORES": str(scores), "XUNCHA_TRAINING_STRICT": "0"}
        old = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            import subprocess
            NotebookClient(merged, timeout=timeout, kernel_name=kernel_name, allow_errors=True,
                           resources={"metadata": {"path": str(Path(src_path).parent)}}).execute(
                stderr=subprocess.DEVNULL)  # the kernel's own start-up chatter; errors come back as outputs
        finally:
            for k, v in old.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        data = json.loads(scores.read_text(encoding="utf-8")) if scores.exists() else {"notebooks": {}}
    key = src_path.stem
    ex = (data["notebooks"].get(key) or {}).get("exercises", {})
    errors = [f"{c.get('id')}: {o.get('ename')}: {o.get('evalue')}" for c in merged.cells if c.cell_type == "code"
              for o in c.get("outputs", []) if o.get("output_type") == "error"]
    return {"notebook": key, "file": str(trainee_path), "answers": taken,
            "exercises": {k: {f: v[f] for f in ("points", "max_points", "status")} for k, v in sorted(ex.items())},
            "points": sum(v["points"] for v in ex.values()), "max_points": sum(v["max_points"] for v in ex.values()),
            "errors": errors}
