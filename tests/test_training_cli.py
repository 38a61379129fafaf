"""xuncha notebooks release / check / scores, and xuncha lab's command line."""
import json
import shutil

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from conftest import REPO


@pytest.fixture
def project(tmp_path):
    """A project root with a notebooks/ folder holding one small source notebook."""
    root = tmp_path / "proj"
    (root / "notebooks").mkdir(parents=True)
    (root / "regulations").mkdir()
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    nb = new_notebook(cells=[
        new_markdown_cell("### 练习 1.1　题目（1 分）", id="p"),
        new_code_cell('### BEGIN SOLUTION\na = "答案内容"\n### END SOLUTION', id="a"),
        new_code_cell('"""检查 练习 1.1"""\ngrader.grade("1.1", a, [])', id="c"),
    ])
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(nb, root / "notebooks" / "01-测试.ipynb")
    return root


@pytest.fixture
def scores(tmp_path, monkeypatch):
    path = tmp_path / "scores.json"
    monkeypatch.setenv("XUNCHA_SCORES", str(path))
    return path


def test_release(run, project):
    code, out, err = run("notebooks", "release", root=project)
    assert code == 0, err
    assert out.splitlines()[0] == "已生成 01-测试.ipynb"
    assert "学员版共 1 个" in out
    text = (project / "notebooks" / "trainee" / "01-测试.ipynb").read_text(encoding="utf-8")
    assert "答案内容" not in text and "BEGIN SOLUTION" not in text


def test_release_json_and_out(run, project, tmp_path):
    code, out, _ = run("notebooks", "release", "--json", "--out", tmp_path / "o", "01-测试", root=project)
    assert code == 0 and json.loads(out) == [str(tmp_path / "o" / "01-测试.ipynb")]


def test_release_unknown_notebook(run, project):
    code, out, err = run("notebooks", "release", "09-没有", root=project)
    assert code == 1 and out == "" and "没有笔记本：09-没有.ipynb" in err and "Traceback" not in err


def test_release_broken_notebook_is_one_line(run, project):
    p = project / "notebooks" / "01-测试.ipynb"
    p.write_text(p.read_text(encoding="utf-8").replace("### END SOLUTION", ""), encoding="utf-8")
    code, out, err = run("notebooks", "release", root=project)
    assert code == 1 and "缺少「### END SOLUTION」" in err and "Traceback" not in err
    assert not (project / "notebooks" / "trainee").exists()


def test_check_and_strip(run, project):
    code, out, _ = run("notebooks", "check", root=project)
    assert code == 0 and out == "检查通过：1 个笔记本的题目、参考答案区域、检查单元格和单元格 id 均符合要求。\n"
    p = project / "notebooks" / "01-测试.ipynb"
    nb = nbformat.read(p, as_version=4)
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="x")]
    nbformat.write(nb, p)
    code, out, _ = run("notebooks", "check", root=project)
    assert code == 1 and "01-测试.ipynb#a: 提交了多余的输出" in out and "检查未通过：1 处问题。" in out
    code, out, _ = run("notebooks", "check", "--strip", root=project)
    assert code == 0 and out.startswith("已清除 01-测试.ipynb 中多余的输出")


def test_check_json(run, project):
    code, out, _ = run("notebooks", "check", "--json", root=project)
    assert code == 0 and json.loads(out) == {"notebooks": ["01-测试.ipynb"], "stripped": [], "problems": []}


def test_no_notebooks_folder(run, tmp_path):
    (tmp_path / "regulations").mkdir()
    code, _, err = run("notebooks", "check", root=tmp_path)
    assert code == 1 and "下没有 notebooks/ 目录" in err


def test_scores_empty_then_recorded(run, scores):
    code, out, _ = run("notebooks", "scores")
    assert code == 0 and out.startswith("还没有成绩")
    from xuncha.training import Grader, checks as C
    g = Grader("01-甲", store=None, strict=False)
    from xuncha.training.scores import ScoreStore
    g.store = ScoreStore(scores)
    g.grade("1.1", "甲", [C.mentions("有甲", "甲", points=2), C.mentions("有乙", "乙")], hidden=1)
    code, out, _ = run("notebooks", "scores", "--name", "第1组-3号")
    assert code == 0
    assert "学员：第1组-3号" in out
    assert "  01-甲：2/3 分（完成 1/1 题，另有 1 分待培训师评阅）" in out and "合计 2/3 分。" in out
    code, out, _ = run("notebooks", "scores", "--json")
    data = json.loads(out)
    assert data["trainee"] == "第1组-3号" and data["notebooks"][0]["points"] == 2


