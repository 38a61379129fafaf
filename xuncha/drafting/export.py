"""``export``: a 问题底稿 document (Word .docx or Markdown) in the usual layout.

名称, 编号, 编制日期, 被巡察单位, 问题来源, 问题概要, 事实, 定性, 依据 (each article's citation, its 要点 and
the official text where one was imported), 支撑材料目录, and the 经办人/复核/审签 lines. Fields the draft
does not give are left as blanks to fill in by hand. Output is written atomically and never replaces an
existing file unless ``force`` is set."""
import datetime as dt
import hashlib
import os
import re
import tempfile
from pathlib import Path

from ..errors import InputError
from .citations import find_citations, resolve
from .draft import Draft, parse_draft
from .draft_io import read_draft
from .kbview import view
from .lint import _to_date

FORMATS = {"docx": ".docx", "md": ".md", "markdown": ".md"}
BLANK = "＿＿＿＿＿＿"
NO_TEXT = "（正式文本未导入；请对照正式文本核对原文，可用 xuncha import 导入本单位持有的文本）"


class OutputExistsError(InputError):
    """The output file exists and ``force`` was not given."""


def _draft_of(draft):
    if isinstance(draft, Draft):
        return draft
    if isinstance(draft, os.PathLike) or (isinstance(draft, str) and "\n" not in draft
                                          and re.search(r"\.(ya?ml|md|markdown|txt)$", draft) and Path(draft).is_file()):
        raw = read_draft(draft)
        fmt = {".yaml": "yaml", ".yml": "yaml", ".md": "markdown", ".markdown": "markdown", ".txt": "text"}.get(raw.suffix)
        return parse_draft(raw.text, fmt, raw.name)
    if isinstance(draft, dict):
        import yaml
        return parse_draft(yaml.safe_dump(draft, allow_unicode=True, sort_keys=False), "yaml")
    if isinstance(draft, str):
        if not draft.strip():
            raise InputError("底稿为空，无法导出")
        return parse_draft(draft)
    raise InputError("export() 需要底稿文本、文件路径（Path）、字典或 Draft 对象")


def _lines(value):
    return [x.strip(" -•·\t") for x in re.split(r"[\n；;]+", value or "") if x.strip(" -•·\t")]


def _basis(d, kbv):
    """[{raw, id, citation, digest, text, note}] for the citations in the 依据 field (else the whole draft)."""
    f = d.fields.get("basis")
    text = f.value if f is not None and f.value.strip() else d.text
    out, seen = [], set()
    for c in find_citations(text, kbv):
        resolve(c, kbv)
        e = kbv.get(c.record) if kbv and c.record else None
        key = c.record or c.raw
        if key in seen:
            continue
        seen.add(key)
        if e is not None and c.status == "ok":
            out.append({"raw": c.raw, "id": c.record, "citation": e["citation"], "digest": e.get("digest") or "",
                        "text": e.get("text") or "", "note": ""})
        elif e is not None:  # an old version's article: show the current one it maps to
            out.append({"raw": c.raw, "id": c.record, "citation": c.raw, "digest": e.get("digest") or "",
                        "text": "", "note": f"知识库未收录该版本条文，要点取自现行对应条款{e['citation']}"})
        elif c.kind == "regulation" and kbv and c.regulation:
            reg = kbv.regulations[c.regulation]
            out.append({"raw": c.raw, "id": c.regulation, "citation": reg["citation"], "digest": reg.get("summary") or "",
                        "text": "", "note": "只写到法规名称，建议具体到条款"})
        else:
            note = c.note or ("未连接知识库，未核对" if kbv is None else "知识库未收录，请核对")
            out.append({"raw": c.raw, "id": None, "citation": c.raw, "digest": "", "text": "", "note": note})
    if not out and f is not None and f.value.strip():
        out.append({"raw": f.value.strip(), "id": None, "citation": f.value.strip(), "digest": "", "text": "",
                    "note": "未识别出具体条款，请核对"})
    return out


