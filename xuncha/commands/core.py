"""search, show, index, check."""
import sys

from ..cli import ProgressBar, add_output_options, bold, dim, emit_json, highlight, open_kb
from ..vocab import FOCUS_SHORT, KIND_CN, KIND_GROUPS, STATUSES


def register(sub):
    sp = sub.add_parser("search", help="检索法规条文、检查项、问题示例和方法",
                        description="用日常说法、问题描述或条号检索。例：xuncha search 村干部用公款报销私人加油费；xuncha search 纪律处分条例第一百零三条")
    sp.add_argument("query", nargs="+", help="检索词、问题描述或条号")
    sp.add_argument("--kind", choices=sorted(KIND_GROUPS), help="只看某类记录：regulation（法规及其条文）、checklist、finding、method…")
    sp.add_argument("--regulation", metavar="ID", help="只看某部法规，如 jilv-2023")
    sp.add_argument("--status", choices=STATUSES, help="只看某种效力状态，如 现行有效")
    sp.add_argument("--limit", type=int, default=10, metavar="N", help="最多显示 N 条（默认 10）")
    add_output_options(sp)
    sp.set_defaults(func=cmd_search)

    sp = sub.add_parser("show", help="显示一条记录（条文含引用格式和效力状态）",
                        description="按编号或条号显示一条记录。例：xuncha show jilv-2023#113；xuncha show 纪律处分条例第113条")
    sp.add_argument("id", nargs="+", help="记录编号（如 jilv-2023#113、cun-shequ-f03）或条号写法")
    add_output_options(sp)
    sp.set_defaults(func=cmd_show)

    sp = sub.add_parser("index", help="重建检索索引（语料变更后会自动重建，一般无需手动运行）")
    sp.add_argument("--force", action="store_true", help="即使索引是最新的也重建")
    add_output_options(sp)
    sp.set_defaults(func=cmd_index)

    sp = sub.add_parser("check", help="校验全部语料：格式、重复编号、引用是否存在",
                        description="逐一校验 regulations/ checklists/ findings/ methods/ 和本地导入内容，一次列出全部问题。")
    add_output_options(sp)
    sp.set_defaults(func=cmd_check)


def badges(h):
    out = [KIND_CN.get(h["kind"], h["kind"])]
    if h.get("status"):
        out.append(h["status"] + ("（推定）" if h.get("status_assumed") else ""))
    if h["kind"] == "article":
        out.append("条号已核实" if h.get("number_verified") else "条号待核")
    if h.get("unit_type"):
        out.append(h["unit_type"])
    if isinstance(h.get("focus"), str) and h["focus"] in FOCUS_SHORT:
        out.append("聚焦：" + FOCUS_SHORT[h["focus"]])
    elif h.get("focuses"):
        out.append("聚焦：" + "、".join(FOCUS_SHORT.get(f, f) for f in h["focuses"]))
    return " · ".join(out)


def links_line(h):
    cb = h.get("cited_by") or {}
    parts = []
    if cb.get("checklist_items"):
        parts.append(f"检查项 {len(cb['checklist_items'])}")
    if cb.get("findings"):
        parts.append(f"问题示例 {len(cb['findings'])}")
    if cb.get("methods"):
        parts.append(f"方法 {len(cb['methods'])}")
    if h.get("basis"):
        parts.append("依据 " + "、".join(h["basis"]))
    return ("关联：" + "，".join(parts)) if parts else ""


def cmd_search(args):
    kb = open_kb(args)
    query = " ".join(args.query)
    if args.limit < 1:
        print("xuncha: --limit 应为正整数", file=sys.stderr)
        return 2
    hits = kb.search(query, kind=args.kind, regulation=args.regulation, status=args.status, limit=args.limit)
    if args.json:
        emit_json(list(hits))
    else:
        for i, h in enumerate(hits, 1):
            head = h.get("citation") or h["title"]
            print(f"{i}. {bold(head)}  [{badges(h)}]")
            if h.get("citation") and h["title"] != head:
                print(f"   {h['title']}")
            if h["snippet"]:
                print(f"   {highlight(h['snippet'])}")
            tail = " · ".join(x for x in (f"编号 {h['id']}", links_line(h)) if x)
            print(f"   {dim(tail)}")
    for n in hits.notes:
        print(f"提示：{n}", file=sys.stderr)
    if not hits:
        print(f"未找到与「{query}」相关的内容。", file=sys.stderr)
    if hits.suggestions:
        print("您是不是要找：" + "、".join(hits.suggestions), file=sys.stderr)
    return 0


