"""The local overlay (git-ignored ``local/``): official texts and study materials an office imported on
its own machine with ``xuncha import``. Nothing here is ever committed or shipped.

``local/regulations/<id>.yaml`` (``kind: regulation_text``) holds the official text of one regulation,
article by article:

* when ``<id>`` is a shipped regulation (``jilv-2023``), each article's ``text`` is shown next to the
  project's digest, ``number_verified: true`` (with ``verified_source``: file name and SHA-256) turns a
  「条号待核」 into a checked number, and articles the digest does not cover become text-only articles
  (so ``xuncha show jilv-2023#5`` shows the official 第五条);
* when ``<id>`` is new (imported with ``--as``), its ``regulation:`` block makes it a local regulation,
  searchable and citable like a shipped one.

``local/materials/<id>.yaml`` (``kind: material``) holds a study material split into sections; each
section is an entry ``<id>#<n>`` of kind ``material``.

The format is defined by ``schemas/overlay.schema.json``; every file is validated with it."""
import re
from pathlib import Path

from .paths import LOCAL_DIR
from .records import Problem, read_yaml, validate_record

_CHAPTER_LABEL = re.compile(r"^(第[^ ]+?[章编])")
_ITEM = re.compile(r"^(?:[（(][一二三四五六七八九十0-9]+[）)]|[0-9]+[.．、])")


def topic_from_text(text):
    """A short label for an article that has no digest: the first clause of its text."""
    first = _ITEM.sub("", (text or "").strip().split("\n")[0]).strip()
    m = re.search(r"[，。；：,;:]", first)
    head = first[:m.start()] if m else first
    if len(head) < 4 and m:
        m2 = re.search(r"[，。；：,;:]", first[m.end():])
        head = first[: m.end() + (m2.start() if m2 else len(first))]
    return head if len(head) <= 24 else head[:22] + "…"


def _map_chapter(chapter, chapters):
    """An imported chapter title -> the shipped structure's spelling of the same chapter (or None)."""
    if not chapter or not chapters:
        return chapter
    if chapter in chapters:
        return chapter
    m = _CHAPTER_LABEL.match(chapter)
    if m:
        for c in chapters:
            if c.startswith(m.group(1) + " ") or c == m.group(1):
                return c
    return None


def _text_only_article(a, chapter):
    return {"number": a["number"], "chapter": chapter, "topic": a.get("topic") or topic_from_text(a["text"]),
            "keywords": a.get("keywords") or [], "number_verified": True, "digest": a.get("digest") or "",
            "look_for": a.get("look_for") or "", "text_only": True}


def _augment(shipped_reg, arts):
    """A copy of a shipped regulation with the imported articles it has no digest for added. The copy
    keeps the shipped record as ``_shipped``: whatever must show shipped content only (the site without
    local texts) uses ``reg.get("_shipped", reg)``."""
    chapters = {s["chapter"] for s in shipped_reg["structure"] if s.get("chapter")}
    known = {a["number"] for a in shipped_reg["articles"]}
    extra = [_text_only_article(a, _map_chapter(a.get("chapter"), chapters)) for n, a in arts.items() if n not in known]
    if not extra:
        return None
    reg = dict(shipped_reg)
    reg["articles"] = sorted(shipped_reg["articles"] + extra, key=lambda a: a["number"])
    reg["_shipped"] = shipped_reg
    return reg


