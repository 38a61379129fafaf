"""missing-basis, unknown-article, weak-basis: is the 依据 there, does it exist, does it fit the facts."""
from ..citations import fold, vague_basis
from . import issue

SEARCH_LIMIT = 30
STATUS_OLD = ("已被修订", "已废止", "失效")


def _anchor(ctx):
    """Where to point when something is missing: the 依据 field, else 定性, else the title, else the start."""
    d = ctx.draft
    for name in ("basis", "qualification", "title", "summary"):
        f = d.fields.get(name)
        if f is not None:
            return f.start, max(f.end, f.start)
    body = d.body()
    return body.start, min(body.end, body.start + 20)


def check_missing_basis(ctx):
    cites = ctx.citations
    full = [c for c in cites if c.kind in ("id", "article")]
    regs = [c for c in cites if c.kind == "regulation"]
    dangling = [c for c in cites if c.kind == "bare-article"]
    out = []
    if full:
        return out
    if regs:
        c = regs[0]
        reg = ctx.kbv.regulations.get(c.regulation) if ctx.kbv and c.regulation else None
        tail = "（如第二项）或对应的党纪条款" if reg is not None and not reg["articles"] else ""
        out.append(issue("missing-basis", f"依据「{c.raw}」只写到法规名称，没有具体到条款",
                         c.start, c.end, f"写明具体条款{tail}，如《中国共产党纪律处分条例》第一百一十三条；"
                         "可用 xuncha search 按问题描述查找条款", severity="warning"))
        return out
    if dangling:
        c = dangling[0]
        out.append(issue("missing-basis", f"「{c.raw}」没有写明是哪部法规的条款", c.start, c.end,
                         "在条号前写明法规全称和版本，如《中国共产党纪律处分条例》（2023年修订）第一百一十三条",
                         severity="warning"))
        return out
    vague = vague_basis(ctx.text)
    if vague:
        s, e = vague[0]
        msg = f"只写了「{ctx.text[s:e]}」，没有引用具体的党规党纪条款"
    else:
        s, e = _anchor(ctx)
        msg = "底稿没有引用任何定性依据（党规党纪条款）"
    out.append(issue("missing-basis", msg, s, e,
                     "在「依据」部分写明条款，如《中国共产党纪律处分条例》第一百一十三条或 jilv-2023#113；"
                     "可用 xuncha search 加问题描述查找适用条款"))
    return out


def check_unknown_article(ctx):
    out = []
    kbv = ctx.kbv
    if kbv is None:
        return out
    hint_find = "用 xuncha show 核对条号，或用 xuncha search 按问题描述查找正确条款"
    for c in ctx.citations:
        if c.status in ("unknown-id", "beyond"):
            out.append(issue("unknown-article", f"引用的「{c.raw}」不存在：{c.note}", c.start, c.end, hint_find))
        elif c.status == "unknown-regulation" and c.kind in ("article", "regulation"):
            out.append(issue("unknown-article", f"无法核对「{c.raw}」：{c.note}", c.start, c.end,
                             "核对法规名称是否写全、写对；知识库未收录的法规请对照正式文本核实",
                             severity="warning"))
        elif c.status == "unrecorded" and c.kind in ("article", "id"):
            if not _superseded(ctx, c, out):
                out.append(issue("unknown-article", f"无法核对「{c.raw}」：{c.note}", c.start, c.end,
                                 "对照正式文本核实条号和内容；如有现行版本对应条款，优先引用现行条款",
                                 severity="warning"))
        elif c.status in ("ok", "regulation"):
            _superseded(ctx, c, out)
    return out


