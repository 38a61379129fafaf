"""Split a regulation's text into 编 / 章 / 节 / 条 / 款 / 项.

Handles Chinese and Arabic numerals (第一百零三条, 第103条, full-width ０-９), full-width and doubled
spaces (第一编　总　　则), a 目录 before the body, page furniture left by PDF extraction (running
headers, footers, 「— 3 —」 and 「第 3 页 共 8 页」 page numbers), lines wrapped inside a sentence,
附则 without a number, and the signature/date or web-page footer after the last article.

The numbering must run 第一条, 第二条, … without gaps; a gap, a repeat or a text that stops in the middle
of a sentence raises :class:`ImportFileError` naming the line (unless ``partial=True`` for an excerpt)."""
import re
from collections import Counter
from dataclasses import dataclass, field

from ..numerals import CN_NUM, cn_to_int, int_to_cn
from .errors import ImportFileError

_FW_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_SPACES = re.compile(r"[\u3000\u00a0\u2002-\u200a\u202f\u205f\t\u200b\ufeff]+| {2,}")
_CJK = "\u3400-\u9fff\uf900-\ufaff"
_PUNCT = "，。；：、！？（）《》“”‘’【】〔〕…—·"
_GAP = re.compile(f"(?<=[{_CJK}{_PUNCT}]) +(?=[{_CJK}{_PUNCT}])")
_NUM = f"[0-9０-９{CN_NUM}](?: ?[0-9０-９{CN_NUM}])*"
ARTICLE_RE = re.compile(f"^第 ?({_NUM}) ?条(.*)$")
HEADING_RE = re.compile(f"^第 ?({_NUM}) ?(编|章|节)(.*)$")
ITEM_RE = re.compile(r"^(?:[（(] ?[一二三四五六七八九十百]+ ?[）)]|[（(] ?[0-9]+ ?[）)]|[0-9]+[.．、](?![0-9])|[①-⑳])")
BARE_HEADINGS = {"总则", "分则", "附则"}
TERMINAL = "。！？；：…"
_CLOSERS = "”’」』）)】〕"
_NOT_BODY = ("规定", "的", "所", "中", "至", "之", "第", "款", "项", "和", "、", "或", "，", "。", "及", "以", "有关", "列")
_TOC = {"目录", "目次"}
_DATES_RE = re.compile(r"^[（(]?.{0,12}?([0-9]{4}|[〇零一二三四五六七八九]{4}) ?年.*日.*$")
_PAGE_NO = re.compile(
    r"^(?:[-—–－―─ ]*[0-9]+[-—–－―─ ]*|[-—–－―─]+ ?[〇零一二三四五六七八九十百]+ ?[-—–－―─]+"
    r"|[0-9]+ ?/ ?[0-9]+|(?:共 ?[0-9]+ ?页 ?[，,]? ?)?第 ?[0-9]+ ?页(?: ?[/，,]? ?共 ?[0-9]+ ?页)?|page ?[0-9]+(?: ?of ?[0-9]+)?)$", re.I)
_ATTACHMENT = re.compile(r"^附 ?件 ?[0-9一二三四五六七八九十]*(?:[:：].*)?$")
_TAIL_RE = re.compile(
    r"^(?:[（(]?此件|抄送|印发|主题词|关键词|责任编辑|编辑|来源[:：]|打印|关闭|分享|扫一扫|上一篇|下一篇|相关|版权|copyright|网站|"
    r"[0-9〇零一二三四五六七八九]{4} ?年.{1,8}日 ?$|.{2,30}(?:委员会|委|局|组|部|办公室|办|厅|政府|院|处|科|中心|公司|支部|党组|党委)$)",
    re.I)


def norm(text):
    """One line: full-width, non-breaking and repeated spaces -> one space, trimmed."""
    return _SPACES.sub(" ", text).strip()


def clean(text):
    """``norm`` plus no space left between two Chinese characters (PDF extraction spreads them)."""
    return _GAP.sub("", norm(text))


def parse_number(s):
    return cn_to_int(s.replace(" ", "").translate(_FW_DIGITS))


def ends_sentence(text):
    t = text.rstrip(_CLOSERS + " ")
    return bool(t) and t[-1] in TERMINAL