FIELD_CN = {
    "check": "查什么", "sources": "看哪些材料", "symptoms": "表现形式", "basis": "定性依据", "methods": "适用方法",
    "keywords": "关键词", "checklist": "所属清单", "checklist_title": "清单", "unit_type": "单位类型", "focus": "聚焦代码",
    "focus_name": "聚焦", "point": "监督重点", "subject": "问题主体", "time": "时间", "place": "地点", "facts": "事实",
    "amount": "数额或规模", "qualification": "定性", "discipline": "问题性质", "checklist_items": "对应检查项",
    "seed": "来源种子文档", "seed_note": "来源说明", "name": "名称", "category": "类别", "order": "顺序",
    "stages": "所属阶段", "verified": "已核实", "unverified_note": "未核实说明", "purpose": "目的", "when": "何时用",
    "steps": "步骤", "prepare": "准备", "outputs": "形成的文书", "mistakes": "常见偏差", "articles": "相关条文",
    "findings": "相关问题示例", "related": "相关方法", "notebooks": "培训笔记本", "seeds": "来源种子文档",
    "intro": "说明", "formulation": "聚焦表述", "items": "检查项",
}
BUCKET_CN = {"checklist_items": "检查项", "findings": "问题示例", "methods": "方法"}


def _print_record(e):
    k = e["kind"]
    title = e.get("citation") or e.get("title")
    print(bold(title))
    rows = [("编号", e["id"]), ("类型", KIND_CN.get(k, k))]
    if k in ("article", "provision", "section"):
        rows += [("主题", e["topic"]), ("所属", f"{e['regulation_title']}（{e['version_label']}）"),
                 ("效力", e["status"] + ("（推定）" if e.get("status_assumed") else ""))]
        if e.get("chapter"):
            rows.append(("所在章", e["chapter"]))
        if k == "article":
            rows.append(("条号", "已核实" if e["number_verified"] else "条号待核（事实包置信度低，引用前请核对正式文本）"))
        if e.get("previous"):
            p = e["previous"]
            rows.append(("旧版条号", f"{p['regulation']} 第{p['number']}条" + ("" if p["verified"] else "（待核）")))
        if e.get("new_in_version"):
            rows.append(("说明", "本版新增条文"))
        if e.get("digest"):
            rows += [("要点", e["digest"]), ("巡察关注点", e["look_for"])]
        else:
            rows.append(("要点", "（本条只有本机导入的正式文本，语料中暂无要点）"))
        if e.get("keywords"):
            rows.append(("关键词", "、".join(e["keywords"])))
        rows.append(("正式文本", e.get("text") or "（未导入；可用 xuncha import 导入本单位持有的正式文本）"))
        cb = e.get("cited_by") or {}
        for key, label in (("checklist_items", "相关检查项"), ("findings", "相关问题示例"), ("methods", "相关方法")):
            if cb.get(key):
                rows.append((label, "、".join(cb[key])))
    elif k == "regulation":
        d = e["dates"]
        rows += [("版本", e["version_label"]), ("发布机关", e["issuer"]),
                 ("日期", "；".join(f"{n} {d[x]}" for x, n in (("adopted", "通过"), ("published", "发布"), ("effective", "施行")) if d.get(x))
                  + ("" if e["dates_verified"] else "（日期待核）")),
                 ("效力", e["status"] + ("（推定）" if e["status_assumed"] else "")),
                 ("概述", e["summary"]), ("收录", f"条文 {len(e['articles'])} · 无条号规定 {len(e['provisions'])} · 部分 {len(e['sections'])}"
                                      + (f"（全文共 {e['article_count']} 条）" if e.get("article_count") else ""))]
        if e.get("supersedes"):
            rows.append(("取代", "、".join(e["supersedes"])))
        if e.get("superseded_by"):
            rows.append(("被取代", e["superseded_by"]))
    elif k == "material":
        rows += [("出处", e.get("material_title") or e.get("material", "")),
                 ("层级", " › ".join(e.get("heading_path") or []) or "—"), ("内容", e.get("text") or "")]
    else:
        skip = {"id", "kind", "title", "schema_version", "cited_by", "used_by"}
        for key, val in e.items():
            if key in skip or val in (None, [], {}, ""):
                continue
            if isinstance(val, list):
                parts = [str(v) if not isinstance(v, dict) else v.get("name", str(v)) for v in val]
                long = sum(len(x) for x in parts) > 60
                val = ("\n" + "\n".join(f"      · {x}" for x in parts)) if long else "；".join(parts)
            elif isinstance(val, dict):
                continue
            if isinstance(val, bool):
                val = "是" if val else "否"
            if key == "category":
                val = {"stage": "阶段", "method": "法定工作方式", "extra": "各地创新方式", "practice": "工作做法"}.get(val, val)
            rows.append((FIELD_CN.get(key, key), str(val)))
        for bucket in ("cited_by", "used_by"):
            for key, ids in (e.get(bucket) or {}).items():
                if ids:
                    rows.append((f"{'被引用' if bucket == 'cited_by' else '用于'}（{BUCKET_CN.get(key, key)}）", "、".join(ids)))
    w = max(len(r[0]) for r in rows)
    for label, val in rows:
        print(f"  {label}{'　' * (w - len(label))}  {val}")


