"""Which regulation and which version a split text is: from its title and its dates line (or ``--as``)."""
import re
from dataclasses import dataclass, field

from ..numerals import cn_to_int
from .errors import ImportFileError

ID_RE = re.compile(r"^[a-z][a-z0-9-]*-[0-9]{4}$")
_Y = r"([0-9]{4}|[〇零一二三四五六七八九]{4})"
_MD = r"([0-9]{1,2}|[一二三四五六七八九十]{1,3})"
DATE_RE = re.compile(f"{_Y} ?年 ?{_MD} ?月(?: ?{_MD} ?日)?")
_VERBS = (("adopted", ("审议批准", "审议通过", "批准", "通过", "修订", "修正", "修改")),
          ("published", ("发布", "印发", "公布")),
          ("effective", ("施行", "实施")))
_EFFECTIVE_RE = re.compile(f"自{DATE_RE.pattern}起(?:施行|实施|执行)")
KIND_SUFFIXES = (("实施细则", "实施细则"), ("实施办法", "办法"), ("细则", "细则"), ("条例", "条例"), ("规定", "规定"),
                 ("办法", "办法"), ("规则", "规则"), ("准则", "准则"), ("意见", "意见"), ("通知", "通知"))


@dataclass
class Detection:
    id: str
    local: bool                    # not in the shipped corpus: becomes a local regulation
    how: str                       # 「标题和日期行」 / 「--as 指定」
    title: str = None
    dates: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    meta: dict = None              # for a local regulation: title, kind, issuer, dates…


def _num(s):
    return cn_to_int(s)


def _iso(m):
    y, mo, d = _num(m.group(1)), _num(m.group(2)), _num(m.group(3)) if m.group(3) else None
    if not y or not mo or mo > 12 or (d is not None and not 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}" + (f"-{d:02d}" if d else "")


def parse_dates_line(line):
    """'（2023年12月8日…审议批准 2023年12月19日中共中央发布）' -> [(iso, kind, text after the date)]."""
    out = []
    if not line:
        return out
    ms = list(DATE_RE.finditer(line))
    for i, m in enumerate(ms):
        iso = _iso(m)
        if not iso:
            continue
        after = line[m.end(): ms[i + 1].start() if i + 1 < len(ms) else len(line)]
        kind = None
        for k, verbs in _VERBS:
            if any(v in after for v in verbs):
                kind = k
                break
        out.append((iso, kind, after.strip(" （）()　")))
    return out


def doc_dates(doc):
    """{'adopted', 'published', 'effective', 'all': [iso…]} from the dates line and the 施行 article."""
    events = parse_dates_line(doc.dates_line)
    res = {"adopted": None, "published": None, "effective": None}
    for iso, kind, _ in events:
        if kind and (res[kind] is None or iso > res[kind]):
            res[kind] = iso
    for a in reversed(doc.articles[-3:]):
        m = _EFFECTIVE_RE.search(a.text)
        if m:
            iso = _iso(m)
            if iso:
                res["effective"] = iso
            break
    res["all"] = sorted({e[0] for e in events} | ({res["effective"]} if res["effective"] else set()))
    return res


def norm_title(t):
    t = re.sub(r"[《》〈〉“”\"'「」\s]", "", t or "")
    return re.sub(r"[（(](?:\d{4}年)?(?:修订|修正|修订版|全文)[）)]$", "", t)


def _names(r):
    return {norm_title(n) for n in [r["title"], r.get("short_title"), *(r.get("aliases") or [])] if n}


def title_matches(title, reg):
    t = norm_title(title)
    if not t:
        return False
    if t in _names(reg):
        return True
    full = norm_title(reg["title"])
    return len(full) >= 6 and (full in t)


def _reg_dates(r):
    return [d for d in (r["dates"].get("adopted"), r["dates"].get("published"), r["dates"].get("effective")) if d]


def _year_of(r):
    y = r["id"][-4:]
    return y if y.isdigit() else None


def guess_kind(title):
    for suffix, kind in KIND_SUFFIXES:
        if re.search(f"{suffix}(（[^）]*）)?$", title or ""):
            return kind
    return "内部制度"


