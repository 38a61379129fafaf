"""Small display objects for the lessons: search hits and records as Markdown tables in JupyterLab, plain
text elsewhere. They format data the knowledge base returned; they never query it themselves."""
from ..vocab import FOCUS_SHORT, KIND_CN


class Markdown:
    """Markdown for JupyterLab, with a plain-text fallback (``str``)."""

    def __init__(self, markdown, text=None):
        self.markdown = markdown
        self.text = text if text is not None else markdown

    def _repr_markdown_(self):
        return self.markdown

    def __str__(self):
        return self.text

    __repr__ = __str__


def _cell(s):
    return str(s).replace("|", "｜").replace("\n", " ")


def table(rows, headers):
    """A Markdown table of ``rows`` (lists of values)."""
    md = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    md += ["| " + " | ".join(_cell(v) for v in r) + " |" for r in rows]
    text = ["\t".join(headers)] + ["\t".join(str(v) for v in r) for r in rows]
    return Markdown("\n".join(md), "\n".join(text))


def _status(h):
    s = h.get("status") or ""
    if s and h.get("status_assumed"):
        s += "（推定）"
    if h.get("kind") == "article" and not h.get("number_verified"):
        s += " · 条号待核"
    return s


def hits_table(hits, snippet=True):
    """Search hits as a table: rank, citation or title, kind, 效力/聚焦, ID (and the highlighted snippet)."""
    rows = []
    for i, h in enumerate(hits, 1):
        head = h.get("citation") or h.get("title") or h["id"]
        if h.get("citation") and h.get("title"):
            head = f"{h['citation']}<br>{h['title']}"
        extra = _status(h) or (("聚焦：" + FOCUS_SHORT.get(h["focus"], h["focus"])) if h.get("focus") else "")
        row = [i, head, KIND_CN.get(h["kind"], h["kind"]), extra, h["id"]]
        if snippet:
            row.append((h.get("snippet") or "").replace("【", "**").replace("】", "**"))
        rows.append(row)
    headers = ["#", "引用 / 标题", "类型", "效力 / 聚焦", "编号"] + (["片段"] if snippet else [])
    out = table(rows, headers)
    notes = list(getattr(hits, "notes", [])) + [f"您是不是要找：{'、'.join(hits.suggestions)}"
                                                 for _ in [0] if getattr(hits, "suggestions", None)]
    if not hits:
        return Markdown("（没有检索到结果）" + "".join(f"\n\n{n}" for n in notes))
    if notes:
        out = Markdown(out.markdown + "".join(f"\n\n> {n}" for n in notes), out.text + "".join(f"\n{n}" for n in notes))
    return out


FIELDS = {
    "article": [("citation", "引用"), ("status", "效力"), ("number_verified", "条号"), ("digest", "要点"),
                ("look_for", "巡察关注点"), ("previous", "旧版条号")],
    "finding": [("title", "问题"), ("focus_name", "聚焦"), ("subject", "对象"), ("time", "时间"), ("facts", "事实"),
                ("qualification", "定性"), ("basis", "依据")],
    "checklist_item": [("check", "检查什么"), ("focus_name", "聚焦"), ("point", "监督重点"), ("sources", "看哪些材料"),
                       ("symptoms", "表现形式"), ("basis", "定性依据"), ("methods", "适用方法")],
    "method": [("name", "方法"), ("purpose", "用途"), ("when", "何时用"), ("steps", "步骤"), ("mistakes", "常见错误"),
               ("discipline", "纪律")],
}


def _value(key, v):
    if key == "number_verified":
        return "已核实" if v else "条号待核（引用前请核对正式文本）"
    if key == "previous" and isinstance(v, dict):
        return v.get("citation") or v.get("id")
    if isinstance(v, list):
        return "；".join(str(x).rstrip("。；;") for x in v)
    return v


def record(entry, fields=None, kb=None):
    """One record (as ``kb.get`` returns it) as a two-column table of its main fields. With ``kb``, the IDs in
    定性依据 are shown as citations."""
    keys = fields or FIELDS.get(entry.get("kind"), [("title", "标题")])
    keys = [(k, k) if isinstance(k, str) else k for k in keys]

    def val(k):
        v = entry.get(k)
        if k == "basis" and kb is not None and isinstance(v, list):
            v = [_citation(kb, b) for b in v]
        return _value(k, v)
    rows = [[label, val(k)] for k, label in keys if entry.get(k) not in (None, "", [], {})]
    return table(rows, ["项目", "内容"])


def _citation(kb, rid):
    try:
        return kb.get(rid).get("citation") or rid
    except Exception:
        return rid


SEVERITY_CN = {"error": "错误", "warning": "警告", "info": "提示"}


def lint_table(issues):
    """The drafting linter's findings (``xuncha.drafting.lint``) as a table: rule, severity, message, excerpt, hint."""
    if not issues:
        return Markdown("✅ 没有发现问题。", "没有发现问题。")
    rows = [[i["rule"], SEVERITY_CN.get(i["severity"], i["severity"]), i["message"], i.get("excerpt", ""), i.get("hint", "")]
            for i in issues]
    return table(rows, ["规则", "级别", "问题", "原文", "修改提示"])
