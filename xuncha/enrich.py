"""Derived fields, computed once after validation: citations, back-links, flattened entries.

Every searchable or showable thing becomes one *entry* (a plain dict) with an ``id`` and a ``kind``.
Derived values are computed here only; records on disk never carry them."""
import re

from .numerals import int_to_cn
from .vocab import FOCUS_NAMES

UNVERIFIED = "条号待核"


def version_tag(reg):
    """'2022年部分修改（二十大）' -> '2022年部分修改' (no nested brackets inside a citation)."""
    return re.sub(r"（[^）]*）|\([^)]*\)", "", reg["version_label"]).strip()


def reg_citation(reg):
    return f"《{reg['title']}》（{version_tag(reg)}）"


def article_citation(reg, number, verified):
    c = f"{reg_citation(reg)}第{int_to_cn(number)}条"
    return c if verified else f"{c}（{UNVERIFIED}）"


def section_unit(reg):
    return "项" if reg["kind"] == "规定" else "部分"


def build_entries(regs, checklists, findings, methods, overlay=None):
    """Returns {id: entry} for every regulation, article, provision, section, checklist, checklist item,
    finding and method, with citations and back-links filled in."""
    overlay = overlay or {}
    entries = {}
    for rid, r in regs.items():
        ov = overlay.get(rid, {})
        entries[rid] = {
            "id": rid, "kind": "regulation", "title": r["title"], "short_title": r["short_title"],
            "aliases": r.get("aliases", []), "version_label": r["version_label"], "doc_kind": r["kind"],
            "issuer": r["issuer"], "dates": r["dates"], "dates_verified": r["dates_verified"],
            "status": r["status"], "status_assumed": r["status_assumed"], "supersedes": r["supersedes"],
            "superseded_by": r["superseded_by"], "article_count": r.get("article_count"), "summary": r["summary"],
            "structure": r["structure"], "citation": reg_citation(r), "local": bool(r.get("_local")),
            "articles": [f"{rid}#{a['number']}" for a in r["articles"]],
            "provisions": [f"{rid}#{p['id']}" for p in r["provisions"]],
            "sections": [f"{rid}#s{s['number']}" for s in r["sections"]],
            "source": ov.get("source"),
        }
        parts = {s.get("chapter"): s.get("part") for s in r["structure"] if s.get("chapter")}
        ov_articles = ov.get("articles", {})
        common = {"regulation": rid, "regulation_title": r["title"], "regulation_short": r["short_title"],
                  "version_label": r["version_label"], "status": r["status"], "status_assumed": r["status_assumed"],
                  "cited_by": {"checklist_items": [], "findings": [], "methods": []}, "focuses": []}
        for a in r["articles"]:
            aid = f"{rid}#{a['number']}"
            ova = ov_articles.get(a["number"], {})
            verified = a["number_verified"] or bool(ova.get("number_verified"))
            prev = None
            if a.get("previous"):
                p = a["previous"]
                old = regs.get(p["regulation"])
                prev = dict(p, id=f"{p['regulation']}#{p['number']}",
                            citation=article_citation(old, p["number"], p["verified"]) if old else None)
            entries[aid] = dict(common, **{
                "id": aid, "kind": "article", "article": a["number"], "title": a["topic"], "topic": a["topic"],
                "chapter": a.get("chapter"), "part": parts.get(a.get("chapter")), "keywords": a["keywords"],
                "digest": a["digest"], "look_for": a["look_for"], "number_verified": verified,
                "verified_by_import": bool(ova.get("number_verified")) and not a["number_verified"],
                "previous": prev, "new_in_version": a.get("new_in_version", False),
                "citation": article_citation(r, a["number"], verified),
                "text": ova.get("text"), "cited_by": {"checklist_items": [], "findings": [], "methods": []}, "focuses": []})
        for p in r["provisions"]:
            pid = f"{rid}#{p['id']}"
            entries[pid] = dict(common, **{
                "id": pid, "kind": "provision", "article": None, "title": p["topic"], "topic": p["topic"],
                "keywords": p["keywords"], "digest": p["digest"], "look_for": p["look_for"], "number_verified": False,
                "verified": p["verified"], "citation": f"{reg_citation(r)}关于“{p['topic']}”的规定（无条号）",
                "text": None, "cited_by": {"checklist_items": [], "findings": [], "methods": []}, "focuses": []})
        for s in r["sections"]:
            sid = f"{rid}#s{s['number']}"
            unit = section_unit(r)
            entries[sid] = dict(common, **{
                "id": sid, "kind": "section", "article": None, "section": s["number"], "title": s["title"],
                "topic": s.get("topic") or s["title"], "keywords": s["keywords"], "digest": s["digest"],
                "look_for": s["look_for"], "number_verified": s["verified"], "verified": s["verified"],
                "citation": f"《{r['title']}》第{int_to_cn(s['number'])}{unit}“{s['title']}”",
                "text": None, "cited_by": {"checklist_items": [], "findings": [], "methods": []}, "focuses": []})

    def backlink(target_ids, kind_key, source_id, focus=None):
        for t in target_ids or []:
            e = entries.get(t)
            if e is None or "cited_by" not in e:
                continue
            if source_id not in e["cited_by"][kind_key]:
                e["cited_by"][kind_key].append(source_id)
            if focus and focus not in e["focuses"]:
                e["focuses"].append(focus)

    for cid, c in checklists.items():
        item_ids = []
        for fo in c["focuses"]:
            for p in fo["points"]:
                for it in p["items"]:
                    item_ids.append(it["id"])
                    entries[it["id"]] = {
                        "id": it["id"], "kind": "checklist_item", "title": it["check"], "check": it["check"],
                        "checklist": cid, "checklist_title": c["title"], "unit_type": c["unit_type"],
                        "focus": fo["focus"], "focus_name": fo["name"], "point": p["title"],
                        "sources": it["sources"], "symptoms": it["symptoms"], "basis": it["basis"],
                        "methods": it.get("methods", []), "keywords": it.get("keywords", []),
                        "cited_by": {"findings": [], "methods": []}}
                    backlink(it["basis"], "checklist_items", it["id"], fo["focus"])
        entries[cid] = {"id": cid, "kind": "checklist", "title": c["title"], "unit_type": c["unit_type"],
                        "formulation": c["formulation"], "intro": c["intro"], "items": item_ids,
                        "structure": [{"focus": fo["focus"], "name": fo["name"],
                                     "points": [{"title": p["title"], "items": [it["id"] for it in p["items"]]}
                                                for p in fo["points"]]} for fo in c["focuses"]]}
    for fid, f in findings.items():
        entries[fid] = dict({k: v for k, v in f.items() if not k.startswith("_") and k != "schema_version"},
                            kind="finding", focus_name=FOCUS_NAMES[f["focus"]], cited_by={"methods": []})
        backlink(f["basis"], "findings", fid, f["focus"])
        for it in f.get("checklist_items") or []:
            if it in entries and fid not in entries[it]["cited_by"]["findings"]:
                entries[it]["cited_by"]["findings"].append(fid)
    for mid, m in methods.items():
        entries[mid] = dict({k: v for k, v in m.items() if not k.startswith("_") and k != "schema_version"},
                            kind="method", title=m["name"], used_by={"checklist_items": [], "findings": []})
    for mid, m in methods.items():
        backlink(m.get("articles"), "methods", mid)
        for ref_key, kind_key in (("checklist_items", "methods"), ("findings", "methods")):
            for t in m.get(ref_key) or []:
                e = entries.get(t)
                if e is not None and mid not in e["cited_by"][kind_key]:
                    e["cited_by"][kind_key].append(mid)
    for e in list(entries.values()):
        if e["kind"] in ("checklist_item", "finding"):
            for mid in e.get("methods") or []:
                m = entries.get(mid)
                if m is not None:
                    bucket = "checklist_items" if e["kind"] == "checklist_item" else "findings"
                    if e["id"] not in m["used_by"][bucket]:
                        m["used_by"][bucket].append(e["id"])
    return entries