def local_meta(doc, dates):
    """The regulation block of a local regulation (not in the shipped corpus)."""
    title = doc.title or ""
    issuer = None
    for iso, kind, after in parse_dates_line(doc.dates_line):
        m = re.match(r"(.{2,30}?)(?:常委会会议|常务委员会会议|全体会议|会议)?(?:审议通过|审议批准|通过|印发|发布)", after)
        if m:
            issuer = m.group(1)
    latest = (dates.get("all") or [None])[-1]
    year = latest[:4] if latest else None
    revised = "修订" in (doc.dates_line or "")
    return {"title": title, "short_title": title, "kind": guess_kind(title), "issuer": issuer or "本地导入",
            "version_label": f"{year}年{'修订' if revised else ''}" if year else "本地导入",
            "dates": {k: dates.get(k) for k in ("adopted", "published", "effective")}}


def detect(doc, shipped, as_id=None):
    """Decide which regulation ``doc`` is. ``shipped``: {id: regulation record} of the shipped corpus.

    Raises ImportFileError when the title is missing or unknown (and no ``as_id``), or when the version
    cannot be told from the dates."""
    name = doc.name
    dates = doc_dates(doc)
    if as_id is not None:
        if not ID_RE.match(as_id):
            raise ImportFileError(name, f"--as 的编号「{as_id}」格式不对",
                                  hint="编号用小写拼音、数字和连字符，以四位年份结尾，例如 xian-shishi-banfa-2022")
        if as_id in shipped:
            det = Detection(as_id, False, "--as 指定", doc.title, dates)
            if doc.title and not title_matches(doc.title, shipped[as_id]):
                det.notes.append(f"文件标题《{doc.title}》与 {as_id}《{shipped[as_id]['title']}》不一致，已按 --as 导入；请确认没有选错文件")
            return det
        det = Detection(as_id, True, "--as 指定", doc.title, dates)
        if not doc.title:
            raise ImportFileError(name, "没有找到文件标题，无法建立本地法规",
                                  hint="请在文件第一行写上标题（如「**县巡察工作实施办法」）后重新导入")
        same = [rid for rid, r in shipped.items() if title_matches(doc.title, r)]
        if same:
            det.notes.append(f"标题与语料中的 {'、'.join(sorted(same))} 相同；如要为它导入正式文本，请改用 --as {sorted(same)[-1]}")
        det.meta = local_meta(doc, dates)
        return det
    if not doc.title:
        raise ImportFileError(name, "没有找到标题，无法识别这是哪部法规",
                              hint="请用 --as 指定编号，如 --as jilv-2023；本地制度用 --as 新编号导入")
    family = [r for r in shipped.values() if norm_title(doc.title) in _names(r)] or \
             [r for r in shipped.values() if title_matches(doc.title, r)]
    if not family:
        raise ImportFileError(name, f"语料中没有《{doc.title}》", loc=doc.title_loc,
                              hint="如是本地或本单位制度，请用 --as 新编号导入为本地法规（小写拼音加年份，如 "
                                   "--as xian-shishi-banfa-2022）；如是语料中某部法规的另一种叫法，请用 --as 指定其编号")
    ids = "、".join(sorted(r["id"] for r in family))
    latest = dates["all"][-1] if dates["all"] else None
    if latest:
        exact = [r for r in family if any(latest.startswith(d) or d.startswith(latest) for d in _reg_dates(r))]
        if len(exact) != 1:
            exact = [r for r in family if _year_of(r) == latest[:4]]
        if len(exact) == 1:
            det = Detection(exact[0]["id"], False, "标题和日期行", doc.title, dates)
            if not any(d[:7] == latest[:7] for d in _reg_dates(exact[0])) and _reg_dates(exact[0]):
                det.notes.append(f"日期行最新日期 {latest} 与 {exact[0]['id']} 记录的日期不一致，请核对版本")
            return det
        if len(family) > 1 or _reg_dates(family[0]):
            years = "、".join(sorted({_year_of(r) or r["id"] for r in family}))
            raise ImportFileError(name, f"日期行显示是 {latest[:4]} 年的版本，语料中的《{doc.title}》只有 {years} 年版本（{ids}）",
                                  loc=doc.title_loc, hint="请核对文件；确认无误可用 --as 指定编号（旧版本可用 --as 新编号导入为本地法规）")
    if len(family) == 1:
        det = Detection(family[0]["id"], False, "标题", doc.title, dates)
        det.notes.append("文件中没有日期行，按标题识别，未核对版本")
        return det
    raise ImportFileError(name, f"《{doc.title}》在语料中有多个版本（{ids}），文件中没有可用来判断版本的日期行",
                          loc=doc.title_loc, hint=f"请用 --as 指定版本，如 --as {sorted(r['id'] for r in family)[-1]}")
