"""round: the stages of a 巡察 round with their methods, documents and checklist items."""
from ..cli import add_output_options, bold, dim, emit_json, open_kb

CATEGORY_CN = {"method": "法定方式", "extra": "创新方式", "practice": "工作做法"}


def register(sub):
    sp = sub.add_parser("round", help="一页纸看懂一轮巡察：各阶段的方法、文书和检查项",
                        description="按顺序列出巡察一轮的各个阶段，以及每个阶段用到的工作方式、做法、形成的文书和相关检查项。")
    sp.add_argument("--items", type=int, default=5, metavar="N", help="每个阶段列出的检查项数（默认 5）")
    add_output_options(sp)
    sp.set_defaults(func=cmd_round)


def cmd_round(args):
    from ..rounds import round_plan
    plan = round_plan(open_kb(args), items_per_stage=max(0, args.items))
    if args.json:
        emit_json(plan)
        return 0
    print(bold("巡察一轮的阶段与方法") + dim("（xuncha show <编号> 查看详情）"))
    for st in plan:
        flag = "" if st["verified"] else "（未经核实）"
        print(f"\n{st['order']}. {bold(st['name'])}{flag}  {dim(st['id'])}")
        print(f"   {st['purpose']}")
        by_cat = {}
        for m in st["methods"]:
            by_cat.setdefault(m["category"], []).append(m["name"] + ("" if m["verified"] else "*"))
        for cat in ("method", "extra", "practice"):
            if by_cat.get(cat):
                print(f"   {CATEGORY_CN[cat]}：{'；'.join(by_cat[cat])}")
        if st["outputs"]:
            print(f"   形成文书：{'、'.join(st['outputs'])}")
        if st["checklist_items"]:
            more = st["checklist_item_count"] - len(st["checklist_items"])
            print(f"   相关检查项（共 {st['checklist_item_count']} 项）：" + "；".join(i["id"] for i in st["checklist_items"])
                  + (f" 等" if more > 0 else ""))
    print(dim("\n* 表示事实包中置信度低、未经核实的内容。"))
    return 0
