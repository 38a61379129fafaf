"""Rules across records that a schema cannot express: unique IDs, references that resolve, versions in order."""
from .records import Problem


def _date_key(d):
    return d or ""


def check_rules(regs, checklists, findings, methods, notebooks=None, broken=frozenset()):
    """Returns [Problem]. ``broken`` holds IDs of records that failed their schema (their references are
    not reported again). ``notebooks``: the set of notebook file names, or None to skip that check."""
    problems = []
    seen = {}

    def claim(rid, rel, field):
        if rid in seen:
            problems.append(Problem(rel, field, f"编号「{rid}」重复（已在 {seen[rid]} 中使用）；编号必须全局唯一"))
        else:
            seen[rid] = rel

    targets = set()
    for rid, r in regs.items():
        rel = r["_path"]
        claim(rid, rel, "id")
        for coll, key, fmt in (("articles", "number", "{}#{}"), ("provisions", "id", "{}#{}"), ("sections", "number", "{}#s{}")):
            nums = set()
            for el in r[coll]:
                k = el[key]
                if k in nums:
                    problems.append(Problem(rel, f"{coll}", f"{'条号' if key == 'number' else '编号'} {k} 重复出现"))
                nums.add(k)
                targets.add(fmt.format(rid, k))
        chapters = {s.get(k) for s in r["structure"] for k in ("chapter", "part") if s.get(k)}
        for a in r["articles"]:
            if chapters and a.get("chapter") and a["chapter"] not in chapters:
                problems.append(Problem(rel, f"articles[第{a['number']}条].chapter",
                                        f"章「{a['chapter']}」不在 structure 列出的章中；请核对章名"))
            prev = a.get("previous")
            if prev and prev["regulation"] not in r["supersedes"]:
                problems.append(Problem(rel, f"articles[第{a['number']}条].previous.regulation",
                                        f"「{prev['regulation']}」不是本版本取代的版本（supersedes: {', '.join(r['supersedes']) or '空'}）"))
        if r["status"] == "已被修订" and not r["superseded_by"]:
            problems.append(Problem(rel, "superseded_by", "状态为「已被修订」时必须写明被哪个版本取代"))
        if r["status"] == "现行有效" and r["superseded_by"] in regs:
            problems.append(Problem(rel, "status", f"已被 {r['superseded_by']} 取代，状态不应是「现行有效」"))
        new = regs.get(r["superseded_by"]) if r["superseded_by"] else None
        if new is not None:
            if rid not in new["supersedes"]:
                problems.append(Problem(rel, "superseded_by", f"{r['superseded_by']} 的 supersedes 中没有 {rid}；两边的版本关系要一致"))
            old_d = _date_key(r["dates"]["effective"] or r["dates"]["adopted"] or r["dates"]["published"])
            new_d = _date_key(new["dates"]["effective"] or new["dates"]["adopted"] or new["dates"]["published"])
            k = min(len(old_d), len(new_d))
            if k and old_d[:k] > new_d[:k]:
                problems.append(Problem(rel, "dates", f"版本顺序颠倒：本版本日期 {old_d} 晚于取代它的 {r['superseded_by']}（{new_d}）"))
        for old in r["supersedes"]:
            o = regs.get(old)
            if o is not None and o["superseded_by"] != rid:
                problems.append(Problem(rel, "supersedes", f"{old} 的 superseded_by 不是 {rid}；两边的版本关系要一致"))

    items = {}
    for cid, c in checklists.items():
        claim(cid, c["_path"], "id")
        for fo in c["focuses"]:
            for p in fo["points"]:
                for it in p["items"]:
                    claim(it["id"], c["_path"], f"focuses[{fo['focus']}].items[{it['id']}]")
                    if not it["id"].startswith(cid + "-"):
                        problems.append(Problem(c["_path"], f"items[{it['id']}].id", f"检查项编号应以「{cid}-」开头"))
                    items[it["id"]] = (cid, fo["focus"], it)
    for fid, f in findings.items():
        claim(fid, f["_path"], "id")
    method_cat = {}
    for mid, m in methods.items():
        claim(mid, m["_path"], "id")
        method_cat[mid] = m["category"]

    def refs(rel, field, values, pool, what):
        for v in values or []:
            base = v.split("#")[0]
            if v in pool or base in broken or v in broken:
                continue
            if what == "条文" and base in regs:
                msg = f"引用的「{v}」在 {base} 中不存在；请核对条号（只能引用 regulations/{base}.yaml 中列出的条文）"
            elif what == "条文":
                msg = f"引用的法规「{base}」不存在；可用的法规编号见 regulations/ 目录"
            else:
                msg = f"引用的{what}「{v}」不存在"
            problems.append(Problem(rel, field, msg))

    method_ids = set(methods)
    for cid, c in checklists.items():
        for fo in c["focuses"]:
            for p in fo["points"]:
                for it in p["items"]:
                    refs(c["_path"], f"items[{it['id']}].basis", it["basis"], targets, "条文")
                    refs(c["_path"], f"items[{it['id']}].methods", it.get("methods"), method_ids, "方法")
    for fid, f in findings.items():
        refs(f["_path"], "basis", f["basis"], targets, "条文")
        refs(f["_path"], "checklist_items", f.get("checklist_items"), items, "检查项")
        refs(f["_path"], "methods", f.get("methods"), method_ids, "方法")
    for mid, m in methods.items():
        rel = m["_path"]
        refs(rel, "articles", m.get("articles"), targets, "条文")
        refs(rel, "checklist_items", m.get("checklist_items"), items, "检查项")
        refs(rel, "findings", m.get("findings"), set(findings), "问题示例")
        refs(rel, "related", m.get("related"), method_ids, "方法")
        refs(rel, "stages", m.get("stages"), method_ids, "阶段")
        for s in m.get("stages") or []:
            if s in method_cat and method_cat[s] != "stage":
                problems.append(Problem(rel, "stages", f"「{s}」不是阶段记录（category 应为 stage）"))
        if m["category"] == "stage" and "order" not in m:
            problems.append(Problem(rel, "order", "阶段记录必须写明顺序 order"))
        if notebooks is not None:
            for nb in m.get("notebooks") or []:
                if nb not in notebooks:
                    problems.append(Problem(rel, "notebooks", f"notebooks/ 中没有「{nb}」"))
    return problems
