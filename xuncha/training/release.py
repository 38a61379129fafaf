"""Trainee versions of the training notebooks, and the structure check behind ``xuncha notebooks check``.

Source notebooks follow nbgrader's grammar: a Markdown prompt ``### 练习 N.M 标题（P 分）``; the model answer
between ``### BEGIN SOLUTION`` / ``### END SOLUTION`` in an answer cell (``<!-- BEGIN SOLUTION -->`` /
``<!-- END SOLUTION -->`` in Markdown); a check cell that starts with a one-line docstring and calls
``grader.grade("N.M", …)`` or ``grader.choice("N.M", …)``, with hidden checks between
``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS``; stable cell ids. A trainee version replaces each
solution region by an empty answer of the same shape (so it runs and reports 「未完成」), drops hidden tests and
every output, and keeps the cell ids."""
import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, XunchaError

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_MD, END_MD = "<!-- BEGIN SOLUTION -->", "<!-- END SOLUTION -->"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
CHECK_OUTPUT = "# NBVAL_CHECK_OUTPUT"
MD_STUB = "*（在这里写下你的想法。参考要点在培训师版本中，讨论时讲解。）*"
PROMPT_RE = re.compile(r"^#{2,4}\s*练习\s*([0-9]+\.[0-9]+)\b.*?[（(]\s*([0-9]+(?:\.[0-9]+)?)\s*分\s*[）)]", re.M)
GRADE_RE = re.compile(r"""grader\.(?:grade|choice)\(\s*["']([0-9]+\.[0-9]+)["']""")
ID_RE = re.compile(r"^[a-zA-Z0-9-_]{1,64}$")
TRAINEE_DIR = "trainee"


class NotebookError(XunchaError):
    """A source notebook breaks the exercise grammar; the message names the notebook, the cell and the fix."""


@dataclass
class Problem:
    notebook: str
    cell: str
    message: str
    fatal: bool = False  # release refuses to write trainee versions (broken file, ids, solution regions)

    def __str__(self):
        return f"{self.notebook}#{self.cell}: {self.message}" if self.cell else f"{self.notebook}: {self.message}"