@dataclass
class Article:
    number: int
    loc: str
    page: int = 0
    part: str = None
    chapter: str = None
    section: str = None
    lines: list = field(default_factory=list)       # [(loc, text)] as read, before joining
    paragraphs: list = field(default_factory=list)  # 款 and 项, one per entry

    @property
    def text(self):
        return "\n".join(self.paragraphs)


@dataclass
class Heading:
    level: str      # 编 | 章 | 节 | 则 (an unnumbered 总则/附则)
    number: int     # 0 for an unnumbered heading
    title: str      # 「第八章 对违反廉洁纪律行为的处分」
    loc: str


@dataclass
class Document:
    name: str
    title: str = None
    title_loc: str = None
    dates_line: str = None
    front: list = field(default_factory=list)      # [(loc, text)] before the body
    headings: list = field(default_factory=list)
    articles: list = field(default_factory=list)
    tail: list = field(default_factory=list)       # [(loc, text)] after the last article, not imported
    removed: int = 0                                # page-furniture lines removed
    warnings: list = field(default_factory=list)

    def counts(self):
        c = Counter(h.level for h in self.headings)
        items = sum(1 for a in self.articles for p in a.paragraphs if ITEM_RE.match(p))
        paras = sum(len(a.paragraphs) for a in self.articles) - items
        fuze = sum(1 for a in self.articles if "附则" in (a.chapter or ""))
        return {"编": c["编"], "章": c["章"], "节": c["节"], "条": len(self.articles), "款": paras, "项": items,
                "附则条数": fuze}

    def structure(self):
        """[{part, chapter, articles: 'a-b'}] for each chapter (or part/附则) in article order."""
        out = []
        for a in self.articles:
            key = (a.part, a.chapter)
            if out and (out[-1].get("part"), out[-1].get("chapter")) == key:
                out[-1]["_last"] = a.number
                continue
            if key == (None, None):
                continue
            out.append({"part": a.part, "chapter": a.chapter, "_first": a.number, "_last": a.number})
        res = []
        for s in out:
            d = {k: s[k] for k in ("part", "chapter") if s.get(k)}
            d["articles"] = f"{s['_first']}-{s['_last']}" if s["_last"] != s["_first"] else str(s["_first"])
            d["verified"] = True
            res.append(d)
        return res


# ---- page furniture -------------------------------------------------------------------------------

def _furniture_key(t):
    return re.sub(r"[0-9]+|[〇零一二三四五六七八九十百]+(?= ?[页—-])", "#", t.replace(" ", ""))


def _is_structural(t):
    return bool(ARTICLE_RE.match(t) or HEADING_RE.match(t))


def remove_furniture(lines):
    """Drop page numbers, running headers and footers. ``lines``: [(loc, text, page)] cleaned.
    Returns (kept lines, number removed)."""
    drop = set()
    for i, (_, t, _) in enumerate(lines):
        if t and _PAGE_NO.match(t):
            drop.add(i)
    pages = {}
    for i, (_, t, p) in enumerate(lines):
        if p and t and i not in drop:
            pages.setdefault(p, []).append(i)
    if len(pages) >= 2:
        edge_keys = Counter()
        edges = {}
        for p, idx in pages.items():
            cand = idx[:2] + idx[-2:]
            keys = set()
            for i in cand:
                t = lines[i][1]
                if len(t) <= 50 and not _is_structural(t) and not ends_sentence(t) and not ITEM_RE.match(t):
                    k = _furniture_key(t)
                    edges.setdefault(k, []).append(i)
                    keys.add(k)
            edge_keys.update(keys)
        need = max(2, int(0.4 * len(pages) + 0.5))
        for k, n in edge_keys.items():
            if n >= need:
                first_page_idx = pages[min(pages)]
                for i in edges[k]:
                    # the document title on page 1 is not a running header
                    if i in first_page_idx[:2] and not _PAGE_NO.match(lines[i][1]) and lines[i][2] == min(pages) \
                            and not any(ARTICLE_RE.match(lines[j][1]) for j in range(i)):
                        continue
                    drop.add(i)
    # running headers in text copied out of a PDF (no page breaks left): short lines repeated 3+ times
    first_article = next((i for i, (_, t, _) in enumerate(lines) if ARTICLE_RE.match(t)), len(lines))
    counts = Counter(lines[i][1] for i in range(first_article, len(lines))
                     if i not in drop and lines[i][1] and len(lines[i][1]) <= 40 and not ends_sentence(lines[i][1])
                     and not _is_structural(lines[i][1]) and not ITEM_RE.match(lines[i][1]))
    for i in range(first_article, len(lines)):
        if counts.get(lines[i][1], 0) >= 3:
            drop.add(i)
    return [ln for i, ln in enumerate(lines) if i not in drop], len(drop)


