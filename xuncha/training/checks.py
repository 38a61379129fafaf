"""Check constructors for exercises: each returns a :class:`Check` (or a list of them).

Answers are free Chinese text, or structured (a dict of fields, a list of lines). ``field=`` picks one field of
a dict answer. Text is compared after the knowledge base's own normalisation (full-width -> half-width,
traditional -> simplified, 第一百一十一条 -> 第111条), so trainees are not failed on form."""
import re

from ..analysis import normalize
from .grading import AnswerFormatError, Check, is_blank

_ID_RE = re.compile(r"[a-z][a-z0-9-]*-[0-9]{4}#(?:p[0-9]{2}|s[0-9]+|[0-9]+)")
_ART_RE = re.compile(r"第\s*([0-9]{1,4})\s*条")
_BOUNDARY = re.compile(r"[。；;！？!?\n]")


def text_of(answer, field=None):
    """One text out of an answer: a dict's values (``field``: only that one) or a list's lines."""
    if field is not None:
        if not isinstance(answer, dict):
            raise AnswerFormatError(f"这道题的答案应是字典，并包含「{field}」一项（照答题单元格里给出的格式填写）。")
        if field not in answer:
            raise AnswerFormatError(f"答案里缺少「{field}」一项；请不要删改答题模板中的项目名称。")
        answer = answer[field]
    if isinstance(answer, str):
        return answer
    if isinstance(answer, dict):
        return "\n".join(f"{k}：{text_of(v)}" for k, v in answer.items() if not is_blank(v))
    if isinstance(answer, (list, tuple)):
        return "\n".join(text_of(v) for v in answer if not is_blank(v))
    if is_blank(answer):
        return ""
    if isinstance(answer, (int, float)):
        return str(answer)
    raise AnswerFormatError(f"答案应是文字（用引号括起来），现在是 {type(answer).__name__}。")


def lines_of(answer, field=None):
    """A list answer (or a text, one item per line) -> its non-blank items."""
    if field is not None:
        if not isinstance(answer, dict) or field not in answer:
            raise AnswerFormatError(f"答案里缺少「{field}」一项；请按答题模板填写。")
        answer = answer[field]
    if isinstance(answer, str):
        return [l.strip() for l in answer.splitlines() if l.strip()]
    if isinstance(answer, (list, tuple)):
        out = []
        for v in answer:
            if not isinstance(v, str):
                raise AnswerFormatError("列表里的每一项都应是一段文字（用引号括起来）。")
            if v.strip():
                out.append(v.strip())
        return out
    raise AnswerFormatError("这道题的答案应是一个列表，如 [\"第一句\", \"第二句\"]。")


def _norm(s):
    return normalize(s).replace(" ", "")


def _alts(group):
    return [group] if isinstance(group, str) else list(group)


def _missing(text, groups, exact=False):
    if exact:
        return [g for g in groups if not any(a in text for a in _alts(g))]
    t = _norm(text)
    return [g for g in groups if not any(_norm(a) in t for a in _alts(g))]


def _name(group):
    return "/".join(_alts(group))


# ---- text -------------------------------------------------------------------------------------

def mentions(label, *groups, need=None, field=None, points=1, hint="", exact=False):
    """The text names each group (a word, or a tuple of words any of which will do); ``need``: how many
    groups are enough (default: all); ``exact``: compare as written (e.g. 第一百一十三条 must be in Chinese
    numerals), not after normalisation."""
    def test(answer, grader):
        miss = _missing(text_of(answer, field), groups, exact)
        enough = len(groups) - len(miss) >= (len(groups) if need is None else need)
        return enough, ("" if enough else "还没有写到：" + "、".join(_name(g) for g in miss))
    return Check(label, test, points, hint)


def avoids(label, *words, field=None, points=1, hint=""):
    """The text contains none of ``words`` (e.g. promises an inspector must never make)."""
    def test(answer, grader):
        t = _norm(text_of(answer, field))
        found = [w for w in words if _norm(w) in t]
        return not found, ("出现了：" + "、".join(f"「{w}」" for w in found) if found else "")
    return Check(label, test, points, hint)


def min_chars(label, n, field=None, points=1, hint=""):
    """At least ``n`` Chinese characters (or letters/digits): enough substance to judge."""
    def test(answer, grader):
        k = len(re.findall(r"[\u4e00-\u9fff0-9A-Za-z]", text_of(answer, field)))
        return k >= n, ("" if k >= n else f"现在约 {k} 个字，至少需要 {n} 个字。")
    return Check(label, test, points, hint)


def max_chars(label, n, field=None, points=1, hint=""):
    def test(answer, grader):
        k = len(re.findall(r"[\u4e00-\u9fff0-9A-Za-z]", text_of(answer, field)))
        return k <= n, ("" if k <= n else f"现在约 {k} 个字，请压缩到 {n} 字以内。")
    return Check(label, test, points, hint)


def matches(label, pattern, field=None, points=1, hint=""):
    """The text matches a regular expression (after normalisation: digits are Arabic, 第111条)."""
    rx = re.compile(pattern)

    def test(answer, grader):
        return bool(rx.search(_norm(text_of(answer, field))))
    return Check(label, test, points, hint)