def _superseded(ctx, c, out):
    """Report a citation of a superseded version when the conduct is dated after the new one took effect."""
    kbv = ctx.kbv
    reg = kbv.regulations.get(c.regulation) if c.regulation else None
    if not reg or reg["status"] not in STATUS_OLD:
        return False
    new_id = reg.get("superseded_by")
    new = kbv.regulations.get(new_id) if new_id else None
    if new is None:
        out.append(issue("unknown-article", f"「{c.raw}」所在的{reg['citation']}已{reg['status'].replace('已', '')}",
                         c.start, c.end, "改引现行有效的规定", severity="warning"))
        return True
    eff = kbv.effective(new_id)
    succ = c.record if c.record and c.record.split("#")[0] == new_id else kbv.successor_article(c.record or "")
    succ_cit = kbv.get(succ)["citation"] if succ and kbv.get(succ) else None
    target = f"，对应条款为{succ_cit}" if succ_cit else ""
    when = ctx.conduct
    if eff is None or when is None:
        out.append(issue("unknown-article", f"「{c.raw}」引用的是已被修订的{reg['citation']}；"
                         f"请核对行为发生时间，新版为{new['citation']}{target}",
                         c.start, c.end, "行为发生在新版施行之后的，应引用新版条款；之前的，按从旧兼从轻原则处理",
                         severity="warning" if when is None else "info"))
        return True
    start, end = when
    eff_cn = f"{eff.year}年{eff.month}月{eff.day}日"
    if start >= eff:
        out.append(issue("unknown-article", f"行为发生在{start.year}年{start.month}月，晚于{new['citation']}施行日（{eff_cn}），"
                         f"却引用了已被修订的旧版「{c.raw}」{target}", c.start, c.end,
                         f"改引现行版本{succ_cit or new['citation']}"))
    elif end >= eff:
        out.append(issue("unknown-article", f"行为持续到{new['citation']}施行（{eff_cn}）之后，引用旧版「{c.raw}」需说明理由{target}",
                         c.start, c.end, "跨越新旧版本的持续性行为一般适用新版；确需适用旧版的，写明从旧兼从轻的理由",
                         severity="warning"))
    return True


def _fit_ids(ctx):
    if "fit" not in ctx.cache:
        d = ctx.draft
        query = " ".join(x for x in (d.get("title"), d.get("summary"), ctx.facts.value, d.get("qualification")) if x)[:1500]
        hits = ctx.kbv.search(query, limit=SEARCH_LIMIT) if query.strip() else []
        if hits is None:
            ctx.cache["fit"] = False
            return False
        fit = set()
        for h in hits:
            fit.add(h["id"])
            fit.update(h.get("basis") or [])
            if h.get("previous"):
                fit.add(h["previous"]["id"])
        ctx.cache["fit"] = fit
    return ctx.cache["fit"]


def check_weak_basis(ctx):
    out = []
    if ctx.kbv is None:
        return out
    d = ctx.draft
    story = fold(" ".join(x for x in (d.get("title"), d.get("summary"), ctx.facts.value, d.get("qualification"), d.get("amount")) if x))
    seen = set()
    for c in ctx.citations:
        rid = c.record if c.status in ("ok", "unrecorded") else None
        if not rid or rid in seen:
            continue
        seen.add(rid)
        e = ctx.kbv.get(rid)
        if e is None or e["kind"] not in ("article", "section", "provision"):
            continue
        old_of = (e.get("previous") or {}).get("id")
        fit = _fit_ids(ctx)
        if fit is False:
            return []  # search unavailable: no judgement
        if rid in fit or (old_of and old_of in fit) or (c.record != rid and c.record in fit):
            continue
        if any(fold(k) in story for k in e.get("keywords") or []) or fold(e.get("topic") or "") in story:
            continue
        topic = e.get("topic") or e.get("title")
        label = e["citation"] if c.kind != "id" else f"{c.raw}（{e['citation']}）"
        out.append(issue("weak-basis", f"所引{label}讲的是「{topic}」，与底稿事实对不上",
                         c.start, c.end,
                         "用 xuncha search 加问题描述查找更贴切的条款；确属适用的，在定性中写明事实与条款的对应关系"))
    return out


CHECKS = [check_missing_basis, check_unknown_article, check_weak_basis]