# ---- the split ------------------------------------------------------------------------------------

def _heading(t):
    m = HEADING_RE.match(t)
    if not m:
        return None
    rest = m.group(3)
    if len(t) > 50 or ends_sentence(t) or "，" in rest:
        return None
    if rest and not rest.startswith(" ") and (len(rest) > 24 or rest.startswith(_NOT_BODY)):
        return None
    n = parse_number(m.group(1))
    if n is None:
        return None
    title = clean(rest)
    label = f"第{int_to_cn(n)}{m.group(2)}"
    return m.group(2), n, f"{label} {title}".strip()


def _article(t, expected):
    m = ARTICLE_RE.match(t)
    if not m:
        return None
    n = parse_number(m.group(1))
    if n is None:
        return None
    rest = m.group(2)
    if rest == "" or rest[0] in " :：":
        return n, rest.lstrip(" :：")
    if n == expected and not rest.startswith(_NOT_BODY):
        return n, rest
    return None


def _join(raw):
    """Article lines -> 款/项 paragraphs. Every 款 and 项 ends with 。；： and the like, so a line that
    does not end a sentence was wrapped (PDF extraction, hard-wrapped text) and continues on the next."""
    paras = []
    for _, t in raw:
        if not t:
            continue
        if paras and not ends_sentence(paras[-1]) and not ITEM_RE.match(t):
            paras[-1] += t
        else:
            paras.append(t)
    return [clean(p) for p in paras]


def _find_title(front):
    """(title, loc, dates_line) from the lines before the body."""
    lines = [(loc, t) for loc, t in front if t and t.replace(" ", "") not in _TOC]
    dates_i = None
    for i, (_, t) in enumerate(lines):
        if i > 0 and len(t) <= 160 and _DATES_RE.match(t) and not ends_sentence(t.rstrip("）)")):
            dates_i = i
            break
    if dates_i is not None:
        cands = []
        j = dates_i - 1
        while j >= 0 and len(cands) < 2 and len(lines[j][1]) <= 40 and not ends_sentence(lines[j][1]):
            cands.insert(0, lines[j])
            j -= 1
        if cands:
            if len(cands) == 2 and not re.search(r"(条例|规定|办法|细则|规则|准则|意见|通知|制度|章程|规范|要点)(（[^）]*）)?$",
                                                 cands[1][1]):
                cands = cands[1:]
            if len(cands) == 2 and re.search(r"(条例|规定|办法|细则|规则|准则|意见|通知|制度|章程|规范|要点)(（[^）]*）)?$", cands[0][1]):
                cands = cands[1:]
            title = "".join(t for _, t in cands).replace(" ", "")
            dates = lines[dates_i][1]
            k = dates_i + 1
            while dates.startswith(("（", "(")) and not dates.endswith(("）", ")")) and k < min(len(lines), dates_i + 4):
                dates += " " + lines[k][1]     # a long dates line wrapped over several lines
                k += 1
            return title, cands[0][0], dates
    for loc, t in reversed(lines):
        if len(t) <= 50 and not ends_sentence(t) and not _DATES_RE.match(t) and t.replace(" ", "") not in BARE_HEADINGS:
            return t.replace(" ", ""), loc, None
    return None, None, None