# ---- structure --------------------------------------------------------------------------------

def filled(label, *keys, points=1, hint=""):
    """A dict answer has every key in ``keys`` filled in."""
    def test(answer, grader):
        if not isinstance(answer, dict):
            raise AnswerFormatError("这道题的答案应是字典（照答题模板逐项填写）。")
        empty = [k for k in keys if is_blank(answer.get(k))]
        return not empty, ("还没填写：" + "、".join(empty) if empty else "")
    return Check(label, test, points, hint)


def at_least(label, n, field=None, points=1, hint=""):
    """A list answer (or text, one item per line) has at least ``n`` items."""
    def test(answer, grader):
        k = len(lines_of(answer, field))
        return k >= n, ("" if k >= n else f"现在有 {k} 项，至少需要 {n} 项。")
    return Check(label, test, points, hint)


def includes(label, *values, field=None, points=1, hint=""):
    """A list answer includes at least one of ``values`` (e.g. checklist item IDs)."""
    wanted = {_norm(v) for v in values}

    def test(answer, grader):
        return any(_norm(l) in wanted for l in lines_of(answer, field))
    return Check(label, test, points, hint)


def each_line(label, predicate, field=None, points=1, hint="", describe="不符合要求"):
    """Every item of a list answer satisfies ``predicate(item) -> bool``."""
    def test(answer, grader):
        bad = [l for l in lines_of(answer, field) if not predicate(l)]
        return not bad, ("" if not bad else f"以下各项{describe}：" + "；".join(f"「{b[:30]}」" for b in bad[:3]))
    return Check(label, test, points, hint)


def order(label, first, then, field=None, points=1, hint=""):
    """In a list answer, some item naming ``first`` comes before every item naming ``then`` (each a word or a
    tuple of words): e.g. familiar topics before the key issues."""
    def test(answer, grader):
        items = [_norm(l) for l in lines_of(answer, field)]

        def where(group):
            return [i for i, l in enumerate(items) if any(_norm(a) in l for a in _alts(group))]
        a, b = where(first), where(then)
        if not a or not b:
            return False, f"提纲里要同时写到「{_name(first)}」和「{_name(then)}」。"
        return min(a) < min(b), ("" if min(a) < min(b) else f"「{_name(first)}」应排在「{_name(then)}」之前。")
    return Check(label, test, points, hint)


def equals(label, expected, field=None, points=1, hint=""):
    """A short answer equal to ``expected`` (or one of a tuple of accepted answers), ignoring form."""
    accepted = [_norm(str(e)) for e in _alts(expected)]

    def test(answer, grader):
        return _norm(text_of(answer, field)) in accepted
    return Check(label, test, points, hint)


def mapping(expected, label="{key}", points=1, hint=""):
    """One check per key of a dict answer: ``answer[key]`` equals ``expected[key]`` (or one of a tuple).
    Partial credit per key; ``label``/``hint`` may use ``{key}`` and ``{value}``."""
    checks = []
    for key, want in expected.items():
        accepted = [_norm(str(w)) for w in _alts(want)]

        def test(answer, grader, key=key, accepted=accepted):
            if not isinstance(answer, dict):
                raise AnswerFormatError("这道题的答案应是字典（照答题模板逐项填写）。")
            if key not in answer:
                raise AnswerFormatError(f"答案里缺少「{key}」一项；请不要删改答题模板中的项目名称。")
            return _norm(text_of(answer[key])) in accepted
        checks.append(Check(label.format(key=key, value=_name(want)), test, points,
                            hint.format(key=key, value=_name(want))))
    return checks


def for_each(label, check, n=None, points=1, hint=""):
    """A list answer (e.g. three findings): every item passes ``check`` (another check); ``n``: how many
    items are expected."""
    def test(answer, grader):
        if not isinstance(answer, (list, tuple)):
            raise AnswerFormatError("这道题的答案应是一个列表，每一项按模板填写。")
        items = [a for a in answer if not is_blank(a)]
        if n is not None and len(items) < n:
            return False, f"需要 {n} 项，现在填写了 {len(items)} 项。"
        for i, item in enumerate(items, 1):
            r = check.test(item, grader)
            ok, detail = (r if isinstance(r, tuple) else (r, ""))
            if not ok:
                return False, f"第 {i} 项：{detail or check.label}"
        return True
    return Check(label, test, points, hint or check.hint, rule=check.rule)


def custom(label, fn, points=1, hint=""):
    """Any rule: ``fn(answer, grader)`` returns True/False or (True/False, detail)."""
    return Check(label, fn, points, hint)


def hidden(checks):
    """Mark checks as hidden: they are removed from trainee versions (put them between
    ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS``) and declared with ``grade(..., hidden=points)``."""
    items = checks if isinstance(checks, list) else [checks]
    for c in items:
        c.hidden = True
    return checks


# ---- the knowledge base -----------------------------------------------------------------------