def local_regulation(rid, data, rel):
    """The regulation record of a local regulation (one not in the shipped corpus). Returns (record, problems)."""
    meta = data.get("regulation")
    if not isinstance(meta, dict) or not meta.get("title"):
        return None, [Problem(rel, "regulation", f"「{rid}」不是语料中的法规，作为本地法规需要 regulation 信息（至少 title）；"
                                                 "请用 xuncha import 文件 --as 新编号 重新导入")]
    arts = [_text_only_article(a, a.get("chapter")) for a in data["articles"]]
    structure = data.get("structure") or []
    n = len(arts)
    dates = {"adopted": None, "published": None, "effective": None, **(meta.get("dates") or {})}
    src = (data.get("source") or {}).get("file", "")
    return {
        "schema_version": 1, "id": rid, "title": meta["title"], "short_title": meta.get("short_title") or meta["title"],
        "aliases": meta.get("aliases") or [], "version_label": meta.get("version_label") or "本地导入",
        "kind": meta.get("kind") or "内部制度", "issuer": meta.get("issuer") or "本地导入", "dates": dates,
        "dates_verified": False, "status": meta.get("status") or "现行有效", "status_assumed": True,
        "supersedes": [], "superseded_by": None, "article_count": n or None,
        "summary": meta.get("summary") or f"本机导入的本地制度文件（来源：{src}），共{n}条；仅保存在本机，不随项目发布。",
        "structure": structure, "articles": arts, "provisions": [], "sections": [], "_path": rel, "_local": True,
    }, []


def parse_regulation_overlay(data, rel, shipped):
    """One validated ``regulation_text`` mapping -> (overlay entry, regulation record or None, problems).

    The regulation record is a local regulation, or a shipped one with text-only articles added."""
    problems = []
    rid = data["id"]
    arts = {}
    for a in data["articles"]:
        if a["number"] in arts:
            problems.append(Problem(rel, f"articles[第{a['number']}条]", "条号重复出现；请重新导入该文件"))
            continue
        arts[a["number"]] = a
    entry = {"source": data.get("source"), "articles": arts}
    if rid in shipped:
        return entry, _augment(shipped[rid], arts), problems
    reg, probs = local_regulation(rid, data, rel)
    return entry, reg, problems + probs


def _check_file(path, root, kind):
    rel = path.relative_to(root).as_posix()
    data, problems = read_yaml(path, rel)
    if data is None:
        return None, rel, problems
    # records.field_path labels numbered elements without a topic as 「第N部分」; overlay articles are 条
    schema_problems = [Problem(p.path, re.sub(r"^articles\[第(\d+)部分\]", r"articles[第\1条]", p.field), p.message, p.level)
                       for p in validate_record("overlay", data, rel)]
    if schema_problems:
        return None, rel, problems + schema_problems
    if data["kind"] != kind:
        folder = "regulations" if data["kind"] == "regulation_text" else "materials"
        return None, rel, problems + [Problem(rel, "kind", f"「{data['kind']}」类文件应放在 local/{folder}/ 中")]
    if data["id"] != path.stem:
        return None, rel, problems + [Problem(rel, "id", f"编号「{data['id']}」与文件名「{path.stem}」不一致；请把文件改名为 {data['id']}.yaml")]
    return data, rel, problems


def material_entries(data):
    """{entry id: entry} for each section of one validated ``material`` mapping."""
    mid = data["id"]
    out = {}
    for i, s in enumerate(data["sections"], 1):
        sid = f"{mid}#{i}"
        out[sid] = {"id": sid, "kind": "material", "material": mid, "title": s["title"],
                    "heading_path": s.get("path") or [], "text": s["text"], "line": s.get("line"),
                    "material_title": data["title"], "source": data.get("source"), "local": True}
    return out


def load_overlay(root, shipped):
    """Returns (overlay {reg_id: {'source', 'articles': {number: {...}}}}, regulation records to add or
    replace {id: record}, material entries {id: entry}, problems)."""
    root = Path(root)
    overlay, regs, materials, problems = {}, {}, {}, []
    reg_dir = root / LOCAL_DIR / "regulations"
    if reg_dir.is_dir():
        for path in sorted(reg_dir.glob("*.yaml")):
            data, rel, probs = _check_file(path, root, "regulation_text")
            problems += probs
            if data is None:
                continue
            entry, reg, probs = parse_regulation_overlay(data, rel, shipped)
            problems += probs
            overlay[data["id"]] = entry
            if reg is not None:
                regs[data["id"]] = reg
    mat_dir = root / LOCAL_DIR / "materials"
    if mat_dir.is_dir():
        for path in sorted(mat_dir.glob("*.yaml")):
            data, rel, probs = _check_file(path, root, "material")
            problems += probs
            if data is not None:
                materials.update(material_entries(data))
    return overlay, regs, materials, problems
