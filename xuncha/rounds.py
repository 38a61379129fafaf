"""The one-page plan of a 巡察 round: stages in order, with the methods, documents and checklist items
that belong to each (derived from methods/ and the checklists' method links)."""


def round_plan(kb, items_per_stage=5):
    """Returns [{'id', 'name', 'order', 'purpose', 'verified', 'methods': [{'id','name','category'}],
    'outputs': [...], 'method_outputs': [...], 'checklist_items': [...], 'checklist_item_count': n}] ordered by stage."""
    methods = [kb.get(i) for i in kb.ids(kind="method")]
    stages = sorted((m for m in methods if m["category"] == "stage"), key=lambda m: m.get("order", 99))
    plan = []
    for s in stages:
        members = [m for m in methods if s["id"] in (m.get("stages") or [])]
        members.sort(key=lambda m: ({"method": 0, "extra": 1, "practice": 2}.get(m["category"], 3), m.get("order", 99), m["id"]))
        outputs = list(s.get("outputs") or [])
        method_outputs = [o for o in dict.fromkeys(o for m in members for o in (m.get("outputs") or [])) if o not in outputs]
        items = list(dict.fromkeys(i for m in [s] + members for i in (m.get("used_by", {}).get("checklist_items") or [])))
        plan.append({
            "id": s["id"], "name": s["name"], "order": s.get("order"), "purpose": s["purpose"], "when": s["when"],
            "verified": s["verified"], "unverified_note": s.get("unverified_note"),
            "methods": [{"id": m["id"], "name": m["name"], "category": m["category"], "verified": m["verified"]} for m in members],
            "outputs": outputs, "method_outputs": method_outputs,
            "checklist_items": [{"id": i, "title": kb.get(i)["title"]} for i in items[:items_per_stage]],
            "checklist_item_count": len(items),
        })
    return plan
