"""missing-subject, missing-time, missing-fact-detail: 见人见事见细节, the 四个准确 of a finding."""
import re

from ..citations import fold
from . import issue

_ORG = (r"党委|党组(?!织)|党工委|党总支|党支部|支委会|村委会|居委会|村两委|两委|监委会|委员会|领导班子|班子|公司|集团|合作社|"
        r"卫生院|医院|学校|办公室|服务中心|服务站|派出所|财政所|村民小组")
_SUFFIX = r"局|镇|乡|村|社区|街道|站|所|科|股|部|处|办|队|组(?!织)|厂|院|校|中心|单位|支部|党委|党组(?!织)|公司"
_ROLE = (r"书记|主任|局长|镇长|乡长|县长|村长|会计|出纳|报账员|文书|委员|负责人|经理|董事长|校长|院长|"
         r"组长|科长|股长|所长|站长|队长|网格员|村医|监督员|一把手|经办人|班子成员|分管领导|主要领导")
# a group says which kind of people, not who: 党员干部作风不实
_GROUP = r"党员干部|领导干部|村干部|干部|党员|工作人员|职工|员工|同志|人员|基层党组织|党组织"
_MASK = r"[*＊xX×○]{1,3}"
_SUBJECT_RE = re.compile(rf"[\u4e00-\u9fff](?:某某?|{_MASK})"               # 张某, 王**
                         rf"|(?:{_MASK}|该|本|某)[\u4e00-\u9fff]{{0,4}}?(?:{_SUFFIX})"  # ***村, **镇党委, XX局, 该局
                         rf"|{_ORG}|{_ROLE}")
_VAGUE_SUBJECT_RE = re.compile(rf"(?:个别|有的|有些|一些|部分|少数|某些|相关|有关)(?:(?:村|镇|乡|社区)?(?:{_GROUP}|{_ROLE}|{_ORG})|村|镇|单位|部门|人)")
_GROUP_RE = re.compile(rf"(?:{_GROUP})")
_GENERIC_SUBJECTS = {"无", "暂无", "待定", "待补充", "略", "不详", "相关人员", "有关人员", "个别干部", "有的干部", "部分干部",
                     "相关单位", "有关单位", "个别同志", "有的同志"}

_QTY_RE = re.compile(r"(?:[0-9]+(?:\.[0-9]+)?|[一二两三四五六七八九十百千万亿几数半余]+)\s*(?:余|多)?\s*"
                     r"(?:万元|亿元|千元|元|笔|人次|人|名|户|个月|个|项|份|件|张|天|日|小时|周|辆|台|套|亩|公顷|平方米|平方|立方米|米|"
                     r"公里|千米|吨|公斤|千克|斤|升|间|栋|层|批|家|场|篇|页|条|本|期|轮|处|所|座|宗|起|箱|瓶|桌|餐|顿|盒|株|棵|"
                     r"头|只|届|位|封|卷|册|类|节|课时|分钟|次|盏|口|眼|片|段|根|块|趟|%|％|成|倍)"
                     r"|[一二两三四五六七八九十半几数]+(?:个)?(?:年|月)(?:以上|多|余|之久)?")
MIN_FACT_CHARS = 30


def _first_sentence(field):
    m = re.search(r"[。！？!?\n]", field.value)
    j = m.start() + 1 if m else min(len(field.value), 40)
    return field.span(0, max(1, j))