def build_record(draft, kb=None, *, today=None, meta=None):
    """The 底稿 content as a plain dict (what both formats render). ``meta`` overrides any field."""
    d = _draft_of(draft)
    kbv = view(kb)
    today = _to_date(today)
    title = (d.get("title") or d.get("summary")).strip()
    facts = d.body().value.strip()
    if not title:
        title = re.split(r"[。；\n]", facts, 1)[0][:40]
    number = d.get("number").strip() or "DG-" + today.strftime("%Y%m%d") + "-" + hashlib.sha1(
        (title + facts).encode("utf-8")).hexdigest()[:4].upper()
    methods = d.data.get("methods") if isinstance(d.data, dict) else None
    source = d.get("source").strip()
    if not source and methods and kbv:
        source = "、".join((kbv.get(m) or {}).get("title", m) for m in methods)
    rec = {
        "title": title, "number": number, "date": d.get("date").strip() or today.isoformat(),
        "unit": d.get("unit").strip(), "source": source, "summary": (d.get("summary") or title).strip(),
        "subject": d.get("subject").strip(), "time": d.get("time").strip(), "place": d.get("place").strip(),
        "amount": d.get("amount").strip(), "facts": facts, "qualification": d.get("qualification").strip(),
        "basis": _basis(d, kbv), "materials": _lines(d.get("materials")),
        "handler": d.get("handler").strip(), "reviewer": d.get("reviewer").strip(), "approver": d.get("approver").strip(),
    }
    rec.update({k: v for k, v in (meta or {}).items() if v not in (None, "")})
    return rec


def _paragraphs(text):
    """Blank-line separated paragraphs, with hard line breaks inside a paragraph joined (Chinese text)."""
    return ["".join(line.strip() for line in para.splitlines()) for para in re.split(r"\n\s*\n", text or "") if para.strip()]


def _md(text):
    """Escape what Markdown would eat in user text: the masks ***村, **镇 would turn into bold."""
    return re.sub(r"([*_`|<>\[\]])", r"\\\1", text or "")


def _facts_block(rec):
    lead = [f"{label}：{rec[k]}" for k, label in (("subject", "问题主体"), ("time", "时间"), ("place", "地点"),
                                                  ("amount", "数额或规模")) if rec.get(k)]
    return lead, rec["facts"] or BLANK


def to_markdown(rec):
    out = ["# 问题底稿", "", "| 项目 | 内容 |", "|---|---|"]
    for label, key in (("名称", "title"), ("编号", "number"), ("编制日期", "date"), ("被巡察单位", "unit"),
                       ("问题来源", "source")):
        out.append(f"| {label} | {_md(rec.get(key)) or BLANK} |")
    out += ["", "## 一、问题概要", "", _md(rec["summary"]) or BLANK, "", "## 二、事实", ""]
    lead, facts = _facts_block(rec)
    out += [f"- {_md(x)}" for x in lead] + ([""] if lead else [])
    out += ["\n\n".join(_md(p) for p in _paragraphs(facts)) or BLANK, "", "## 三、定性", ""]
    out += ["\n\n".join(_md(p) for p in _paragraphs(rec["qualification"])) or BLANK, "", "## 四、依据", ""]
    if not rec["basis"]:
        out.append(BLANK)
    for i, b in enumerate(rec["basis"], 1):
        out.append(f"{i}. {_md(b['citation'])}" + (f"（{b['id']}）" if b["id"] and b["id"] not in b["citation"] else ""))
        if b["digest"]:
            out.append(f"   - 要点：{_md(b['digest'])}")
        out.append(f"   - 条文：{_md(b['text']) or NO_TEXT}")
        if b["note"]:
            out.append(f"   - 说明：{_md(b['note'])}")
    out += ["", "## 五、支撑材料目录", ""]
    mats = [_md(m) for m in rec["materials"]] or [f"{BLANK}（材料名称、页码）"] * 3
    out += [f"{i}. {m}" for i, m in enumerate(mats, 1)]
    out += ["", "---", ""]
    for label, key in (("经办人", "handler"), ("复核人（副组长）", "reviewer"), ("审签（组长）", "approver")):
        out.append(f"{label}：{_md(rec.get(key)) or BLANK}　　日期：{BLANK}  ")
    return "\n".join(out) + "\n"


