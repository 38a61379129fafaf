"""vague-wording (浅表化、同质化) and no-political-angle (定性停留在业务层面)."""
import re

from ..citations import fold
from . import issue
from .facts import _QTY_RE

VAGUE_PHRASES = [
    "个别", "有的", "有些", "一些", "少数", "某些", "部分", "不同程度", "时有发生",
    "不够到位", "不到位", "有待加强", "有待提高", "有待进一步", "有待改进", "有待完善", "有待提升", "仍需加强", "还需加强",
    "亟待加强", "进一步加强", "进一步提高", "进一步规范", "进一步完善", "进一步",
    "不够深入", "不够扎实", "不够严格", "不够规范", "不够细致", "不够有力", "不够健全", "不够完善", "不够及时", "不够重视",
    "不够全面", "不够高", "重视不够", "认识不足", "力度不够", "力度不大", "存在薄弱环节", "较为薄弱", "比较薄弱",
    "仍有差距", "存在差距", "还有差距", "存在短板", "还不够", "有所欠缺", "不够严谨",
]
_VAGUE_RE = re.compile("|".join(sorted(map(re.escape, VAGUE_PHRASES), key=len, reverse=True)))
# in 定性 a judgement such as 落实不到位 rests on the facts above it; only boilerplate and vague quantifiers count there
QUALIFICATION_PHRASES = {"个别", "有的", "有些", "一些", "少数", "某些", "不同程度", "时有发生", "有待加强", "有待提高",
                         "有待进一步", "有待改进", "有待完善", "有待提升", "仍需加强", "还需加强", "亟待加强", "进一步加强",
                         "进一步提高", "进一步规范", "进一步完善", "存在薄弱环节", "存在短板"}
BOILERPLATE = QUALIFICATION_PHRASES - {"个别", "有的", "有些", "一些", "少数", "某些", "不同程度", "时有发生"}
_PEOPLE_RE = re.compile(r"(?:个别|有的|有些|一些|部分|少数|某些)(?:村|镇)?(?:党员干部|领导干部|村干部|干部|党员|同志|人员|领导|班子成员|职工)")
# 部分/一些 followed by a number, or 进一步 inside a recommendation, are not vague in themselves
_NOT_VAGUE_AFTER = re.compile(r"^(?:[0-9一二两三四五六七八九十]|时间|条款|内容|资金的|款项)")
# what makes a sentence concrete: a quantity, a (masked) person such as 张某, a quoted specific; a date alone does not
_FACT_RE = re.compile(r"[\u4e00-\u9fff]某某?(?!些)|[\u4e00-\u9fff][*＊]{2,3}(?![*＊\u4e00-\u9fff])|“[^”]{2,}”|「[^」]{2,}」")
_DATE_RE = re.compile(r"(?:19|20)[0-9]{2}\s*年(?:\s*[0-9]{1,2}\s*月(?:\s*[0-9]{1,2}\s*日)?)?(?:以来|至今)?|[0-9]{1,2}\s*月(?:\s*[0-9]{1,2}\s*日)?")
_SENT_RE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")

POLITICAL_RE = re.compile(r"政治|两个维护|两个确立|四个意识|四个自信|贯彻落实|部署|党中央|习近平|新发展理念|以人民为中心|"
                          r"初心使命|党的领导|国之大者|群众路线|宗旨意识|人民立场|群众立场|党性")
FOCUS_RE = re.compile(r"聚焦[^。\n]{0,24}?(?:决策部署|党的领导|路线方针政策)|(?:决策部署|党的领导)[^。\n]{0,8}?(?:方面|聚焦|落实情况)")


def _has_fact(sentence):
    s = _DATE_RE.sub("", fold(sentence))
    return bool(_FACT_RE.search(s) or _QTY_RE.search(s))


def check_vague_wording(ctx):
    d = ctx.draft
    out = []
    fields = [d.fields[n] for n in ("title", "summary", "facts", "_preamble", "qualification") if n in d.fields]
    if not any(f.name in ("facts", "_preamble") for f in fields):
        fields.append(ctx.facts)
    seen = set()
    body_has_fact = _has_fact(ctx.facts.value)
    for f in fields:
        # a title sums up and the facts below carry the detail: there only unnamed people and boilerplate count
        title_mode = f.name in ("title", "summary") and body_has_fact
        sents = list(_SENT_RE.finditer(f.value))
        for i, m in enumerate(sents):
            sent = m.group(0)
            hits = [v for v in _VAGUE_RE.finditer(sent) if not _NOT_VAGUE_AFTER.match(sent[v.end():])
                    and not re.search(r"(?:这|该|此|那|其余|上述|前述)$", sent[:v.start()])
                    and (f.name != "qualification" or v.group(0) in QUALIFICATION_PHRASES)
                    and (not title_mode or _PEOPLE_RE.match(sent, v.start()) or v.group(0) in BOILERPLATE)]
            if not hits:
                continue
            nxt = sents[i + 1].group(0) if i + 1 < len(sents) and f.name not in ("title", "summary") else ""
            if _has_fact(sent) or (nxt and _has_fact(nxt) and re.match(r"\s*(?:如|例如|比如|其中|经查|具体)", nxt)):
                continue
            v = hits[0]
            s, e = f.span(m.start() + v.start(), m.start() + v.end())
            if (s, e) in seen:
                continue
            seen.add((s, e))
            out.append(issue("vague-wording", f"「{v.group(0)}」所在的句子没有具体事实支撑，属于浅表化、同质化表述", s, e,
                             "用具体的人、事、时间、数额替换泛泛的说法，如把「个别村干部」写成「***村党支部书记张某」，"
                             "把「落实不到位」写成具体没做什么、差多少"))
    return out


def _political_focus(ctx):
    d = ctx.draft
    focus = d.get("focus").strip()
    if focus:
        return focus.lower() == "juece" or bool(re.search(r"决策部署|党的领导|路线方针政策", focus))
    return bool(FOCUS_RE.search(fold(ctx.text)))


def check_no_political_angle(ctx):
    if not _political_focus(ctx):
        return []
    d = ctx.draft
    q = d.fields.get("qualification")
    scope = q.value if q is not None and q.value.strip() else ctx.text
    if POLITICAL_RE.search(fold(scope)):
        return []
    if q is not None and q.value.strip():
        s, e = q.start, q.end
    else:
        s, e = ctx.facts.start, ctx.facts.end
    return [issue("no-political-angle", "问题归入「党的领导/决策部署」聚焦，但定性只停留在业务层面，没有从政治上分析", s, e,
                  "在定性中写明问题反映出的政治偏差：落实哪项党中央决策部署不力、政治站位和政治责任上的差距，"
                  "如「反映出该镇党委贯彻落实乡村振兴决策部署不坚决、不到位」")]


CHECKS = [check_vague_wording, check_no_political_angle]
