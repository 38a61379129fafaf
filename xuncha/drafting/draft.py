"""Parse a draft (YAML record, Markdown or plain text) into named fields with character spans.

Every field keeps a map from its value back to offsets in the original text, so a rule that finds
something inside a field can report where it is in the file the inspector wrote."""
import re
from dataclasses import dataclass, field

import yaml

from ..errors import InputError

# canonical field -> labels an inspector may use (YAML keys, Markdown headings, 【】 labels, 「X：」 lines)
LABELS = {
    "title": ["问题标题", "问题名称", "标题", "名称", "题目", "问题", "title"],
    "summary": ["问题概要", "概要", "问题摘要", "summary"],
    "subject": ["问题主体", "责任主体", "涉及人员", "涉及对象", "主体", "责任人", "subject"],
    "time": ["发生时间", "问题时间", "时间", "time"],
    "place": ["发生地点", "地点", "place"],
    "facts": ["基本事实", "具体事实", "问题事实", "主要事实", "事实情况", "问题描述", "具体问题", "事实", "facts", "fact"],
    "amount": ["数额或规模", "涉及金额", "数额", "金额", "规模", "amount"],
    "qualification": ["问题定性", "定性分析", "定性意见", "定性", "qualification"],
    "basis": ["定性依据", "政策依据", "法规依据", "党纪依据", "违反的规定", "依据", "basis"],
    "focus": ["所属聚焦", "聚焦方面", "聚焦", "问题类别", "问题类型", "focus"],
    "discipline": ["问题性质", "纪律类别", "discipline"],
    "unit": ["被巡察单位", "被巡察党组织", "单位", "unit"],
    "source": ["问题来源", "线索来源", "来源", "source"],
    "materials": ["支撑材料目录", "支撑材料", "证据材料", "证据目录", "证据", "附件", "materials", "evidence"],
    "number": ["底稿编号", "编号", "id"],
    "date": ["编制日期", "日期", "date"],
    "handler": ["经办人", "handler"],
    "reviewer": ["复核人", "复核", "reviewer"],
    "approver": ["审签人", "审签", "approver"],
    "unit_type": ["单位类型", "unit_type"],
    "methods": ["发现方式", "methods"],
    "checklist_items": ["检查项", "checklist_items"],
    "keywords": ["关键词", "keywords"],
}
_LABEL_OF = {}
for _canon, _labels in LABELS.items():
    for _l in _labels:
        _LABEL_OF[_l.lower()] = _canon
_LABEL_RE = "|".join(sorted((re.escape(l) for l in _LABEL_OF), key=len, reverse=True))
_ENUM = (r"(?:[-+•·]\s+|\*\s+)?(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十0-9]+[）)]|[0-9]+[、.．)]|[①-⑩])?"
         r"\s*(?:\*\*|__)?\s*")
_KV_RE = re.compile(rf"^\s*{_ENUM}(?P<label>{_LABEL_RE})\s*(?:情况)?\s*(?:\*\*|__)?\s*[：:]\s*(?:\*\*|__)?\s*(?P<rest>.*)$", re.I)
_BRACKET_RE = re.compile(rf"^\s*{_ENUM}[【\[]\s*(?P<label>{_LABEL_RE})\s*(?:情况)?\s*[】\]]\s*[：:]?\s*(?P<rest>.*)$", re.I)
_BARE_RE = re.compile(rf"^\s*{_ENUM}(?P<label>{_LABEL_RE})\s*(?:情况)?\s*(?:\*\*|__)?\s*[：:]?\s*$", re.I)
_HEADING_RE = re.compile(r"^\s{0,3}(?P<hashes>#{1,6})\s*(?P<text>.*?)\s*#*\s*$")


@dataclass
class Field:
    """One field of a draft: ``value`` and, for each character of it, its offset in the draft text."""
    name: str
    value: str
    start: int
    end: int
    offsets: list = None  # None: value == text[start:end]
    label: str = ""

    def pos(self, i):
        """Offset in the draft text of character ``i`` of the value (``i == len(value)`` allowed)."""
        if self.offsets is None:
            return self.start + i
        if not self.offsets:
            return self.start
        if i >= len(self.offsets):
            return min(self.end, self.offsets[-1] + 1)
        return self.offsets[i]

    def span(self, i, j):
        if j <= i:
            return self.pos(i), self.pos(i)
        return self.pos(i), self.pos(j - 1) + 1


@dataclass
class Draft:
    text: str
    format: str                      # yaml | markdown | text
    fields: dict = field(default_factory=dict)
    data: dict = None                # the YAML mapping, when the draft is YAML
    name: str = "<输入>"

    def get(self, name, default=""):
        f = self.fields.get(name)
        return f.value if f else default

    def has(self, name):
        f = self.fields.get(name)
        return bool(f and f.value.strip())

    def body(self):
        """The field holding the facts: 事实 if labelled, else the unlabelled text, else the whole draft."""
        for name in ("facts", "_preamble"):
            f = self.fields.get(name)
            if f and f.value.strip():
                return f
        return Field("_all", self.text, 0, len(self.text))

    def whole(self):
        return Field("_all", self.text, 0, len(self.text))


