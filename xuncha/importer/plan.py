"""Prepare imports (read, split, recognise, check) and commit them to the local overlay in one step.

``prepare_regulation`` / ``prepare_material`` return a :class:`Plan`: the overlay file that would be
written, counts, warnings and the digest checks. Nothing is written until :func:`commit`, which writes
every plan of a batch or none of them."""
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..overlay import parse_regulation_overlay
from ..paths import LOCAL_DIR
from ..records import load_kind, read_yaml, validate_record
from ..rules import check_rules
from . import store
from .detect import detect
from .errors import ImportFileError
from .materials import split_material
from .readers import read_file
from .split import split_regulation
from .verify import check_articles

MATERIAL_ID_RE = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass
class Plan:
    kind: str                 # regulation | material
    id: str
    file: str                 # the imported file's name
    rel: str                  # local/regulations/<id>.yaml
    data: dict                # the overlay mapping to write
    title: str
    local: bool = False       # a local regulation (not in the shipped corpus)
    replaces: bool = False    # an earlier import of the same id is replaced
    counts: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    checks: list = field(default_factory=list)   # [verify.Check] (shipped regulations only)
    how: str = ""
    marked: list = field(default_factory=list)   # article numbers marked verified by this import
    kept: list = field(default_factory=list)     # numbers marked verified by an earlier import of the same text

    def mismatches(self):
        return [c for c in self.checks if c.status != "相符"]

    def markable(self):
        """Digested articles whose number the official text confirms and that are not verified yet."""
        return [c.number for c in self.checks if c.status == "相符" and not c.already_verified and c.number not in self.kept]

    def as_dict(self):
        return {"kind": self.kind, "id": self.id, "file": self.file, "path": self.rel, "title": self.title,
                "local": self.local, "replaces": self.replaces, "recognised_by": self.how, "counts": self.counts,
                "warnings": self.warnings, "checks": [c.as_dict() for c in self.checks],
                "mismatches": [c.message for c in self.mismatches()], "marked_verified": self.marked,
                "kept_verified": self.kept, "source": self.data.get("source")}


def _source_block(src):
    s = {"file": src.name, "sha256": src.sha256, "format": src.format, "size": src.size}
    if src.encoding:
        s["encoding"] = src.encoding
    if src.pages:
        s["pages"] = src.pages
    s["imported_at"] = time.strftime("%Y-%m-%dT%H:%M:%S")
    return s


def _existing(root, rel):
    p = Path(root) / rel
    if not p.exists():
        return None
    data, _ = read_yaml(p, rel)
    return data


def shipped_regulations(root):
    regs, _ = load_kind(root, "regulation")
    return regs


def prepare_regulation(root, path, as_id=None, partial=False, progress=None, shipped=None):
    """Read and split one regulation file and decide where it goes. Raises ImportFileError."""
    src = read_file(path, progress)
    doc = split_regulation(src, partial=partial)
    shipped = shipped_regulations(root) if shipped is None else shipped
    det = detect(doc, shipped, as_id)
    rid = det.id
    rel = f"{LOCAL_DIR}/regulations/{rid}.yaml"
    warnings = list(src.warnings) + list(doc.warnings) + list(det.notes)
    reg = shipped.get(rid)
    n = len(doc.articles)
    if reg is not None and reg.get("article_count"):
        total = reg["article_count"]
        label = f"《{reg['title']}》（{reg['version_label']}）"
        if n < total and not partial:
            raise ImportFileError(src.name, f"只有 {n} 条，而{label}共 {total} 条：文件可能被截断，或不是这一版本",
                                  loc=doc.articles[-1].loc,
                                  hint="请核对文件是否完整；如确为节选，或确认语料记录的条数有误，可加 --partial 导入")
        if n != total:
            warnings.append(f"共 {n} 条，与语料记录的 {total} 条不一致；请核对版本")
    texts = {a.number: a.text for a in doc.articles}
    checks = check_articles(reg["articles"], texts) if reg is not None else []
    old = _existing(root, rel) or {}
    old_arts = {a.get("number"): a for a in old.get("articles") or [] if isinstance(a, dict)}
    articles, kept = [], []
    for a in doc.articles:
        d = {"number": a.number}
        for k in ("part", "chapter", "section"):
            if getattr(a, k):
                d[k] = getattr(a, k)
        d["line"] = a.loc
        d["text"] = a.text or "（无内容）"
        prev = old_arts.get(a.number)
        if prev and prev.get("number_verified") and prev.get("text") == d["text"] and prev.get("verified_source"):
            d["number_verified"] = True
            d["verified_source"] = prev["verified_source"]
            kept.append(a.number)
        articles.append(d)
    data = {"schema_version": 1, "kind": "regulation_text", "id": rid, "source": _source_block(src),
            "detected": {"title": doc.title, "dates_line": doc.dates_line, "how": det.how}}
    if det.local:
        data["regulation"] = det.meta
    data["structure"] = doc.structure()
    data["counts"] = doc.counts()
    data["articles"] = articles
    if warnings:
        data["warnings"] = warnings
    title = reg["title"] if reg is not None else (det.meta or {}).get("title") or doc.title
    plan = Plan("regulation", rid, src.name, rel, data, title, local=det.local, replaces=bool(old),
                counts=doc.counts(), warnings=warnings, checks=checks, how=det.how, kept=kept)
    _validate_data(plan, shipped)
    return plan


