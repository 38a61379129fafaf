"""Split a study material (a speech, an experience report, a training handout) into sections by its
heading hierarchy: 一、 / （一） / 1. / （1） (and Word heading styles), then 一是…二是… inside a paragraph.

Levels are assigned in the order the marker kinds first appear, as in the document itself: a talk that
starts at （一） has （一） as its top level."""
import re
from dataclasses import dataclass, field

from .split import ARTICLE_RE, clean, ends_sentence, remove_furniture

_CN = "一二三四五六七八九十"
MARKERS = (
    ("cn", re.compile(f"^([{_CN}]{{1,3}})[、，.．]")),
    ("pcn", re.compile(f"^[（(]([{_CN}]{{1,3}})[）)]")),
    ("num", re.compile(r"^([0-9]{1,2})[.．、](?![0-9])")),
    ("pnum", re.compile(r"^[（(]([0-9]{1,2})[）)]")),
)
_STYLE_RE = re.compile(r"^(?:Heading|标题)\s*([1-6])$", re.I)
_SHI_RE = re.compile(f"(?:^|(?<=[。；！？：，,;:\n]))([{_CN}])是")
TITLE_MAX = 40


@dataclass
class MaterialDoc:
    name: str
    title: str
    sections: list = field(default_factory=list)   # {title, path, text, line, level}
    warnings: list = field(default_factory=list)

    def counts(self):
        levels = {}   # level -> number of sections; keys are text so the counts survive YAML as written
        for s in sorted(self.sections, key=lambda s: s["level"]):
            levels[str(s["level"])] = levels.get(str(s["level"]), 0) + 1
        return {"节": len(self.sections), "层级": levels, "字数": sum(len(s["text"]) for s in self.sections)}


def _marker(text, style=""):
    m = _STYLE_RE.match(style or "")
    if m and text:
        return f"style{m.group(1)}", text
    for kind, rx in MARKERS:
        if rx.match(text):
            return kind, text
    return None


def _split_heading(line):
    """'（一）夯实主体责任。一是…' -> ('（一）夯实主体责任', '一是…')."""
    m = re.search(r"[。！？：；;:]", line)
    if m and m.start() <= TITLE_MAX:
        return line[:m.start()], line[m.end():].strip()
    if len(line) <= TITLE_MAX + 10 and not ends_sentence(line):
        return line, ""
    cut = line.find("，")
    if 0 < cut <= TITLE_MAX:
        return line[:cut], line
    return line[:24] + "…", line


def _shi_items(text):
    """Split 「…：一是A。二是B。三是C。」 into (intro, [(title, text)…]) when there are at least two in order."""
    chain, want = [], 1
    for m in _SHI_RE.finditer(text):
        if _CN.index(m.group(1)) + 1 == want:
            chain.append(m.start())
            want += 1
    if len(chain) < 2:
        return text, []
    items = []
    for i, start in enumerate(chain):
        seg = text[start: chain[i + 1] if i + 1 < len(chain) else len(text)].strip()
        m = re.search(r"[。；！？，,;]", seg)
        head = seg[:m.start()] if m and m.start() <= 22 else seg[:16] + "…"
        items.append((head, seg))
    return text[:chain[0]].strip(), items


def split_material(source, title=None):
    """Split a :class:`~xuncha.importer.readers.Source` into a :class:`MaterialDoc`."""
    lines = [(ln.loc, clean(ln.text), ln.page, ln.style) for ln in source.lines]
    kept, removed = remove_furniture([(loc, t, p) for loc, t, p, _ in lines])
    styles = {loc: st for loc, _, _, st in lines}
    lines = [(loc, t, styles.get(loc, "")) for loc, t, _ in kept if t]
    doc = MaterialDoc(source.name, title or "")
    if removed:
        doc.warnings.append(f"已去除页眉、页脚和页码 {removed} 行")
    if not title and lines and len(lines[0][1]) <= 50 and not ends_sentence(lines[0][1]) and not _marker(lines[0][1]):
        doc.title = lines[0][1]
        lines = lines[1:]
    if not doc.title:
        first = lines[0][1] if lines else source.name
        m = re.search(r"[，。；！？,;]", first)
        doc.title = (first[:m.start()] if m and m.start() <= 30 else first[:24]) + "…"
        doc.warnings.append(f"没有找到标题行，暂以「{doc.title}」为题；可用 --title 指定")
    if sum(1 for _, t, _ in lines if ARTICLE_RE.match(t)) >= 3:
        doc.warnings.append("文中有多处「第X条」，像是一份法规或制度；如要导入其正式文本，请去掉 --material")
    stack = []           # [(kind, title)]
    sections = []
    cur = {"title": f"{doc.title}（开头部分）", "path": [], "lines": [], "line": lines[0][0] if lines else "", "level": 0}
    for loc, t, style in lines:
        mk = _marker(t, style)
        if mk:
            kind = mk[0]
            kinds = [k for k, _ in stack]
            if kind in kinds:
                del stack[kinds.index(kind):]
            head, rest = _split_heading(t)
            sections.append(cur)
            cur = {"title": head, "path": [h for _, h in stack], "lines": [rest] if rest else [], "line": loc,
                   "level": len(stack) + 1}
            stack.append((kind, head))
        else:
            cur["lines"].append(t)
    sections.append(cur)
    for s in sections:
        text = "\n".join(s.pop("lines")).strip()
        intro, items = _shi_items(text)
        if items:
            if intro:
                doc.sections.append(dict(s, text=intro))
            for head, seg in items:
                doc.sections.append({"title": head, "path": s["path"] + [s["title"]], "text": seg, "line": s["line"],
                                     "level": s["level"] + 1})
        elif text:
            doc.sections.append(dict(s, text=text))
    if not any(s["level"] for s in doc.sections):
        doc.warnings.append("没有识别到标题层级（一、 （一） 1. 一是），全文作为一节导入")
    if not doc.sections:
        from .errors import ImportFileError
        raise ImportFileError(source.name, "只有标题没有正文", hint="请确认文件内容完整")
    return doc
