"""``outline``: an interview outline (谈话提纲) for one role, built from the checklists.

Sections, in order: 开场与暖场 (opening and warm-up topics), one section per 聚焦 (an open question per
supervision point, what to verify and what to watch for), 线索追问 (follow-ups tied to the clues the
inspector already holds, without revealing them), 谈话纪律 (reminders). Returns a dict; ``to_markdown``
renders it. Uses only the public KnowledgeBase API (get, search)."""
import re

from ..errors import InputError
from ..vocab import FOCUS_SHORT

UNIT_TYPES = ("村（社区）", "乡镇", "县直单位", "国有企业")
# checked in this order, against --unit first and then the role: 镇财政所会计 is 乡镇, **镇***村书记 is 村
UNIT_PATTERNS = [
    ("国有企业", r"公司|集团|国企|企业|董事长|总经理"),
    ("村（社区）", r"村|社区|居委会"),
    ("乡镇", r"镇|乡|街道"),
    ("县直单位", r"局|委|办|县直|部门|机关|中心|站|所|单位|党组|科|股"),
]
FOCUS_ALIASES = {
    "juece": ("juece", "决策部署", "党的领导", "路线方针政策", "政治", "部署", "意识形态"),
    "fubai": ("fubai", "腐败", "不正之风", "作风", "廉洁", "三资", "财务", "八项规定"),
    "zuzhi": ("zuzhi", "组织", "党建", "班子", "干部队伍", "组织建设", "选人用人"),
    "zhenggai": ("zhenggai", "整改", "巡察整改", "反馈"),
}
ALL_FOCUSES = ("juece", "fubai", "zuzhi", "zhenggai")
# role pattern -> (unit type guessed from the role or None, focuses in the order to ask them)
ROLE_PROFILES = [
    (r"会计|出纳|报账员|财务", None, ("fubai", "zhenggai")),
    (r"监委会|监督委员会|纪检委员|纪委书记|纪检组长|纪检监察", None, ("fubai", "zhenggai", "zuzhi")),
    (r"组织委员|组织员|人事|组织干事", None, ("zuzhi", "zhenggai")),
    (r"宣传委员|宣传", None, ("juece", "zuzhi")),
    (r"(村|社区).*(书记|支书)|村支书|支部书记", None, ALL_FOCUSES),
    (r"(村|居)委会主任|村主任|村长", "村（社区）", ("juece", "fubai", "zuzhi", "zhenggai")),
    (r"(镇|乡|街道).*(书记|镇长|乡长|主任)|镇长|乡长", "乡镇", ALL_FOCUSES),
    (r"董事长|总经理|经理|公司|国企", "国有企业", ALL_FOCUSES),
    (r"局长|党组|主任|科长|股长|县直", "县直单位", ALL_FOCUSES),
    (r"党员|群众|村民|居民|代表|退休|服务对象", None, ("juece", "fubai")),
]
PLACE_WORD = {"村（社区）": "村里", "乡镇": "镇里", "县直单位": "单位", "国有企业": "公司"}
POINTS_PER_FOCUS = 4
CLUE_HITS = 2
MAX_CLUES = 10
MAX_CLUE_CHARS = 300

# the interview discipline of the method record m-geren-tanhua comes first; these complete it
DISCIPLINE = [
    "两人以上共同谈话，一人主谈、一人记录；开场说明来意，告知谈话内容保密。",
    "不向谈话对象透露线索来源、反映人或其他人谈了什么，也不出示举报材料。",
    "先开放式提问，再逐步聚焦；不诱导、不暗示答案，不逼问。",
    "对「听说」「大概」之类的说法，追问时间、地点、经手人和出处；结束前与对方核对关键内容。",
    "谈话记录当天整理，按涉密材料管理，不外传、不私存。",
]
FALLBACK_DISCIPLINE = [
    "谈话内容严格保密，不向被巡察单位透露谁反映了什么。",
    "不对问题定性表态，不对处理结果作任何承诺。",
    "个别谈话不是审查谈话，不采取任何调查措施；态度不卑不亢、有礼有节。",
]
PUBLIC_ROLE = r"党员|群众|村民|居民|代表|退休|服务对象|职工"


def unit_type_of(unit=None, role=""):
    """The checklist unit type for a unit name (村, 镇, XX局…) or, failing that, for the role."""
    for text in (unit, role):
        t = (text or "").strip()
        if not t:
            continue
        if t in UNIT_TYPES:
            return t
        for utype, pattern in UNIT_PATTERNS:
            if re.search(pattern, t):
                return utype
    return None