def test_scores_chart(run, scores, tmp_path):
    scores.write_text(json.dumps({"notebooks": {"01-甲": {"exercises": {"1.1": {"points": 1, "max_points": 2}}}}}),
                      encoding="utf-8")
    code, _, err = run("notebooks", "scores", "--chart", tmp_path / "c.png")
    assert code == 0 and "得分图已保存" in err and (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"


def test_scores_class_table(run, tmp_path, scores):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps({"trainee": "甲座", "notebooks": {"01-x": {"exercises": {"1.1": {"points": 1, "max_points": 2}}},
                                                             "02-y": {"exercises": {"2.1": {"points": 3, "max_points": 3}}}}}),
                 encoding="utf-8")
    b.write_text(json.dumps({"notebooks": {"01-x": {"exercises": {"1.1": {"points": 2, "max_points": 2}}}}}), encoding="utf-8")
    code, out, _ = run("notebooks", "scores", a, b)
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "学员\t01\t02\t合计"
    assert lines[1] == "甲座\t1/2\t3/3\t4/5"
    assert lines[2] == "b\t2/2\t—\t2/2"
    assert lines[3].startswith("共 2 名学员。")


def test_scores_bad_file_and_bad_combination(run, tmp_path, scores):
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    code, _, err = run("notebooks", "scores", bad)
    assert code == 1 and "成绩文件已损坏" in err and "Traceback" not in err
    code, _, err = run("notebooks", "scores", bad, "--reset")
    assert code == 1 and "只用于自己的成绩" in err


def test_scores_reset(run, scores):
    scores.write_text(json.dumps({"notebooks": {"01-x": {"exercises": {}}}}), encoding="utf-8")
    code, out, _ = run("notebooks", "scores", "--reset")
    assert code == 0 and json.loads(scores.read_text(encoding="utf-8"))["notebooks"] == {}


def test_lab_command_and_kernelspec(tmp_path):
    from xuncha.training.lab import lab_command, lab_env, write_kernelspec
    import sys
    kdir = write_kernelspec(tmp_path, root=REPO)
    spec = json.loads((kdir / "kernel.json").read_text(encoding="utf-8"))
    assert spec["argv"][0] == sys.executable and spec["env"] == {"XUNCHA_ROOT": str(REPO)}
    assert kdir == tmp_path / "kernels" / "python3"
    argv = lab_command(REPO / "notebooks", port=9999, token="t")
    assert argv[:3] == [sys.executable, "-m", "jupyterlab"]
    assert "--ServerApp.open_browser=False" in argv and "--ServerApp.ip=127.0.0.1" in argv
    assert "--ServerApp.port=9999" in argv and "--IdentityProvider.token=t" in argv
    assert "--ServerApp.open_browser=True" in lab_command(REPO, browser=True)
    env = lab_env(tmp_path, base={"JUPYTER_PATH": "/x"})
    assert env["JUPYTER_PATH"].split(":")[0] == str(tmp_path) and env["JUPYTER_PATH"].endswith("/x")


def test_lab_help_mentions_no_browser(run):
    code, out, _ = run("lab", "-h")
    assert code == 0 and "默认不打开浏览器" in out and "--trainee" in out


def test_lab_missing_dir(run, project):
    code, _, err = run("lab", "--dir", project / "nope", root=project)
    assert code == 1 and "目录不存在" in err


def test_grade_runs_hidden_checks_on_a_trainees_answers(run, tmp_path, monkeypatch):
    """The trainer's grade puts the trainee's answers into the source notebook (by cell id) and runs every check."""
    root = tmp_path / "proj"
    (root / "notebooks").mkdir(parents=True)
    (root / "regulations").mkdir()
    nb = new_notebook(cells=[
        new_code_cell('from xuncha.training import Grader, checks as C\ngrader = Grader("01-评阅")', id="setup"),
        new_markdown_cell("### 练习 1.1　写两个字（2 分）", id="p"),
        new_code_cell('### BEGIN SOLUTION\na = "甲乙"\n### END SOLUTION', id="a"),
        new_code_cell('"""检查 练习 1.1"""\ngrader.grade("1.1", a, [\n    C.mentions("有甲", "甲"),\n'
                      '### BEGIN HIDDEN TESTS\n    C.hidden(C.mentions("有乙", "乙")),\n### END HIDDEN TESTS\n], hidden=1)',
                      id="c"),
    ])
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(nb, root / "notebooks" / "01-评阅.ipynb")
    from xuncha.training.release import release
    [trainee] = release(root / "notebooks", tmp_path / "handed-in")
    t = nbformat.read(trainee, as_version=4)
    t.cells[2].source = 'a = "甲丙"'
    nbformat.write(t, trainee)
    before = trainee.read_text(encoding="utf-8")
    monkeypatch.delenv("XUNCHA_TRAINING_STRICT", raising=False)
    code, out, err = run("notebooks", "grade", "--json", trainee, root=root)
    assert code == 0, err
    [r] = json.loads(out)
    assert r["notebook"] == "01-评阅" and r["answers"] == 1 and r["errors"] == []
    assert r["exercises"] == {"1.1": {"points": 1, "max_points": 2, "status": "部分通过"}}
    assert trainee.read_text(encoding="utf-8") == before


def test_grade_unknown_source(run, project, tmp_path):
    stray = tmp_path / "09-别的.ipynb"
    nbformat.write(new_notebook(cells=[]), stray)
    code, _, err = run("notebooks", "grade", stray, root=project)
    assert code == 1 and "找不到对应的源笔记本「09-别的.ipynb」" in err
