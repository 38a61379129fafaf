"""新旧对照: compare two versions of a regulation article by article.

Articles are paired by the digest's renumbering links (``previous`` on the new version's articles) and,
where both official texts are imported (``xuncha import``), by text similarity (difflib) for the rest.
Each row says whether the article is unchanged, modified, renumbered, added or removed."""
import difflib

from .errors import InputError, UnknownIdError

STATUS_CN = {"unchanged": "未变", "modified": "修改", "renumbered": "条号变化", "added": "新增", "removed": "删除",
             "kept": "条号未变", "unknown": "对应关系不明"}
MATCH_THRESHOLD = 0.55      # below this two texts are not the same article
CONFLICT_THRESHOLD = 0.3


def similarity(a, b):
    """0..1, how alike two article texts are (whitespace ignored)."""
    a, b = "".join((a or "").split()), "".join((b or "").split())
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def match_score(a, b):
    """Like :func:`similarity`, but an article that was only extended (the old text kept whole inside
    the new one) still counts as the same article."""
    a, b = "".join((a or "").split()), "".join((b or "").split())
    if not a or not b:
        return 0.0
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    ratio = sm.ratio()
    short = min(len(a), len(b))
    if short < 8:
        return ratio
    kept = sum(m.size for m in sm.get_matching_blocks()) / short
    return max(ratio, 0.8 * kept)


def _grams(t):
    t = "".join((t or "").split())
    return {t[i:i + 2] for i in range(len(t) - 1)}


def _articles(corpus, rid):
    """{number: {'topic', 'text', 'previous', 'new_in_version', 'digest'}} from the entries of ``rid``."""
    out = {}
    for aid in corpus.entries[rid]["articles"]:
        e = corpus.entries[aid]
        out[e["article"]] = {"topic": e["topic"], "text": e.get("text"), "previous": e.get("previous"),
                             "new_in_version": e.get("new_in_version", False), "digest": e.get("digest") or ""}
    return out


def _match_by_text(old, new, old_free, new_free):
    """Greedy best-first pairing of the unpaired articles whose texts are alike. Returns {new: (old, sim)}."""
    og = {o: _grams(old[o]["text"]) for o in old_free}
    cands = []
    for n in new_free:
        ng = _grams(new[n]["text"])
        if not ng:
            continue
        quick = []
        for o in old_free:
            if not og[o]:
                continue
            j = len(ng & og[o]) / min(len(ng), len(og[o]))
            if j >= 0.3:
                quick.append((j, o))
        for _, o in sorted(quick, reverse=True)[:4]:
            s = match_score(old[o]["text"], new[n]["text"])
            if s >= MATCH_THRESHOLD:
                cands.append((s, -abs(o - n), n, o))
    pairs, used = {}, set()
    for s, _, n, o in sorted(cands, reverse=True):
        if n not in pairs and o not in used:
            pairs[n] = (o, s)
            used.add(o)
    return pairs