def focuses_of(role, focus=None):
    """The focuses to cover, in order: the user's choice, else the role's profile, else all four."""
    if focus:
        wanted = [focus] if isinstance(focus, str) else list(focus)
        out = []
        for f in wanted:
            for part in re.split(r"[,，、\s]+", str(f).strip()):
                if not part:
                    continue
                code = next((c for c, names in FOCUS_ALIASES.items() if part.lower() in names
                             or any(n in part for n in names if len(n) >= 2)), None)
                if code is None:
                    raise InputError(f"无法识别聚焦「{part}」。可用：juece（决策部署）、fubai（腐败和作风）、"
                                     "zuzhi（组织建设）、zhenggai（整改落实）")
                if code not in out:
                    out.append(code)
        return out
    for pattern, _, focuses in ROLE_PROFILES:
        if re.search(pattern, role):
            return list(focuses)
    return list(ALL_FOCUSES)


def _checklist_for(kb, utype):
    for cid in kb.ids("checklist"):
        e = kb.get(cid)
        if e.get("unit_type") == utype:
            return e
    return None


def _warmup(role, utype):
    place = PLACE_WORD.get(utype, "单位")
    first = ("请先介绍一下您家里（个人）的情况，平时主要做些什么？" if re.search(PUBLIC_ROLE, role)
             else "请先简单介绍一下您的工作经历，目前具体负责哪些工作。")
    items = [
        {"question": first, "note": "从对方熟悉的话题谈起，缓和气氛"},
        {"question": f"这几年{place}变化大不大？您觉得做得最好的是哪几件事？", "note": "了解对方的关注点和表达习惯"},
        {"question": f"{place}目前最大的困难是什么？群众（干部职工）意见比较集中的是哪些方面？",
         "note": "由面到点，引出后面的聚焦问题"},
    ]
    if utype == "村（社区）":
        items.insert(1, {"question": "今年村里群众的收入、生产情况怎么样？看病、上学方便吗？",
                         "note": "家常话题，适合村干部和群众"})
    return items


def _focus_section(kb, checklist, code, role, utype):
    place = PLACE_WORD.get(utype, "单位")
    block = next((s for s in checklist["structure"] if s["focus"] == code), None)
    if block is None:
        return None
    items = []
    for point in block["points"][:POINTS_PER_FOCUS]:
        entries = [kb.get(i) for i in point["items"]]
        checks = [e["check"].rstrip("。") for e in entries][:3]
        watch = [s for e in entries for s in e.get("symptoms", [])][:4]
        keywords = [k for e in entries for k in e.get("keywords", [])]
        basis = sorted({b for e in entries for b in e.get("basis", [])})
        follow = [f"「{k}」这方面，{place}是怎么管的？有没有书面记录，由谁负责？" for k in keywords[:2]]
        items.append({
            "question": f"围绕「{point['title']}」，请您谈谈{place}是怎么做的、效果怎么样、还有哪些难处。",
            "follow_ups": follow + ["您刚才提到的情况，大概是什么时候？经手的是哪些人？涉及多少（钱、户、次）？"],
            "verify": checks, "watch_for": watch, "items": point["items"], "basis": basis,
        })
    return {"key": f"focus-{code}", "title": f"聚焦：{block['name']}", "focus": code,
            "focus_short": FOCUS_SHORT.get(code, code), "items": items}


def _clue_section(kb, clues, checklist, utype):
    place = PLACE_WORD.get(utype, "单位")
    out = []
    for clue in clues:
        hits = kb.search(clue[:MAX_CLUE_CHARS], kind="checklist_item", limit=8)
        own = [h for h in hits if h.get("checklist") == checklist["id"]]
        chosen = (own or list(hits))[:CLUE_HITS]
        entries = [kb.get(h["id"]) for h in chosen]
        point = entries[0]["point"] if entries else None
        topic = f"「{point}」" if point else "相关工作"
        out.append({
            "clue": clue,
            "questions": [
                f"请介绍一下{place}在{topic}方面的具体做法和流程，一般由谁负责、谁审批？",
                "这方面有没有制度、台账或会议记录？现在由谁保管？",
                "近几年有没有例外或者特殊处理的情况？具体是什么时间、经手人是谁、涉及多少？",
                "除了您，还有谁比较了解这方面的情况？",
            ],
            "verify": [e["check"].rstrip("。") for e in entries],
            "evidence": sorted({s for e in entries for s in e.get("sources", [])}),
            "basis": sorted({b for e in entries for b in e.get("basis", [])}),
            "items": [e["id"] for e in entries],
            "reminder": "围绕业务流程由远及近地问，不复述线索内容，不透露反映人，不诱导。",
        })
    return out


def _discipline(kb):
    try:
        method = [d.rstrip("。") + "。" for d in (kb.get("m-geren-tanhua").get("discipline") or [])]
    except Exception:  # noqa: BLE001 - the method record is optional
        method = []
    return [{"text": r, "source": "m-geren-tanhua" if r in method else ""}
            for r in (method or FALLBACK_DISCIPLINE) + DISCIPLINE]