def cmd_show(args):
    kb = open_kb(args)
    records = [kb.get(" ".join(args.id))] if len(args.id) > 1 and kb.resolve(" ".join(args.id)) else [kb.get(i) for i in args.id]
    if args.json:
        emit_json(records[0] if len(records) == 1 else records)
        return 0
    for i, e in enumerate(records):
        if i:
            print()
        _print_record(e)
    return 0


def cmd_index(args):
    from ..kb import KnowledgeBase
    kb = KnowledgeBase(args.root, progress=ProgressBar())
    meta = kb.rebuild(force=args.force)
    if args.json:
        emit_json(meta)
        return 0
    c = meta["counts"]
    print(f"索引已就绪：{meta['documents']} 条记录（法规 {c.get('regulation', 0)}、条文 {c.get('article', 0)}、"
          f"无条号规定 {c.get('provision', 0)}、部分 {c.get('section', 0)}、检查项 {c.get('checklist_item', 0)}、"
          f"问题示例 {c.get('finding', 0)}、方法 {c.get('method', 0)}），建立用时 {meta['build_seconds']} 秒。")
    return 0


def cmd_check(args):
    from ..kb import KnowledgeBase
    kb = KnowledgeBase(args.root)
    problems = kb.check()
    errors = [p for p in problems if p.level == "error"]
    if args.json:
        emit_json([{"path": p.path, "field": p.field, "message": p.message, "level": p.level} for p in problems])
    else:
        for p in problems:
            print(p)
        if errors:
            print(f"校验未通过：{len(errors)} 处错误" + (f"，{len(problems) - len(errors)} 条提示" if len(problems) > len(errors) else "") + "。")
        else:
            c = kb.corpus.counts()
            print(f"校验通过：法规 {c.get('regulation', 0)} 部，条文 {c.get('article', 0)} 条，无条号规定 {c.get('provision', 0)} 项，"
                  f"部分 {c.get('section', 0)} 个，清单 {c.get('checklist', 0)} 份（检查项 {c.get('checklist_item', 0)} 项），"
                  f"问题示例 {c.get('finding', 0)} 个，方法 {c.get('method', 0)} 个。")
    return 1 if errors else 0