def mark_verified(plan, numbers=None):
    """Mark the article numbers the official text confirms (or ``numbers``) as verified in the plan's
    overlay, with the file name and SHA-256 as their source. Returns the numbers marked."""
    if plan.kind != "regulation":
        return []
    ok = set(plan.markable() if numbers is None else numbers)
    bad = ok - {c.number for c in plan.checks if c.status == "相符"}
    if bad:
        raise InputError("以下条文与要点不符或不在导入文本中，不能标记为已核实：" + "、".join(f"第{n}条" for n in sorted(bad)))
    src = plan.data["source"]
    when = time.strftime("%Y-%m-%dT%H:%M:%S")
    scores = {c.number: c.score for c in plan.checks}
    for a in plan.data["articles"]:
        if a["number"] in ok:
            a["number_verified"] = True
            a["verified_source"] = {"file": src["file"], "sha256": src["sha256"], "checked_at": when,
                                    "score": round(scores.get(a["number"], 0.0), 3)}
    plan.marked = sorted(ok)
    return plan.marked


def _material_id(src):
    stem = re.sub(r"[^a-z0-9]+", "-", Path(src.name).stem.lower()).strip("-")
    if len(re.sub(r"[^a-z0-9]", "", stem)) >= 3 and stem[0].isalpha():
        return f"mat-{stem}"[:60].rstrip("-")
    return f"mat-{src.sha256[:10]}"


def prepare_material(root, path, as_id=None, title=None, progress=None):
    """Read one study material and split it into sections. Raises ImportFileError."""
    src = read_file(path, progress)
    if as_id is not None and not MATERIAL_ID_RE.match(as_id):
        raise ImportFileError(src.name, f"--as 的编号「{as_id}」格式不对", hint="材料编号用小写拼音、数字和连字符，如 xunzhong-tiaodu-2023")
    doc = split_material(src, title=title)
    mid = as_id or _material_id(src)
    rel = f"{LOCAL_DIR}/materials/{mid}.yaml"
    warnings = list(src.warnings) + list(doc.warnings)
    data = {"schema_version": 1, "kind": "material", "id": mid, "title": doc.title, "source": _source_block(src),
            "counts": doc.counts(), "sections": doc.sections}
    if warnings:
        data["warnings"] = warnings
    plan = Plan("material", mid, src.name, rel, data, doc.title, replaces=(Path(root) / rel).exists(),
                counts=doc.counts(), warnings=warnings, how="--as 指定" if as_id else "文件名")
    problems = validate_record("overlay", data, rel)
    if problems:
        raise ImportFileError(src.name, "生成的材料文件未通过校验：" + "；".join(str(p) for p in problems[:3]))
    return plan


def _validate_data(plan, shipped):
    rel = plan.rel
    problems = validate_record("overlay", plan.data, rel)
    if not problems:
        _, reg, problems = parse_regulation_overlay(plan.data, rel, shipped)
        if reg is not None and not problems:
            problems = [p for p in check_rules({plan.id: reg}, {}, {}, {}) if p.level == "error"]
    if problems:
        raise ImportFileError(plan.file, "导入结果未通过校验，未写入：" + "；".join(str(p) for p in problems[:3]),
                              hint="请把文件和这条信息报告给维护者")


