"""cite: 定性依据 for a problem description."""
import sys

from ..cli import add_output_options, bold, dim, emit_json, highlight, open_kb
from ..vocab import FOCUS_NAMES, STATUSES
from .core import badges

WHY_LINKS = 3


def register(sub):
    sp = sub.add_parser(
        "cite", help="为问题描述找定性依据（条文、规定），说明匹配理由、所属聚焦和相关检查项、问题示例",
        description="把底稿里的问题描述原样粘贴进来，列出可作定性依据的条文（现行有效优先），并说明为什么匹配。"
                    "例：xuncha cite \"***镇党委2022年以来多次使用公务车辆接送领导家属\" --date 2022-06-30")
    sp.add_argument("problem", nargs="+", help="问题描述（可直接粘贴底稿原文），也可以是条号")
    sp.add_argument("--date", metavar="YYYY-MM-DD",
                    help="行为发生的日期：优先给出当时施行的版本及其条号（如纪律处分条例 2018 年版）")
    sp.add_argument("--regulation", metavar="ID", help="只看某部法规，如 jilv-2023")
    sp.add_argument("--status", choices=STATUSES, help="只看某种效力状态，如 现行有效")
    sp.add_argument("--focus", choices=sorted(FOCUS_NAMES),
                    help="只看某个聚焦：juece 决策部署落实、fubai 群众身边腐败和不正之风、zuzhi 基层党组织建设、zhenggai 整改落实")
    sp.add_argument("--limit", type=int, default=5, metavar="N", help="最多显示 N 条（默认 5）")
    add_output_options(sp, "输出 JSON（字段与 search --json 相同，另有 why、checklist_items、findings、then）")
    sp.set_defaults(func=cmd_cite)


def why_line(h):
    w = h.get("why") or {}
    parts = []
    if w.get("reference"):
        parts.append(w["reference"])
    if w.get("terms"):
        parts.append("命中" + "".join(f"「{t}」" for t in w["terms"][:6]))
    if w.get("synonyms"):
        parts.append("同义/纠错：" + "、".join(w["synonyms"][:4]))
    linked = w.get("linked") or []
    if linked:
        names = {"finding": "问题示例", "checklist_item": "检查项"}
        shown = "；".join(f"{names.get(x['kind'], x['kind'])} {x['id']}" for x in linked[:WHY_LINKS])
        parts.append(f"相近的{shown}" + (f" 等 {len(linked)} 项" if len(linked) > WHY_LINKS else "") + "以本条为依据")
    return "匹配理由：" + ("；".join(parts) if parts else "文字相近")


def then_line(h):
    t = h.get("then")
    if not t or t.get("in_force"):
        return ""
    if t.get("citation"):
        return f"行为发生时：{t['citation']}" + ("" if t.get("verified") else "，引用前请核对正式文本")
    return f"行为发生时：{t.get('note') or '当时的版本未收录'}"


def cmd_cite(args):
    if args.limit < 1:
        print("xuncha: --limit 应为正整数", file=sys.stderr)
        return 2
    from ..cite import check_request
    problem = " ".join(args.problem)
    check_request(problem, args.date)  # a typo in the request should not wait for an index build
    kb = open_kb(args)
    hits = kb.cite(problem, date=args.date, regulation=args.regulation, status=args.status, focus=args.focus,
                   limit=args.limit)
    if args.json:
        emit_json(list(hits))
    else:
        for n in hits.notes:
            print(f"提示：{n}", file=sys.stderr)
        for i, h in enumerate(hits, 1):
            print(f"{i}. {bold(h.get('citation') or h['title'])}  [{badges(h)}]")
            print(f"   {h['title']}")
            tl = then_line(h)
            if tl:
                print(f"   {tl}")
            print(f"   {highlight(why_line(h))}")
            for label, key in (("检查项", "checklist_items"), ("问题示例", "findings")):
                for x in h.get(key) or []:
                    print(dim(f"   {label} {x['id']}：{x['title']}"))
            print(dim(f"   编号 {h['id']}"))
        if not hits:
            print(f"未找到与「{problem}」相关的定性依据。", file=sys.stderr)
    if args.json:
        for n in hits.notes:
            print(f"提示：{n}", file=sys.stderr)
    if hits.suggestions:
        print("您是不是要找：" + "、".join(hits.suggestions), file=sys.stderr)
    return 0