def check_missing_subject(ctx):
    d = ctx.draft
    f = d.fields.get("subject")
    if f is not None and f.value.strip():
        v = f.value.strip()
        if v in _GENERIC_SUBJECTS or _VAGUE_SUBJECT_RE.fullmatch(v):
            return [issue("missing-subject", f"问题主体「{v}」是泛指，看不出是谁", f.start, f.end,
                          "写明具体的单位、党组织或脱敏后的人员，如 ***村党支部书记、**镇党委、XX局财务股会计张某",
                          severity="warning")]
        return []
    story = " ".join(x for x in (d.get("title"), d.get("summary"), ctx.facts.value) if x)
    t = fold(story)
    vague = list(_VAGUE_SUBJECT_RE.finditer(t))
    vague_spans = [(m.start(), m.end()) for m in vague]
    for m in _SUBJECT_RE.finditer(t):
        if any(a <= m.start() < b for a, b in vague_spans):
            continue
        if any(a == m.end() for a, b in vague_spans) or (_GROUP_RE.match(t, m.end()) and not _SUBJECT_RE.match(
                t, _GROUP_RE.match(t, m.end()).end())):
            continue  # **镇个别村干部, **镇党员干部: the place only says where the unnamed people are
        return []
    groups = [g for g in _GROUP_RE.finditer(t) if not any(a <= g.start() < b for a, b in vague_spans)]
    if groups and not vague:
        vague = groups
    if vague:
        s, e = vague[0].span()
        src = ctx.facts if not (d.get("title") or d.get("summary")) else None
        if src is None:
            s, e = _locate(ctx, story[s:e])
        else:
            s, e = src.span(s, e)
        return [issue("missing-subject", f"主体只写了「{story[vague[0].start():vague[0].end()]}」，看不出具体是谁", s, e,
                      "写明具体的单位、党组织或脱敏后的人员（见人见事），如 ***村党支部书记张某", severity="warning")]
    s, e = _first_sentence(ctx.facts)
    return [issue("missing-subject", "事实中找不到问题主体（哪个单位、党组织或哪名干部）", s, e,
                  "补写问题主体，人员脱敏，如「***村党支部书记张某」「**镇党委」「XX局财务股」")]


def _locate(ctx, needle):
    i = ctx.text.find(needle)
    return (i, i + len(needle)) if i >= 0 else (ctx.facts.start, ctx.facts.start)


def check_missing_time(ctx):
    times = ctx.times
    if any(t.kind == "date" for t in times):
        future = [t for t in times if t.kind == "date" and t.first_day() and t.first_day() > ctx.today]
        if future:
            t = future[0]
            return [issue("missing-time", f"时间「{ctx.text[t.start:t.end]}」晚于今天（{ctx.today.isoformat()}）", t.start, t.end,
                          "核对年份是否写错", severity="warning")]
        return []
    rel = [t for t in times if t.kind == "relative"]
    if rel:
        t = rel[0]
        return [issue("missing-time", f"「{ctx.text[t.start:t.end]}」是相对时间，底稿归档后会产生歧义", t.start, t.end,
                      f"写明具体年份，如 {t.year}年" if t.year else "写明具体年份", severity="warning")]
    vague = [t for t in times if t.kind in ("vague", "partial")]
    if vague:
        t = vague[0]
        return [issue("missing-time", f"时间只写了「{ctx.text[t.start:t.end]}」，不够准确", t.start, t.end,
                      "写明问题发生的年月或起止时段，如「2022年3月至2023年6月」", severity="warning")]
    f = ctx.draft.fields.get("time")
    s, e = (f.start, f.end) if f is not None else _first_sentence(ctx.facts)
    return [issue("missing-time", "底稿没有写明问题发生的时间", s, e,
                  "补写具体时间或时段，如「2022年3月至2023年6月」「2023年春节期间」")]


def check_missing_fact_detail(ctx):
    facts = ctx.facts
    d = ctx.draft
    value = facts.value.strip()
    if len(re.sub(r"\s", "", value)) < MIN_FACT_CHARS:
        s, e = (facts.start, facts.end) if value else (facts.start, facts.start)
        return [issue("missing-fact-detail", f"事实部分只有 {len(value)} 个字，讲不清发生了什么", s, e,
                      "按「谁、何时、何地、做了什么、涉及多少」写清经过，附上数额、次数、人数等细节")]
    if _QTY_RE.search(fold(value)) or (d.has("amount") and _QTY_RE.search(fold(d.get("amount")))):
        return []
    s, e = _first_sentence(facts)
    return [issue("missing-fact-detail", "事实中没有数额、次数、人数、户数等具体细节", s, e,
                  "写明涉及金额（元）、次数、笔数、人数或户数，如「共报销 12 次，金额 2.3 万元」")]


CHECKS = [check_missing_subject, check_missing_time, check_missing_fact_detail]