def align(value, src, base):
    """Offsets (into the draft) of each character of ``value`` inside the source slice ``src`` at ``base``.

    Used for YAML scalars, whose value differs from the source by quotes, escapes, indentation and
    line folding. Characters are matched greedily in order; whitespace in the value maps to the
    current position."""
    out, j, n = [], 0, len(src)
    for c in value:
        if c.isspace():
            while j < n and src[j].isspace() and not c.isspace():
                j += 1
            out.append(base + min(j, max(n - 1, 0)))
            if j < n and src[j].isspace():
                j += 1
            continue
        k = src.find(c, j, j + 12)
        if k < 0:
            out.append(base + min(j, max(n - 1, 0)))
        else:
            out.append(base + k)
            j = k + 1
    return out


def _yaml_fields(text):
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else "某处"
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise InputError(f"YAML 格式错误（{where}）：{problem}。请检查缩进和冒号，"
                         "或把底稿另存为 .md/.txt 按「事实」「定性」「依据」分段书写") from None
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return None, {}
    fields = {}
    for knode, vnode in node.value:
        key = str(getattr(knode, "value", "")).strip().lower()
        canon = _LABEL_OF.get(key)
        if not canon or canon in fields:
            continue
        if isinstance(vnode, yaml.ScalarNode):
            s, e = vnode.start_mark.index, vnode.end_mark.index
            val = str(vnode.value)
            src = text[s:e]
            offsets = None if src == val else align(val, src, s)
            fields[canon] = Field(canon, val, s, e, offsets, label=knode.value)
        elif isinstance(vnode, yaml.SequenceNode):
            parts, offsets = [], []
            for item in vnode.value:
                if not isinstance(item, yaml.ScalarNode):
                    continue
                if parts:
                    offsets.append(item.start_mark.index)
                    parts.append("\n")
                s, e = item.start_mark.index, item.end_mark.index
                parts.append(str(item.value))
                offsets += align(str(item.value), text[s:e], s)
            fields[canon] = Field(canon, "".join(parts), vnode.start_mark.index, vnode.end_mark.index,
                                  offsets, label=knode.value)
    return data, fields


def _line_spans(text):
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


def _section_start(line):
    """(canonical field, label, offset of the content within the line) if the line opens a section."""
    for rx in (_BRACKET_RE, _KV_RE, _BARE_RE):
        m = rx.match(line)
        if m:
            label = m.group("label")
            rest = m.groupdict().get("rest")
            return _LABEL_OF[label.lower()], label, (m.start("rest") if rest is not None and rest.strip() else len(line))
    m = _HEADING_RE.match(line)
    if m:
        inner = m.group("text")
        for rx in (_BRACKET_RE, _KV_RE, _BARE_RE):
            mm = rx.match(inner)
            if mm:
                return _LABEL_OF[mm.group("label").lower()], mm.group("label"), len(line)
        return "_heading", inner, len(line)
    return None


def _text_fields(text):
    fields = {}
    current = None  # (canon, label, content start)
    first_content = None
    title = None

    def close(end):
        if current is None:
            return
        canon, label, start = current
        while start < end and text[start] in " \t\n\r":
            start += 1
        stop = end
        while stop > start and text[stop - 1] in " \t\n\r":
            stop -= 1
        if canon not in fields and (stop > start or canon != "_preamble"):
            fields[canon] = Field(canon, text[start:stop], start, stop, label=label)

    for pos, line in _line_spans(text):
        if not line.strip():
            continue
        sec = _section_start(line)
        if sec and sec[0] == "_heading":
            if title is None and current is None and first_content is None:
                title = (sec[1], pos + line.find(sec[1]) if sec[1] else pos)
                continue
            # any other heading ends the current section but starts none we know
            close(pos)
            current = ("_other", sec[1], pos + len(line))
            continue
        if sec:
            close(pos)
            current = (sec[0], sec[1], pos + sec[2])
            continue
        if current is None:
            if first_content is None:
                first_content = pos
                current = ("_preamble", "", pos)
    close(len(text))
    fields.pop("_other", None)
    if title and "title" not in fields and title[0]:
        fields["title"] = Field("title", title[0], title[1], title[1] + len(title[0]), label="#")
    pre = fields.get("_preamble")
    if pre and "title" not in fields:
        first, _, rest = pre.value.partition("\n")
        others = any(k != "_preamble" for k in fields)
        if (rest.strip() or others) and len(first.strip()) <= 60 and not re.search(r"[。；;！!？?，,、：:]$", first.strip()):
            fields["title"] = Field("title", first.strip(), pre.start, pre.start + len(first.strip()), label="")
            off = len(first) + 1
            while off < len(pre.value) and pre.value[off] in " \t\n":
                off += 1
            if off < len(pre.value):
                fields["_preamble"] = Field("_preamble", pre.value[off:], pre.start + off, pre.end)
            else:
                del fields["_preamble"]
    return fields


def detect_format(text, suffix=""):
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix in (".md", ".markdown"):
        return "markdown"
    if suffix in (".txt", ".text"):
        return "text"
    if re.search(r"^\s{0,3}#{1,6}\s", text, re.M):
        return "markdown"
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return "text"
    if isinstance(data, dict) and sum(1 for k in data if str(k).strip().lower() in _LABEL_OF) >= 2:
        return "yaml"
    return "text"


def parse_draft(text, fmt=None, name="<输入>"):
    """Text -> :class:`Draft`. ``fmt``: yaml | markdown | text (guessed when None)."""
    fmt = fmt or detect_format(text)
    if fmt == "yaml":
        data, fields = _yaml_fields(text)
        if data is not None:
            return Draft(text, "yaml", fields, data, name)
        fmt = "text"  # a YAML file holding a single string: treat it as text
    return Draft(text, fmt, _text_fields(text), None, name)
