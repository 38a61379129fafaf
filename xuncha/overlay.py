"""The local overlay (git-ignored ``local/``): official texts an office imported on its own machine.

``local/regulations/<id>.yaml`` either adds official article texts to a shipped regulation, or (with a
``regulation:`` block) defines a local regulation such as a county's own 巡察工作实施办法.
``local/materials/<id>.yaml`` holds study materials split into sections."""
from pathlib import Path

from .paths import LOCAL_DIR
from .records import Problem, read_yaml


def _local_regulation(rid, data, rel, problems):
    meta = data.get("regulation")
    if not isinstance(meta, dict) or not meta.get("title"):
        problems.append(Problem(rel, "regulation.title", "本地法规缺少标题；请重新导入并用 --as 指定编号"))
        return None
    arts = []
    for a in data.get("articles") or []:
        arts.append({"number": a["number"], "chapter": a.get("chapter"), "topic": a.get("topic") or a.get("chapter") or "本地导入条文",
                     "keywords": a.get("keywords") or [], "number_verified": True,
                     "digest": a.get("digest") or "", "look_for": a.get("look_for") or ""})
    return {
        "schema_version": 1, "id": rid, "title": meta["title"], "short_title": meta.get("short_title") or meta["title"],
        "aliases": meta.get("aliases") or [], "version_label": meta.get("version_label") or "本地导入",
        "kind": meta.get("kind") or "内部制度", "issuer": meta.get("issuer") or "本地导入",
        "dates": meta.get("dates") or {"adopted": None, "published": None, "effective": None},
        "dates_verified": False, "status": meta.get("status") or "现行有效", "status_assumed": True,
        "supersedes": [], "superseded_by": None, "article_count": len(arts),
        "summary": meta.get("summary") or "本机导入的本地制度文件。", "structure": meta.get("structure") or [],
        "articles": arts, "provisions": [], "sections": [], "_path": rel, "_local": True,
    }


def load_overlay(root, shipped):
    """Returns (overlay {reg_id: {'source', 'articles': {number: {...}}}}, local regulations, materials, problems)."""
    root = Path(root)
    overlay, local_regs, materials, problems = {}, {}, {}, []
    reg_dir = root / LOCAL_DIR / "regulations"
    if reg_dir.is_dir():
        for path in sorted(reg_dir.glob("*.yaml")):
            rel = path.relative_to(root).as_posix()
            data, probs = read_yaml(path, rel)
            problems += probs
            if data is None:
                continue
            rid = data.get("id") or path.stem
            arts = {}
            for i, a in enumerate(data.get("articles") or []):
                if not isinstance(a, dict) or not isinstance(a.get("number"), int):
                    problems.append(Problem(rel, f"articles[#{i + 1}].number", "条号应为整数；请重新导入该文件"))
                    continue
                arts[a["number"]] = a
            overlay[rid] = {"source": data.get("source"), "articles": arts}
            if rid not in shipped:
                reg = _local_regulation(rid, data, rel, problems)
                if reg is not None:
                    local_regs[rid] = reg
            else:
                known = {a["number"] for a in shipped[rid]["articles"]}
                for n in arts:
                    if n not in known:
                        arts[n].setdefault("extra", True)
    mat_dir = root / LOCAL_DIR / "materials"
    if mat_dir.is_dir():
        for path in sorted(mat_dir.glob("*.yaml")):
            rel = path.relative_to(root).as_posix()
            data, probs = read_yaml(path, rel)
            problems += probs
            if data is None:
                continue
            mid = data.get("id") or path.stem
            for i, s in enumerate(data.get("sections") or []):
                sid = f"{mid}#{i + 1}"
                materials[sid] = {"id": sid, "kind": "material", "material": mid, "title": s.get("title") or data.get("title"),
                                  "heading_path": s.get("path") or [], "text": s.get("text") or "",
                                  "material_title": data.get("title") or mid, "source": data.get("source")}
    return overlay, local_regs, materials, problems