def outline(role, unit=None, focus=None, clues=(), kb=None):
    """An interview outline for ``role`` (e.g. 村党支部书记) as a dict (see module doc).

    ``unit``: 村 | 社区 | 镇 | XX局 | 公司… (guessed from the role when omitted); ``focus``: one or more
    of juece / fubai / zuzhi / zhenggai (or Chinese words such as 决策部署、三资、整改); ``clues``: short
    descriptions of what the inspector already suspects. ``kb``: a KnowledgeBase (opened when None)."""
    role = (role or "").strip()
    if not role:
        raise InputError("请用 --role 指定谈话对象的职务，如 村党支部书记、镇长、XX局财务股会计")
    if len(role) > 40:
        raise InputError("职务写得太长了（超过 40 个字），请只写职务，如 村党支部书记")
    clues = [c.strip() for c in (clues or ()) if c and c.strip()]
    if len(clues) > MAX_CLUES:
        raise InputError(f"线索最多 {MAX_CLUES} 条，请合并或分几次生成提纲")
    utype = unit_type_of(unit, role)
    if utype is None:
        raise InputError(f"无法从「{unit or role}」判断被巡察单位类型，请用 --unit 指定：村、社区、镇、县直单位（如 XX局）或国有企业")
    if kb is None:
        from ..kb import KnowledgeBase
        kb = KnowledgeBase.open(notify=None)
    checklist = _checklist_for(kb, utype)
    if checklist is None:
        raise InputError(f"知识库中没有「{utype}」的监督重点清单，无法生成提纲")
    codes = focuses_of(role, focus)
    sections = [{"key": "opening", "title": "开场与暖场", "items": _warmup(role, utype)}]
    for code in codes:
        sec = _focus_section(kb, checklist, code, role, utype)
        if sec:
            sections.append(sec)
    if clues:
        sections.append({"key": "clues", "title": "线索追问", "items": _clue_section(kb, clues, checklist, utype)})
    sections.append({"key": "discipline", "title": "谈话纪律", "items": _discipline(kb)})
    return {"role": role, "unit": unit or "", "unit_type": utype, "checklist": checklist["id"],
            "checklist_title": checklist["title"], "focuses": codes, "clues": clues, "sections": sections}


def to_markdown(o):
    """Render an outline dict as Markdown."""
    lines = [f"# 谈话提纲：{o['role']}", ""]
    lines.append(f"- 被巡察单位类型：{o['unit_type']}" + (f"（{o['unit']}）" if o["unit"] else ""))
    lines.append(f"- 依据清单：{o['checklist_title']}（{o['checklist']}）")
    lines.append("- 谈话时间：＿＿＿＿　地点：＿＿＿＿　主谈：＿＿＿＿　记录：＿＿＿＿")
    lines.append("")
    n = 0
    for i, sec in enumerate(o["sections"], 1):
        lines.append(f"## {_cn(i)}、{sec['title']}")
        lines.append("")
        if sec["key"] == "opening":
            lines.append("开场：说明巡察组来意和谈话目的，告知谈话内容严格保密，请对方实事求是反映情况。")
            lines.append("")
            for it in sec["items"]:
                n += 1
                lines.append(f"{n}. {it['question']}　（{it['note']}）")
        elif sec["key"] == "clues":
            for j, it in enumerate(sec["items"], 1):
                lines.append(f"### 线索{_cn(j)}（仅供谈话人掌握，不得向谈话对象透露）：{it['clue']}")
                lines.append("")
                for q in it["questions"]:
                    n += 1
                    lines.append(f"{n}. {q}")
                if it["verify"]:
                    lines.append("")
                    lines.append("核实要点：" + "；".join(it["verify"]))
                if it["evidence"]:
                    lines.append(f"可调取的材料：{'、'.join(it['evidence'])}")
                if it["basis"]:
                    lines.append(f"可能涉及的依据：{'、'.join(it['basis'])}")
                lines.append(f"提醒：{it['reminder']}")
                lines.append("")
        elif sec["key"] == "discipline":
            for it in sec["items"]:
                lines.append(f"- {it['text']}")
        else:
            for it in sec["items"]:
                n += 1
                lines.append(f"{n}. {it['question']}")
                for f in it["follow_ups"]:
                    lines.append(f"   - 追问：{f}")
                if it["verify"]:
                    lines.append(f"   - 核实：{'；'.join(it['verify'])}")
                if it["watch_for"]:
                    lines.append(f"   - 留意：{'；'.join(it['watch_for'])}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _cn(n):
    from ..numerals import int_to_cn
    return int_to_cn(n)