def diff_versions(corpus, old_id, new_id):
    """Returns {'old': {...}, 'new': {...}, 'rows': [...], 'summary': {status: count}, 'notes': [...]}.

    Each row: status (unchanged | modified | renumbered | added | removed | kept | unknown), old, new
    (article numbers or None), similarity (None without both texts), basis (事实包 | 文本相似度),
    link_verified, topic, old_text, new_text."""
    regs = corpus.regulations
    for rid in (old_id, new_id):
        if rid not in regs:
            raise UnknownIdError(rid, difflib.get_close_matches(rid, list(regs), n=3, cutoff=0.5))
    if old_id == new_id:
        raise InputError(f"新旧两个编号相同（{old_id}）；请写 xuncha diff 旧版编号 新版编号，如 xuncha diff jilv-2018 jilv-2023")
    o_reg, n_reg = regs[old_id], regs[new_id]
    if new_id in o_reg["supersedes"] or n_reg.get("superseded_by") == old_id:
        raise InputError(f"顺序反了：{old_id} 是 {new_id} 之后的版本；请写 xuncha diff {new_id} {old_id}")
    related = old_id in n_reg["supersedes"] or o_reg.get("superseded_by") == new_id
    old, new = _articles(corpus, old_id), _articles(corpus, new_id)
    old_texts = {n for n, a in old.items() if a["text"]}
    new_texts = {n for n, a in new.items() if a["text"]}
    notes = []
    if not related:
        notes.append(f"{old_id} 与 {new_id} 不是前后版本关系（语料中没有取代记录），只按文本相似度对照")
    pairs = {}   # new number -> (old number, basis, link verified)
    for n, a in new.items():
        p = a["previous"]
        if p and p["regulation"] == old_id:
            pairs[n] = (p["number"], "事实包", bool(p["verified"]))
    both = bool(old_texts) and bool(new_texts)
    if both:
        for n, (o, _, _) in list(pairs.items()):
            if n in new_texts and o in old_texts:
                s = match_score(old[o]["text"], new[n]["text"])
                if s < CONFLICT_THRESHOLD:
                    notes.append(f"事实包记新版第{n}条对应旧版第{o}条，但两条文字相似度只有 {s:.0%}，已改按文字对照；请核对事实包")
                    del pairs[n]
        used = {o for o, _, _ in pairs.values()}
        by_text = _match_by_text(old, new, sorted(old_texts - used), sorted(new_texts - set(pairs)))
        for n, (o, _) in by_text.items():
            pairs[n] = (o, "文本相似度", True)
    elif related:
        missing = [x for x, ids in ((old_id, old_texts), (new_id, new_texts)) if not ids]
        notes.append(f"{'、'.join(missing)} 的正式文本未导入，只能按事实包的条号对应关系对照；"
                     "用 xuncha import 导入两版正式文本后可逐条比对文字")
    rows = []
    for n in sorted(new):
        a = new[n]
        row = {"new": n, "old": None, "similarity": None, "basis": None, "link_verified": None, "topic": a["topic"],
               "new_text": a["text"], "old_text": None}
        if n in pairs:
            o, basis, verified = pairs[n]
            oa = old.get(o, {})
            row.update(old=o, basis=basis, link_verified=verified, old_text=oa.get("text"))
            if row["old_text"] and row["new_text"]:
                row["similarity"] = round(similarity(row["old_text"], row["new_text"]), 3)
            if o != n:
                row["status"] = "renumbered"
            elif row["similarity"] is None:
                row["status"] = "kept"
            else:
                row["status"] = "unchanged" if row["similarity"] >= 0.999 else "modified"
        elif a["new_in_version"] or both:
            row["status"] = "added"
        else:
            row["status"] = "unknown"
        rows.append(row)
    paired_old = {r["old"] for r in rows if r["old"] is not None}
    removable = old_texts if both else (set(old) if old else set())
    for o in sorted(removable - paired_old):
        oa = old[o]
        row = {"new": None, "old": o, "similarity": None, "basis": "文本相似度" if both else None, "link_verified": None,
               "topic": oa["topic"], "new_text": None, "old_text": oa["text"], "status": "removed" if both else "unknown"}
        at = 0
        for i, r in enumerate(rows):
            if r["old"] is not None and r["old"] < o:
                at = i + 1
        rows.insert(at, row)
    summary = {k: 0 for k in STATUS_CN}
    for r in rows:
        summary[r["status"]] += 1
    if both and o_reg.get("article_count") and len(old_texts) != o_reg["article_count"]:
        notes.append(f"旧版正式文本导入了 {len(old_texts)} 条，语料记录全文共 {o_reg['article_count']} 条")

    def side(r, ids):
        return {"id": r["id"], "title": r["title"], "version_label": r["version_label"], "status": r["status"],
                "article_count": r.get("article_count"), "text_imported": bool(ids), "local": bool(r.get("_local"))}
    return {"old": side(o_reg, old_texts), "new": side(n_reg, new_texts), "related": related,
            "texts_compared": both, "rows": rows, "summary": {k: v for k, v in summary.items() if v}, "notes": notes}


def _chars(a, b):
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    oa, nb = [], []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            oa.append(a[i1:i2])
            nb.append(b[j1:j2])
            continue
        if i2 > i1:
            oa.append(f"【{a[i1:i2]}】")
        if j2 > j1:
            nb.append(f"【{b[j1:j2]}】")
    return "".join(oa), "".join(nb)


def inline_changes(old_text, new_text):
    """Mark what changed, line by line (款/项), then character by character within a changed line:
    returns (old text with deletions in 【】, new text with insertions in 【】)."""
    a, b = (old_text or "").split("\n"), (new_text or "").split("\n")
    oa, nb = [], []
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            oa += a[i1:i2]
            nb += b[j1:j2]
            continue
        news, k = b[j1:j2], 0
        for x in a[i1:i2]:
            # the most alike new line at or after the last one used: lines skipped on the way are insertions
            best, best_r = None, 0.4
            for j in range(k, len(news)):
                r = difflib.SequenceMatcher(None, x, news[j], autojunk=False).ratio()
                if r > best_r:
                    best, best_r = j, r
            if best is None:
                oa.append(f"【{x}】")
                continue
            nb += [f"【{y}】" for y in news[k:best]]
            x, y = _chars(x, news[best])
            oa.append(x)
            nb.append(y)
            k = best + 1
        nb += [f"【{y}】" for y in news[k:]]
    return "\n".join(oa), "\n".join(nb)
