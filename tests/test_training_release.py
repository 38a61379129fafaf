"""Trainee versions (nbgrader grammar) and the notebook structure check."""
import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from xuncha.training.release import (NotebookError, check_notebook, make_trainee, release, source_notebooks,
                                     strip_outputs, stub_for)

from conftest import REPO

NOTEBOOKS = REPO / "notebooks"


def nb_with(*cells):
    nb = new_notebook(cells=list(cells))
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    return nb


def good_notebook():
    return nb_with(
        new_markdown_cell("### 练习 1.1　找依据（3 分）\n\n写出编号。", id="ex-1-1-prompt"),
        new_code_cell('# 练习 1.1\n### BEGIN SOLUTION\nanswer_1_1 = "jilv-2023#113"\n### END SOLUTION', id="ex-1-1-answer"),
        new_code_cell('"""检查 练习 1.1：依据"""\ngrader.grade("1.1", answer_1_1, [\n    C.mentions("a", "a"),\n'
                      '### BEGIN HIDDEN TESTS\n    C.hidden(C.mentions("秘密检查", "b")),\n### END HIDDEN TESTS\n'
                      '], hidden=1)', id="ex-1-1-check"),
        new_markdown_cell("讨论：\n<!-- BEGIN SOLUTION -->\n要点：先看时间。\n<!-- END SOLUTION -->", id="talk"),
    )


def write(nb, path):
    nbformat.write(nb, path)
    return path


# ---- stubs ------------------------------------------------------------------------------------

@pytest.mark.parametrize("code,stub", [
    ('a = "jilv-2023#113"', ['a = ""']),
    ('a = """\n第一行\n第二行\n"""', ['a = """', '', '"""']),
    ('a = ["x", "y"]', ['a = [', '    "",', '    "",', ']']),
    ('a = {"事实": "x", "依据": ["y"]}', ['a = {', '    "事实": "",', '    "依据": [', '        "",', '    ],', '}']),
    ('a = kb.search("x")', ['a = TODO']),
    ('a = [{"k": "x"}, {"k": "y"}]', ['a = [', '    {', '        "k": "",', '    },', '    {', '        "k": "",', '    },', ']']),
    ('a = 3\nb = ("x", 1)', ['a = TODO', 'b = []']),
    ('print(1)', ['# 在这里写下你的代码']),
])
def test_stub_shapes(code, stub):
    assert stub_for(code) == stub


def test_stub_keeps_indentation():
    assert stub_for('    a = "x"') == ['    a = ""']


def test_stub_of_invalid_python_names_the_cell():
    with pytest.raises(NotebookError, match="某单元格：参考答案不是合法的 Python"):
        stub_for("a = (", where="某单元格")


# ---- trainee version --------------------------------------------------------------------------

def test_make_trainee_replaces_solutions_and_hidden_tests():
    src = good_notebook()
    src.cells[1].outputs = [nbformat.v4.new_output("stream", text="x")]
    src.cells[1].execution_count = 4
    out = make_trainee(src, "t.ipynb")
    answer, check, talk = out.cells[1].source, out.cells[2].source, out.cells[3].source
    assert answer == '# 练习 1.1\nanswer_1_1 = ""'
    assert "秘密检查" not in check and "BEGIN HIDDEN" not in check and "hidden=1" in check
    assert "先看时间" not in talk and "培训师版本" in talk
    assert [c.id for c in out.cells] == [c.id for c in src.cells]
    assert out.cells[1].outputs == [] and out.cells[1].execution_count is None
    assert out.metadata["xuncha"] == {"version": "trainee", "source": "t.ipynb"}
    assert "BEGIN SOLUTION" in src.cells[1].source  # the source is not changed


@pytest.mark.parametrize("source,message", [
    ("### BEGIN SOLUTION\na = 1", "缺少「### END SOLUTION」"),
    ("a = 1\n### END SOLUTION", "前面没有「### BEGIN SOLUTION」"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "前一个区域还没有结束"),
])
def test_unbalanced_markers(source, message):
    with pytest.raises(NotebookError, match=message):
        make_trainee(nb_with(new_code_cell(source, id="c1")), "t.ipynb")