def _set_font(run, name="仿宋", size=14, bold=False):
    from docx.oxml.ns import qn
    from docx.shared import Pt
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _para(doc, text, size=14, bold=False, font="仿宋", align=None, indent=True):
    from docx.shared import Pt
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    p.paragraph_format.space_after = Pt(4)
    _set_font(p.add_run(text), font, size, bold)
    return p


def to_docx(rec, path):
    """Write the record as a Word document to ``path`` (called by :func:`export`)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm
    doc = Document()
    props = doc.core_properties
    props.title, props.author, props.last_modified_by, props.comments = rec["title"], "", "", ""
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6)
    _para(doc, "问题底稿", 22, True, "黑体", WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.autofit = False
    table.columns[0].width, table.columns[1].width = Cm(3.2), Cm(12.4)
    for label, key in (("名称", "title"), ("编号", "number"), ("编制日期", "date"), ("被巡察单位", "unit"),
                       ("问题来源", "source")):
        cells = table.add_row().cells
        cells[0].width, cells[1].width = Cm(3.2), Cm(12.4)
        _set_font(cells[0].paragraphs[0].add_run(label), "黑体", 12)
        _set_font(cells[1].paragraphs[0].add_run(rec.get(key) or BLANK), "仿宋", 12)
    _para(doc, "", 8, indent=False)

    def heading(text):
        _para(doc, text, 16, False, "黑体", indent=False)

    heading("一、问题概要")
    _para(doc, rec["summary"] or BLANK)
    heading("二、事实")
    lead, facts = _facts_block(rec)
    for x in lead:
        _para(doc, x)
    for chunk in _paragraphs(facts):
        _para(doc, chunk)
    heading("三、定性")
    for chunk in _paragraphs(rec["qualification"]) or [BLANK]:
        _para(doc, chunk)
    heading("四、依据")
    if not rec["basis"]:
        _para(doc, BLANK)
    for i, b in enumerate(rec["basis"], 1):
        _para(doc, f"{i}. {b['citation']}", bold=True)
        if b["digest"]:
            _para(doc, f"要点：{b['digest']}", 12)
        _para(doc, f"条文：{b['text'] or NO_TEXT}", 12)
        if b["note"]:
            _para(doc, f"说明：{b['note']}", 12)
    heading("五、支撑材料目录")
    for i, m in enumerate(rec["materials"] or [f"{BLANK}（材料名称、页码）"] * 3, 1):
        _para(doc, f"{i}. {m}", indent=False)
    _para(doc, "", indent=False)
    for label, key in (("经办人", "handler"), ("复核人（副组长）", "reviewer"), ("审签（组长）", "approver")):
        _para(doc, f"{label}：{rec.get(key) or BLANK}　　日期：{BLANK}", indent=False)
    doc.save(str(path))


def _atomic_write(path, writer):
    path = Path(path)
    d = path.parent if str(path.parent) else Path(".")
    if not d.is_dir():
        raise InputError(f"输出目录不存在：{d}")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(d))
    os.close(fd)
    try:
        writer(tmp)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)  # mkstemp makes 0600; the document should get the usual permissions
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def export(draft, fmt, path, *, kb=None, force=False, today=None, meta=None):
    """Write a 问题底稿 for ``draft`` (text, Path, dict or Draft) to ``path`` as ``fmt`` (docx | md).

    ``kb`` fills in article citations, 要点 and imported official texts. Raises InputError when the
    output exists (unless ``force``), its folder is missing, or the format is unknown. Returns the Path."""
    fmt = (fmt or "").lower()
    if fmt not in FORMATS:
        raise InputError(f"不支持的格式「{fmt}」，可选：docx、md")
    path = Path(path)
    if path.exists() and not force:
        raise OutputExistsError(f"输出文件已存在：{path}。如确要覆盖，请加 --force（库函数：force=True）")
    if path.is_dir():
        raise InputError(f"输出路径是一个文件夹：{path}")
    rec = build_record(draft, kb, today=today, meta=meta)
    if fmt == "docx":
        _atomic_write(path, lambda tmp: to_docx(rec, tmp))
    else:
        text = to_markdown(rec)
        _atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    return path


def export_docx(draft, path, **kw):
    return export(draft, "docx", path, **kw)


def export_md(draft, path, **kw):
    return export(draft, "md", path, **kw)
