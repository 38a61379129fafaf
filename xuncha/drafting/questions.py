"""``classify_questions``: sort interview questions into open / closed / leading / discloses-source /
promises-outcome, with a hint for rewriting the ones that break 谈话纪律 or get little information.

The labels, from most to least serious (a question gets the most serious one that applies; ``labels``
lists every one that matched):
- discloses-source: names who reported or said what (有人举报你…, 会计说…, 群众反映你…);
- promises-outcome: promises how the matter will end (说清楚就没事, 不会追究, 保证从轻);
- leading: suggests the answer or presumes guilt (是不是收了钱？, 你也认为…吧？, 为什么要挪用…);
- closed: can be answered with yes/no or one fact (是否…, 有没有…, …吗？, 几次);
- open: asks for an account (怎么, 如何, 哪些, 谈谈, 介绍一下)."""
import re

LABELS = ("open", "closed", "leading", "discloses-source", "promises-outcome")
LABEL_CN = {"open": "开放式", "closed": "封闭式", "leading": "诱导式", "discloses-source": "泄露来源",
            "promises-outcome": "承诺结果"}
SEVERITY = {"discloses-source": "error", "promises-outcome": "error", "leading": "warning", "closed": "info", "open": "ok"}
HINTS = {
    "discloses-source": "不要说出谁反映、谁举报、谁说了什么，也不要复述举报内容；改为围绕业务流程提问，"
                        "如「村里的报销审批是怎么走的？」",
    "promises-outcome": "谈话中不对处理结果作任何承诺；可以说明政策（如主动说明情况是态度的体现），但不能许诺结果。",
    "leading": "去掉预设的答案和判断，改成开放式提问，如把「你是不是收了钱？」改为「这个项目的施工方是怎么确定的？」",
    "closed": "封闭式问题适合核实细节；了解情况时先用开放式问题，如「请介绍一下……是怎么做的」。",
    "open": "",
}

_SOURCE_RE = re.compile(
    r"有人(?:举报|反映|检举|告诉|说|揭发|写信|打电话)|(?:据|根据)(?:举报|反映|群众反映|信访)|举报(?:人|信|材料|件|内容)|信访件|"
    r"(?:群众|村民|居民|干部|职工|同事|会计|出纳|报账员|书记|主任|局长|镇长|村长|老板|承包人|你们(?:村|单位|局|镇)的?[\u4e00-\u9fff]{0,4})"
    r"(?:都|也|已经)?(?:反映|举报|说|讲|告诉|交代|揭发|提到|承认)|"
    r"[\u4e00-\u9fff](?:某|某某|[*＊]{1,3}|XX|xx)(?:已经)?(?:说|讲|交代|反映|举报|承认|告诉)|"
    r"我们(?:收到|接到|掌握)(?:了)?(?:举报|反映|线索|材料)|别人都(?:说|交代)了")
_PROMISE_RE = re.compile(
    r"(?:就|都|便)?(?:没事|没有事|没问题)|不会(?:追究|处理|处分|为难|影响|怎么样|让你)|保证(?:你|不|从轻|没事)|"
    r"从轻(?:处理|处分|发落)?|既往不咎|一定(?:帮你|给你|会为你)|(?:帮你|替你)(?:说话|求情|解决|保密)|我们会(?:帮你|保护你|考虑从轻)|"
    r"只要你?(?:说|讲|交代|承认|配合)[^，。？?]{0,10}(?:就|都)")
_LEADING_RE = re.compile(
    r"是不是(?:你|也|就|都|收|拿|挪|贪|占|违规|故意|有意|明知)|"
    r"是不是[^，。？?]*(?:私自|私用|违规|挪|贪|收了|拿了|占用|侵占|好处|红包|礼金|回扣|亲戚|亲属|自己的)|难道|对吧|是吧|对不对|不是吗|没错吧|吧[？?]?$|"
    r"(?:你|您)(?:也|肯定|应该|一定)(?:认为|觉得|知道|清楚|同意)|大家都(?:说|知道|认为|反映)|明明|显然|谁都知道|"
    r"(?:为什么|为啥|凭什么)(?:要|会|还)?(?:挪用|侵占|贪污|收受|虚报|套取|私分|违规|吃拿卡要|弄虚作假|包庇|隐瞒)|"
    r"(?:肯定|一定)(?:是|有|收|拿)|总(?:该|得)(?:承认|说)")
_CLOSED_RE = re.compile(
    r"是否|是不是|有没有|有无|能不能|会不会|对不对|[吗嘛][？?]?$|多少|几次|几个|几年|哪一年|哪天|什么时候|何时|谁|"
    r"[^，,。？?]还是[^，,。？?]+[？?]?$")
_OPEN_RE = re.compile(r"怎么|怎样|如何|为什么|哪些|什么情况|谈谈|说说|讲讲|介绍|描述|说一下|讲一下|举例|看法|认为|原因|过程|经过")
_ITEM_RE = re.compile(r"^\s*(?:[-*+•·]\s+|[0-9]+[.、．)）]\s*|[（(][0-9一二三四五六七八九十]+[）)]\s*|"
                      r"[一二三四五六七八九十]+[、.．]\s*|[①-⑳]\s*|(?:问|Q|q)[0-9]*[:：.、]\s*)")


def classify(question):
    """One question -> (label, [every label that matched])."""
    q = question.strip()
    found = []
    if _SOURCE_RE.search(q):
        found.append("discloses-source")
    if _PROMISE_RE.search(q):
        found.append("promises-outcome")
    if _LEADING_RE.search(q):
        found.append("leading")
    if _CLOSED_RE.search(q):
        found.append("closed")
    if _OPEN_RE.search(q):
        found.append("open")
    if not found:
        found.append("closed" if re.search(r"[？?]$", q) else "open")
    order = ("discloses-source", "promises-outcome", "leading")
    for lab in order:
        if lab in found:
            return lab, found
    # 「请谈谈…是否…」 is still an invitation to talk; a bare 「是否…？」 is closed
    if "open" in found and ("closed" not in found or re.match(r"^(?:请|麻烦|能否请)?(?:您|你)?(?:谈谈|说说|讲讲|介绍)", q)):
        return "open", found
    return "closed", found


def _lines(lines):
    if isinstance(lines, str):
        lines = lines.splitlines()
    for n, raw in enumerate(lines, 1):
        if raw is None:
            continue
        s = str(raw).strip()
        if not s or s.startswith("#") or re.fullmatch(r"[-=*_\s]+", s):
            continue
        s = _ITEM_RE.sub("", s, count=1).strip()
        if s:
            yield n, s


def classify_questions(lines):
    """Classify interview questions. ``lines``: a list of strings or one multi-line string (blank lines,
    Markdown headings and list markers are skipped). Returns a list of dicts with line, text, label
    (open | closed | leading | discloses-source | promises-outcome), label_cn, labels, severity, hint."""
    out = []
    for n, text in _lines(lines):
        label, found = classify(text)
        out.append({"line": n, "text": text, "label": label, "label_cn": LABEL_CN[label], "labels": found,
                    "severity": SEVERITY[label], "hint": HINTS[label]})
    return out


def counts(results):
    c = {lab: 0 for lab in LABELS}
    for r in results:
        c[r["label"]] += 1
    return c