def _merge_split_headings(lines):
    """「第一章」 on one line and 「总　　则」 on the next (a common PDF layout) -> one heading line."""
    out = []
    i = 0
    while i < len(lines):
        loc, t, page = lines[i]
        m = HEADING_RE.match(t)
        if m and not m.group(3).strip():
            j = i + 1
            while j < len(lines) and not lines[j][1]:
                j += 1
            if j < len(lines):
                nxt = lines[j][1]
                if len(nxt) <= 24 and not ends_sentence(nxt) and not _is_structural(nxt) and not ITEM_RE.match(nxt):
                    out.append((loc, f"{t} {nxt}", page))
                    i = j + 1
                    continue
        out.append((loc, t, page))
        i += 1
    return out


def split_regulation(source, partial=False, progress=None):
    """Split a :class:`~xuncha.importer.readers.Source` into a :class:`Document`.

    Raises ImportFileError for a text without any 第X条 (not a regulation), numbering that jumps or
    repeats, and a text that ends in the middle of a sentence; ``partial=True`` accepts an excerpt
    (gaps at the start and a missing end are then warnings)."""
    name = source.name
    lines = [(ln.loc, norm(ln.text), ln.page) for ln in source.lines]
    lines, removed = remove_furniture(lines)
    lines = _merge_split_headings(lines)
    doc = Document(name, removed=removed)
    if removed:
        doc.warnings.append(f"已去除页眉、页脚和页码 {removed} 行")
    part = chapter = section = None
    last_chapter_n = last_part_n = last_section_n = 0
    in_toc, toc_first = False, None
    body_started = False
    cur = None
    closed = False
    total = len(lines)
    stop_at = None
    for i, (loc, t, page) in enumerate(lines):
        if progress and (i % 500 == 0 or i == total - 1):
            progress(i + 1, total)
        if not t:
            continue
        compact = t.replace(" ", "")
        if not body_started and compact in _TOC:
            in_toc = True
            continue
        art = _article(t, (cur.number + 1) if cur else 1)
        head = None if art else _heading(t)
        bare = None
        if not art and not head and compact in BARE_HEADINGS and len(t) <= 8:
            bare = compact
        if in_toc:
            if art:
                in_toc = False
            elif head:
                if toc_first is None:
                    toc_first = head[:2]     # (level, number): TOC lines may carry dots and page numbers
                    continue
                if head[:2] != toc_first:
                    continue
                in_toc = False   # the first heading again: the body starts
            else:
                continue
        if cur is not None and _ATTACHMENT.match(compact) and ends_sentence(cur.lines[-1][1] if cur.lines else "。"):
            stop_at = i
            break
        if art:
            n, rest = art
            body_started = True
            prev = cur.number if cur else None
            if prev is None and n != 1:
                if not partial:
                    raise ImportFileError(name, f"第一个条文是第{int_to_cn(n)}条，不是第一条：文件开头可能缺失", loc=loc,
                                          hint="请对照原件检查；如确为节选，可加 --partial 导入")
                doc.warnings.append(f"从第{int_to_cn(n)}条开始（节选）")
            elif prev is not None and n != prev + 1:
                if n <= prev:
                    raise ImportFileError(name, f"条号重复或顺序错乱：第{int_to_cn(prev)}条之后又出现第{int_to_cn(n)}条", loc=loc,
                                          hint="请检查是否混入了其他文件（如附件中的另一份制度）或重复粘贴")
                missing = f"第{int_to_cn(prev + 1)}条" + (f"至第{int_to_cn(n - 1)}条" if n - 1 > prev + 1 else "")
                if not partial:
                    raise ImportFileError(name, f"条号不连续：第{int_to_cn(prev)}条之后是第{int_to_cn(n)}条，缺少{missing}", loc=loc,
                                          hint="请对照原件检查是否漏页、漏段（PDF 转换常见）；如确为节选，可加 --partial 导入")
                doc.warnings.append(f"{loc}：第{int_to_cn(prev)}条之后是第{int_to_cn(n)}条，缺少{missing}（节选）")
            cur = Article(n, loc, page, part, chapter, section)
            closed = False
            if rest.strip():
                cur.lines.append((loc, clean(rest)))
            doc.articles.append(cur)
            continue
        if head or bare:
            if head:
                level, n, title = head
                if level == "编":
                    if body_started and n != last_part_n + 1:
                        raise ImportFileError(name, f"编号不连续：第{int_to_cn(last_part_n)}编之后是{title}", loc=loc,
                                              hint="请对照原件检查是否漏页")
                    part, chapter, section, last_part_n = title, None, None, n
                elif level == "章":
                    if body_started and n != last_chapter_n + 1 and not (n == 1 and part):
                        raise ImportFileError(name, f"章号不连续：第{int_to_cn(last_chapter_n)}章之后是{title}", loc=loc,
                                              hint="请对照原件检查是否漏页")
                    chapter, section, last_chapter_n, last_section_n = title, None, n, 0
                else:
                    if body_started and n != last_section_n + 1:
                        raise ImportFileError(name, f"节号不连续：{chapter or ''}第{int_to_cn(last_section_n)}节之后是{title}",
                                              loc=loc, hint="请对照原件检查是否漏页")
                    section, last_section_n = title, n
            else:
                level, n, title = "则", 0, bare
                chapter, section = title, None
            if body_started:
                doc.headings.append(Heading(level, n, title, loc))
            else:  # before the first article: a table of contents may list the headings once already
                doc.headings = [h for h in doc.headings if not (h.level == level and n and h.number >= n)]
                doc.headings.append(Heading(level, n, title, loc))
            closed = cur is not None
            continue
        if cur is None:
            doc.front.append((loc, clean(t)))
            continue
        if closed:
            doc.warnings.append(f"{loc}：章节标题之后、条文之前的文字「{clean(t)[:20]}」未归入任何条文")
            continue
        cur.lines.append((loc, clean(t)))
    if stop_at is not None:
        doc.tail = [(loc, t) for loc, t, _ in lines[stop_at:] if t]
        doc.warnings.append(f"{doc.tail[0][0]} 起为附件（{len(doc.tail)} 行），未作为条文导入")
    if not doc.articles:
        raise ImportFileError(name, "没有找到任何条文（「第一条」「第二条」……），这不像一份法规或制度文件",
                              hint="讲话、经验材料等学习材料请用 xuncha import --material 导入")
    _cut_tail(doc)
    for a in doc.articles:
        a.paragraphs = _join(a.lines)
        if not a.paragraphs:
            if a is doc.articles[-1] and not partial:
                raise ImportFileError(name, f"第{int_to_cn(a.number)}条只有条号没有内容，文件在此中断（可能不完整）", loc=a.loc,
                                      hint="请重新获取完整文件")
            doc.warnings.append(f"{a.loc}：第{int_to_cn(a.number)}条没有内容")
    last = doc.articles[-1]
    if last.paragraphs and not ends_sentence(last.paragraphs[-1]):
        loc = last.lines[-1][0] if last.lines else last.loc
        if not partial:
            raise ImportFileError(name, f"文件在第{int_to_cn(last.number)}条中间结束（最后一句「…{last.paragraphs[-1][-12:]}」没有结束标点），"
                                  "文件可能被截断", loc=loc, hint="请重新获取完整文件；如确为节选，可加 --partial 导入")
        doc.warnings.append(f"第{int_to_cn(last.number)}条没有结束标点（节选）")
    doc.title, doc.title_loc, doc.dates_line = _find_title(doc.front)
    return doc


def _cut_tail(doc):
    """Signature, date and web-page footer lines after the last article are not part of it."""
    last = doc.articles[-1]
    ls = last.lines
    for k in range(1, len(ls)):
        rest = [t for _, t in ls[k:]]
        if not ends_sentence(ls[k - 1][1]):
            continue
        junk = all(len(t) <= 40 and not ends_sentence(t) and not ITEM_RE.match(t) for t in rest)
        if junk and (len(rest) >= 2 or any(_TAIL_RE.match(t) for t in rest)):
            doc.tail = ls[k:] + doc.tail
            del ls[k:]
            doc.warnings.append(f"{doc.tail[0][0]} 起的 {len(rest)} 行（落款、日期或网页信息）不属于条文，未导入")
            return


def clauses(text):
    """An article's stored text -> [{'text': 款, 'items': [项…]}] (items are the lines starting with （一） etc.)."""
    out = []
    for line in (text or "").split("\n"):
        if not line.strip():
            continue
        if ITEM_RE.match(line) and out:
            out[-1]["items"].append(line)
        else:
            out.append({"text": line, "items": []})
    return out