def commit(root, plans):
    """Write every plan's overlay file, all or none. Returns the written paths."""
    ids = {}
    for p in plans:
        if p.rel in ids:
            raise InputError(f"{ids[p.rel]} 和 {p.file} 都会导入为「{p.id}」；请分两次导入，或用 --as 区分")
        ids[p.rel] = p.file
    by_rel = {p.rel: p for p in plans}
    files = []
    for p in plans:
        header = (f"本地导入（xuncha import 生成）：{p.file}\n"
                  "local/ 已被 .gitignore 排除，只保存在本机；格式见 xuncha/schemas/overlay.schema.json")
        text = store.dump(p.data, header)
        if len(text.encode("utf-8")) > store.MAX_OVERLAY_BYTES:
            raise ImportFileError(p.file, f"导入内容过大（超过 {store.MAX_OVERLAY_BYTES // 2**20} MB）", hint="请拆分后分别导入")
        files.append((p.rel, text))

    def validate(tmp, rel):
        data, problems = read_yaml(tmp, rel)
        if data is None or data != by_rel[rel].data:
            raise ImportFileError(by_rel[rel].file, "写入的文件读回后与导入内容不一致，已放弃写入：" +
                                  "；".join(str(p) for p in problems[:3]), hint="请检查磁盘空间后重试")
    try:
        return store.write_all(root, files, validate)
    except OSError as e:
        raise InputError(f"无法写入 {LOCAL_DIR}/（{e.strerror or e}）；请检查目录权限和磁盘空间。未写入任何内容") from e


def list_imports(root):
    """What the overlay holds: [{'kind', 'id', 'title', 'file', 'sha256', 'imported_at', 'path', 'count', 'verified'}]."""
    out = []
    for sub, kind in (("regulations", "regulation"), ("materials", "material")):
        d = Path(root) / LOCAL_DIR / sub
        for p in sorted(d.glob("*.yaml")) if d.is_dir() else []:
            rel = p.relative_to(root).as_posix()
            data, _ = read_yaml(p, rel)
            if not isinstance(data, dict):
                out.append({"kind": kind, "id": p.stem, "path": rel, "title": None, "error": "文件无法读取"})
                continue
            src = data.get("source") or {}
            items = data.get("articles" if kind == "regulation" else "sections") or []
            title = data.get("title") or (data.get("regulation") or {}).get("title") or (data.get("detected") or {}).get("title")
            out.append({"kind": kind, "id": data.get("id", p.stem), "path": rel, "title": title,
                        "file": src.get("file"), "sha256": src.get("sha256"), "imported_at": src.get("imported_at"),
                        "count": len(items), "local": "regulation" in data,
                        "verified": sum(1 for a in items if isinstance(a, dict) and a.get("number_verified"))})
    return out


def remove_import(root, rid):
    """Delete the overlay file of one import (a regulation text or a material). Raises InputError if none."""
    for sub in ("regulations", "materials"):
        rel = f"{LOCAL_DIR}/{sub}/{rid}.yaml"
        if store.remove(root, rel):
            return rel
    raise InputError(f"本地没有编号为「{rid}」的导入内容；可用 xuncha import --list 查看")


def import_files(root, paths, material=False, as_id=None, partial=False, mark=False, title=None,
                 dry_run=False, progress=None):
    """Import several files as one batch: all land, or none (every file's problem is reported).

    Returns the list of :class:`Plan`. Raises :class:`ImportFailed` listing each file's error."""
    paths = list(paths)
    if not paths:
        raise InputError("没有指定要导入的文件")
    if as_id and len(paths) > 1:
        raise InputError("--as 只能用于一个文件；请逐个导入")
    shipped = None if material else shipped_regulations(root)
    plans, errors = [], []
    for p in paths:
        try:
            if material:
                plans.append(prepare_material(root, p, as_id=as_id, title=title, progress=progress))
            else:
                plans.append(prepare_regulation(root, p, as_id=as_id, partial=partial, progress=progress, shipped=shipped))
        except ImportFileError as e:
            errors.append(e)
    if errors:
        raise ImportFailed(errors, len(paths))
    if mark:
        for pl in plans:
            mark_verified(pl)
    if not dry_run:
        commit(root, plans)
    return plans


class ImportFailed(InputError):
    """One or more files of a batch could not be imported; nothing was written."""

    def __init__(self, errors, total):
        self.errors = list(errors)
        msg = str(self.errors[0]) if len(self.errors) == 1 else f"{len(self.errors)} 个文件无法导入"
        super().__init__(msg + ("；本次未导入任何文件" if total > 1 else "；未写入任何内容"))