def test_release_writes_all_or_nothing(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    write(good_notebook(), src / "01-甲.ipynb")
    bad = nb_with(new_code_cell("### BEGIN SOLUTION\na = 1", id="c1"))
    write(bad, src / "02-乙.ipynb")
    with pytest.raises(NotebookError, match="02-乙.ipynb#c1.*缺少「### END SOLUTION」"):
        release(src)
    assert not (src / "trainee").exists()
    (src / "02-乙.ipynb").unlink()
    written = release(src)
    assert [p.name for p in written] == ["01-甲.ipynb"] and written[0].parent == src / "trainee"
    with pytest.raises(Exception, match="没有笔记本：03-丙.ipynb"):
        release(src, names=["03-丙"])


def test_release_of_the_real_notebooks_holds_no_answers(tmp_path):
    written = release(NOTEBOOKS, tmp_path)
    assert len(written) == len(source_notebooks(NOTEBOOKS)) >= 2
    for p in written:
        src = nbformat.read(NOTEBOOKS / p.name, as_version=4)
        out = nbformat.read(p, as_version=4)
        nbformat.validate(out)
        assert [c.id for c in out.cells] == [c.id for c in src.cells]
        text = "\n".join(c.source for c in out.cells)
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
        assert all(not c.get("outputs") for c in out.cells if c.cell_type == "code")
        # no model answer text survives (dict keys are the template and stay)
        for c in src.cells:
            for value in answer_strings(c.source):
                assert value not in text or value in visible_elsewhere(src, c), (p.name, value)


def visible_elsewhere(nb, cell):
    return "\n".join(c.source for c in nb.cells if c is not cell)


def answer_strings(source):
    import ast
    if "### BEGIN SOLUTION" not in source:
        return []
    body = source.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
    tree = ast.parse(body)
    keys = {id(k) for n in ast.walk(tree) if isinstance(n, ast.Dict) for k in n.keys}
    return [n.value.strip() for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in keys and len(n.value.strip()) >= 2]


# ---- structure check --------------------------------------------------------------------------

def test_check_accepts_a_good_notebook(tmp_path):
    assert check_notebook(write(good_notebook(), tmp_path / "01-a.ipynb")) == []


def test_check_reports_every_problem(tmp_path):
    nb = good_notebook()
    nb.cells[2].source = nb.cells[2].source.split("\n", 1)[1]          # no docstring
    nb.cells.append(new_markdown_cell("### 练习 1.2　另一题（2 分）", id="ex-1-2-prompt"))
    nb.cells.append(new_code_cell("x = 1", id="ex-1-1-prompt"))          # duplicate id
    out = new_code_cell("print(1)", id="stray")
    out.outputs = [nbformat.v4.new_output("stream", text="1")]
    out.execution_count = 3
    nb.cells.append(out)
    nb.metadata["kernelspec"]["name"] = "other"
    path = tmp_path / "01-a.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")  # nbformat.write would repair the duplicate id
    msgs = [p.message for p in check_notebook(path)]
    assert any("一行文档字符串" in m for m in msgs)
    assert any("练习 1.2 有题目但没有检查单元格" in m for m in msgs)
    assert any("id 重复" in m for m in msgs)
    assert any("多余的输出" in m for m in msgs) and any("执行序号" in m for m in msgs)
    assert any("kernelspec" in m for m in msgs)


def test_check_reports_a_broken_file(tmp_path):
    p = tmp_path / "01-a.ipynb"
    p.write_text("{not json", encoding="utf-8")
    [problem] = check_notebook(p)
    assert "不是有效的笔记本文件" in problem.message


def test_strip_keeps_checked_outputs(tmp_path):
    keep = new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(1)", id="keep")
    keep.outputs = [nbformat.v4.new_output("stream", text="1\n")]
    keep.execution_count = 2
    drop = new_code_cell("print(2)", id="drop")
    drop.outputs = [nbformat.v4.new_output("stream", text="2\n")]
    drop.execution_count = 3
    p = write(nb_with(keep, drop), tmp_path / "01-a.ipynb")
    assert strip_outputs(p) and not strip_outputs(p)
    nb = nbformat.read(p, as_version=4)
    assert nb.cells[0].outputs and nb.cells[0].execution_count == 2
    assert nb.cells[1].outputs == [] and nb.cells[1].execution_count is None


def test_the_shipped_notebooks_pass_the_structure_check():
    problems = [str(p) for nb in source_notebooks(NOTEBOOKS) for p in check_notebook(nb)]
    assert problems == []