def read_notebook(path):
    import warnings

    import nbformat
    path = Path(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nbformat "repairs" duplicate ids with a warning; we report them
            return nbformat.read(path, as_version=4)
    except (json.JSONDecodeError, UnicodeDecodeError, nbformat.reader.NotJSONError) as e:
        raise InputError(f"{path}：不是有效的笔记本文件（{type(e).__name__}）") from None
    except OSError as e:
        raise InputError(f"{path}：无法读取（{e.strerror}）") from None


def write_notebook(nb, path):
    import nbformat
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    nbformat.write(nb, tmp)
    tmp.replace(path)


def source_notebooks(folder):
    """The numbered source notebooks of a folder (``NN-标题.ipynb``), in order."""
    return sorted(p for p in Path(folder).glob("[0-9][0-9]-*.ipynb") if p.is_file())


# ---- regions ----------------------------------------------------------------------------------

def regions(lines, begin, end, where):
    """[(i, j)]: line indexes of each begin/end marker pair. Raises NotebookError on unbalanced markers."""
    out, start = [], None
    for i, line in enumerate(lines):
        s = line.strip()
        if s == begin:
            if start is not None:
                raise NotebookError(f"{where}：第 {i + 1} 行的「{begin}」前一个区域还没有结束；请补上「{end}」")
            start = i
        elif s == end:
            if start is None:
                raise NotebookError(f"{where}：第 {i + 1} 行的「{end}」前面没有「{begin}」")
            out.append((start, i))
            start = None
    if start is not None:
        raise NotebookError(f"{where}：第 {start + 1} 行开始的区域缺少「{end}」")
    return out


def _stub_value(node, indent):
    pad = " " * (indent + 4)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return '"""\n\n"""' if "\n" in node.value else '""'
    if isinstance(node, ast.Dict) and all(isinstance(k, ast.Constant) for k in node.keys):
        items = [f"{pad}{json.dumps(k.value, ensure_ascii=False)}: {_stub_value(v, indent + 4)}," for k, v in
                 zip(node.keys, node.values)]
        return "{\n" + "\n".join(items) + "\n" + " " * indent + "}"
    if isinstance(node, (ast.List, ast.Tuple)):
        if node.elts and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
            return "[\n" + "\n".join(f'{pad}"",' for _ in node.elts) + "\n" + " " * indent + "]"
        if node.elts and all(isinstance(e, ast.Dict) for e in node.elts):
            return "[\n" + "\n".join(f"{pad}{_stub_value(e, indent + 4)}," for e in node.elts) + "\n" + " " * indent + "]"
        return "[]"
    return "TODO"


def stub_for(code, where="答题单元格"):
    """The empty answer that replaces a solution region: each assigned name gets a blank of the same shape."""
    import textwrap
    body = textwrap.dedent(code)
    indent = len(code) - len(code.lstrip(" ")) if code.strip() else 0
    try:
        tree = ast.parse(body)
    except SyntaxError as e:
        raise NotebookError(f"{where}：参考答案不是合法的 Python（第 {e.lineno} 行）；请修正后再生成学员版") from None
    out = []
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            for name in names:
                out.append(f"{name} = {_stub_value(node.value, 0)}" if node.value is not None else f"{name} = TODO")
    if not out:
        out.append("# 在这里写下你的代码")
    return textwrap.indent("\n".join(out), " " * indent).splitlines()


def _strip_region_lines(lines, spans, replace):
    out, pos = [], 0
    for i, j in spans:
        out.extend(lines[pos:i])
        out.extend(replace(lines[i + 1:j]))
        pos = j + 1
    out.extend(lines[pos:])
    return out


def trainee_source(cell, where):
    """The trainee version of one cell's source."""
    lines = cell.source.split("\n")
    if cell.cell_type == "code":
        lines = _strip_region_lines(lines, regions(lines, BEGIN, END, where),
                                    lambda body: stub_for("\n".join(body), where))
        lines = _strip_region_lines(lines, regions(lines, BEGIN_HIDDEN, END_HIDDEN, where), lambda body: [])
    elif cell.cell_type == "markdown":
        for b, e in ((BEGIN_MD, END_MD), (BEGIN, END)):
            lines = _strip_region_lines(lines, regions(lines, b, e, where), lambda body: [MD_STUB])
    return "\n".join(lines)


def clear_outputs(cell):
    if cell.cell_type == "code":
        cell.outputs = []
        cell.execution_count = None


def make_trainee(nb, name="笔记本"):
    """A trainee version of a source notebook (a new notebook; the source is not changed)."""
    import copy
    out = copy.deepcopy(nb)
    for i, cell in enumerate(out.cells):
        where = f"{name} 第 {i + 1} 个单元格（id {cell.get('id', '?')}）"
        cell.source = trainee_source(cell, where)
        clear_outputs(cell)
    out.metadata.setdefault("xuncha", {})
    out.metadata["xuncha"] = dict(out.metadata["xuncha"], version="trainee", source=name)
    return out


def release(src_dir, out_dir=None, names=None):
    """Write trainee versions of the source notebooks in ``src_dir`` to ``out_dir`` (default
    ``src_dir/trainee``). Returns the written paths. Every notebook is checked first: nothing is written
    if any of them breaks the exercise grammar."""
    src_dir = Path(src_dir)
    out_dir = Path(out_dir) if out_dir else src_dir / TRAINEE_DIR
    paths = source_notebooks(src_dir)
    if names:
        wanted = {n if n.endswith(".ipynb") else f"{n}.ipynb" for n in names}
        unknown = wanted - {p.name for p in paths}
        if unknown:
            raise InputError(f"{src_dir} 中没有笔记本：{'、'.join(sorted(unknown))}")
        paths = [p for p in paths if p.name in wanted]
    if not paths:
        raise InputError(f"{src_dir} 中没有编号笔记本（NN-标题.ipynb）")
    fatal = [str(pr) for p in paths for pr in check_notebook(p) if pr.fatal]
    if fatal:
        raise NotebookError("源笔记本有问题，未生成学员版：\n" + "\n".join(fatal))
    made = [(p, make_trainee(read_notebook(p), p.name)) for p in paths]
    written = []
    for p, nb in made:
        dst = out_dir / p.name
        write_notebook(nb, dst)
        written.append(dst)
    return written


# ---- structure check --------------------------------------------------------------------------

def exercises(nb):
    """{exercise: points} from the prompts, and {exercise: cell id} of the check cells."""
    prompts, checks = {}, {}
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for m in PROMPT_RE.finditer(cell.source):
                prompts[m.group(1)] = float(m.group(2))
        elif cell.cell_type == "code":
            for m in GRADE_RE.finditer(cell.source):
                checks[m.group(1)] = cell.get("id")
    return prompts, checks


def check_notebook(path):
    """Every problem of one source notebook, as a list of :class:`Problem`."""
    import nbformat
    path = Path(path)
    name = path.name
    problems = []
    try:
        nb = read_notebook(path)
    except InputError as e:
        return [Problem(name, "", str(e), fatal=True)]
    import copy
    try:
        nbformat.validate(copy.deepcopy(nb))  # a copy: validation may "repair" duplicate ids we report below
    except nbformat.ValidationError as e:
        problems.append(Problem(name, "", f"不符合 nbformat 格式：{e.message}"))
    if (nb.metadata.get("kernelspec") or {}).get("name") != "python3":
        problems.append(Problem(name, "", "kernelspec 应为 python3（xuncha lab 会让它指向项目的 Python）"))
    try:  # ids as written: nbformat.read silently replaces missing or duplicate ones
        raw_ids = [c.get("id") for c in json.loads(path.read_text(encoding="utf-8")).get("cells", [])]
    except (ValueError, AttributeError):
        raw_ids = []
    seen = set()
    for i, cid in enumerate(raw_ids):
        label = cid or f"第{i + 1}个单元格"
        if not isinstance(cid, str) or not ID_RE.match(cid):
            problems.append(Problem(name, label, "单元格缺少稳定的 id（nbformat 4.5）", fatal=True))
        elif cid in seen:
            problems.append(Problem(name, label, "单元格 id 重复", fatal=True))
        seen.add(cid)
    for i, cell in enumerate(nb.cells):
        label = (raw_ids[i] if i < len(raw_ids) and raw_ids[i] else None) or f"第{i + 1}个单元格"
        try:
            trainee_source(cell, f"{name}#{label}")
        except NotebookError as e:
            problems.append(Problem(name, label, str(e).split("：", 1)[-1], fatal=True))
        if cell.cell_type == "code":
            src = cell.source
            first = src.lstrip().split("\n", 1)[0]
            if cell.get("outputs") and not src.startswith(CHECK_OUTPUT):
                problems.append(Problem(name, label, "提交了多余的输出；用 xuncha notebooks check --strip 清除"))
            if cell.get("execution_count") is not None and not src.startswith(CHECK_OUTPUT):
                problems.append(Problem(name, label, "保留了执行序号；用 xuncha notebooks check --strip 清除"))
            if GRADE_RE.search(src) and not re.match(r'^("""|\'\'\')[^\n]+("""|\'\'\')\s*$', first):
                problems.append(Problem(name, label, "检查单元格应以一行文档字符串开头，如 \"\"\"检查 练习 1.1：…\"\"\""))
            if BEGIN_HIDDEN in src and not GRADE_RE.search(src):
                problems.append(Problem(name, label, "隐藏检查只能写在检查单元格里"))
            if BEGIN in src and GRADE_RE.search(src):
                problems.append(Problem(name, label, "参考答案和检查要分成两个单元格"))
    prompts, checks = exercises(nb)
    for ex in sorted(set(prompts) - set(checks)):
        problems.append(Problem(name, "", f"练习 {ex} 有题目但没有检查单元格"))
    for ex in sorted(set(checks) - set(prompts)):
        problems.append(Problem(name, checks[ex] or "", f"练习 {ex} 有检查但没有题目（题目标题应为「### 练习 {ex} 标题（N 分）」）"))
    return problems


def strip_outputs(path):
    """Remove stray outputs and execution counts in place (outputs of ``# NBVAL_CHECK_OUTPUT`` cells stay).
    Returns True if the file changed."""
    nb = read_notebook(path)
    changed = False
    for cell in nb.cells:
        if cell.cell_type != "code" or cell.source.startswith(CHECK_OUTPUT):
            continue  # nbval compares these outputs (and needs their execution count)
        if cell.get("outputs"):
            cell.outputs = []
            changed = True
        if cell.get("execution_count") is not None:
            cell.execution_count = None
            changed = True
    if changed:
        write_notebook(nb, path)
    return changed
