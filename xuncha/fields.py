"""What of each entry goes into which index field. Changing this file changes the index fingerprint."""
import json


def _j(*parts):
    out = []
    for p in parts:
        if not p:
            continue
        if isinstance(p, (list, tuple)):
            out.append(" ".join(str(x) for x in p if x))
        else:
            out.append(str(p))
    return "\n".join(out)


def entry_fields(e):
    k = e["kind"]
    title = keywords = body = context = text = ""
    if k in ("article", "provision", "section"):
        title = _j(e["topic"], e["title"] if e["title"] != e["topic"] else "")
        keywords = _j(e["keywords"])
        body = _j(e["digest"], e["look_for"])
        context = _j(e["regulation_title"], e["regulation_short"], e.get("chapter"), e["citation"])
        text = e.get("text") or ""
    elif k == "regulation":
        title = _j(e["title"], e["short_title"])
        keywords = _j(e["aliases"])
        body = e["summary"]
        context = _j(e["issuer"], e["doc_kind"], e["version_label"])
    elif k == "checklist":
        title, body, context = e["title"], e["intro"], e["unit_type"]
    elif k == "checklist_item":
        title = e["check"]
        keywords = _j(e["keywords"], e["symptoms"])
        body = _j(e["point"], e["symptoms"])
        context = _j(e["focus_name"], e["checklist_title"], e["unit_type"], e["sources"])
    elif k == "finding":
        title = e["title"]
        keywords = _j(e.get("keywords"))
        body = _j(e["facts"], e["qualification"])
        context = _j(e["subject"], e["unit_type"], e["discipline"], e["focus_name"])
    elif k == "method":
        title = e["name"]
        keywords = _j(e.get("keywords"))
        body = _j(e["purpose"], e["when"], e["steps"], e["mistakes"], e["discipline"], e.get("prepare"), e.get("outputs"))
        context = e["category"]
    elif k == "material":
        title = e["title"]
        body = e["text"]
        context = _j(e["material_title"], e["heading_path"])
    focus = e.get("focus") if isinstance(e.get("focus"), str) else ",".join(e.get("focuses") or [])
    doc = {"id": e["id"], "kind": k, "regulation": e.get("regulation") or (e["id"] if k == "regulation" else ""),
           "status": e.get("status") or "", "focus": focus or "", "unit_type": e.get("unit_type") or "",
           "title": title, "keywords": keywords, "body": body, "context": context, "text": text,
           "data": json.dumps(e, ensure_ascii=False)}
    if k == "article":
        doc["number"] = e["article"]
    if k == "regulation":
        d = e["dates"]
        doc["date"] = d.get("effective") or d.get("published") or d.get("adopted") or ""
    return doc


def display_text(e):
    """The text a snippet is cut from, in reading order."""
    k = e["kind"]
    if k in ("article", "provision", "section"):
        return _j(e["digest"], e["look_for"], e.get("text"))
    if k == "regulation":
        return e["summary"]
    if k == "checklist":
        return e["intro"]
    if k == "checklist_item":
        return _j(e["check"], "表现：" + "；".join(e["symptoms"]))
    if k == "finding":
        return _j(e["facts"], e["qualification"])
    if k == "method":
        return _j(e["purpose"], e["when"], "；".join(e["steps"]), "；".join(e["mistakes"]))
    if k == "material":
        return e["text"]
    return ""