def cited_articles(text, kb=None):
    """IDs of the articles a text cites: literal IDs (jilv-2023#111), and 《…条例》第N条 references resolved
    through the knowledge base (a bare 第N条 after a named regulation refers to the same one)."""
    found = []
    t = normalize(text)
    for m in _ID_RE.finditer(t):
        found.append(m.group(0))
    if kb is None:
        return found
    last_reg, pos = None, 0
    for m in _ART_RE.finditer(t):
        start = pos
        for b in _BOUNDARY.finditer(t, pos, m.start()):
            start = b.end()
        window = t[max(start, m.start() - 60):m.start()]
        rid = kb.resolve(window + m.group(0)) if window.strip() else None
        if rid and "#" in rid:
            last_reg = rid.split("#")[0]
        elif last_reg and not re.search(r"[\u4e00-\u9fff]{2,}(条例|准则|规定|办法|章程|法)", window):
            cand = f"{last_reg}#{m.group(1)}"
            rid = kb.resolve(cand)
        if rid and rid not in found:
            found.append(rid)
        pos = m.end()
    return found


def cites(label, *article_ids, field=None, points=1, hint=""):
    """The text cites at least one of ``article_ids`` (by its ID, or by regulation name and article number)."""
    def test(answer, grader):
        got = cited_articles(text_of(answer, field), getattr(grader, "kb", None))
        if any(a in got for a in article_ids):
            return True
        return False, ("没有找到引用的条款。引用时写明法规名称和条号，如《中国共产党纪律处分条例》第一百一十一条。"
                       if not got else "引用的是：" + "、".join(got) + "，与题中事实不够对应。")
    return Check(label, test, points, hint)


def cites_current(label, field=None, points=1, hint=""):
    """Every cited article exists in the knowledge base and belongs to a regulation that is 现行有效."""
    def test(answer, grader):
        kb = getattr(grader, "kb", None)
        if kb is None:
            raise AnswerFormatError("这道题需要知识库：请先运行笔记本开头打开知识库的单元格。")
        got = cited_articles(text_of(answer, field), kb)
        if not got:
            return False, "没有找到引用的条款。"
        bad = []
        for a in got:
            try:
                e = kb.get(a)
            except Exception:
                bad.append(f"{a}（知识库中没有）")
                continue
            if e.get("status") != "现行有效":
                bad.append(f"{e.get('citation', a)}（{e.get('status')}）")
        return not bad, ("" if not bad else "以下引用不是现行有效的条款：" + "；".join(bad))
    return Check(label, test, points, hint)


def no_lint(label, *rules, field=None, prefix="", points=1, hint=""):
    """The drafting linter (``xuncha.drafting.lint``) reports none of ``rules`` on the text. ``prefix``: context
    the trainee does not write, put before the answer (e.g. "聚焦：决策部署落实\n")."""
    def test(answer, grader):
        text = prefix + text_of(answer, field)
        if not text.strip():
            return False, "这一项还没有填写。"
        hits = [h for h in _lint(grader, text) if h.get("rule") in rules]
        if not hits:
            return True
        parts = []
        for h in hits[:2]:
            span = text[h.get("start", 0):h.get("end", 0)].strip()
            parts.append(f"{h.get('message', h.get('rule'))}" + (f"：「{span[:24]}」" if span else "")
                         + (f"（{h['hint']}）" if h.get("hint") and not hint else ""))
        return False, "；".join(parts)
    return Check(label, test, points, hint, rule="、".join(rules))


def _lint(grader, text):
    if grader is not None and hasattr(grader, "lint"):
        return grader.lint(text)
    from ..drafting import lint
    return lint(text)


# ---- interview questions (xuncha.drafting.classify_questions) ---------------------------------

QUESTION_CN = {"open": "开放式", "closed": "封闭式", "leading": "诱导式", "discloses-source": "泄露来源",
               "promises-outcome": "承诺结果"}


def _classified(answer, field):
    from ..drafting import classify_questions
    return classify_questions(lines_of(answer, field))


def no_questions_of(label, *kinds, field=None, points=1, hint=""):
    """No question of the answer is classified as one of ``kinds`` (e.g. "discloses-source", "leading")."""
    def test(answer, grader):
        bad = [r for r in _classified(answer, field) if r["label"] in kinds]
        if not bad:
            return True
        r = bad[0]
        more = f"等 {len(bad)} 个问题" if len(bad) > 1 else ""
        return False, (f"「{r['text'][:30]}」{more}属于{QUESTION_CN.get(r['label'], r['label'])}提问"
                       + (f"：{r['hint']}" if r.get("hint") and not hint else ""))
    return Check(label, test, points, hint, rule="、".join(kinds))


def share_of_questions(label, kind, at_least, field=None, points=1, hint=""):
    """At least a share ``at_least`` (0–1) of the questions is classified as ``kind`` (e.g. "open")."""
    def test(answer, grader):
        res = _classified(answer, field)
        if not res:
            return False, "没有找到问题。"
        k = sum(1 for r in res if r["label"] == kind)
        ok = k >= at_least * len(res)
        return ok, ("" if ok else f"{len(res)} 个问题中{QUESTION_CN.get(kind, kind)}的有 {k} 个，"
                                  f"至少要占 {int(at_least * 100)}%。")
    return Check(label, test, points, hint)
