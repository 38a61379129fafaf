"""The knowledge base as Markdown pages for the MkDocs site (used by ``hooks/xuncha_site.py``).

Every function here returns Markdown strings or plain data and never touches MkDocs itself: the hook
turns them into virtual files. Pages: one per regulation (an anchor per article ``#a113``, provision
``#p01`` and section ``#s4``), checklist (an anchor per item, its own id), finding and method, plus an
index page per folder; the method index carries a diagram of the round's stages drawn from the stage
records' ``order``."""
import html
import json
import os
import posixpath
import re
import sys
from pathlib import Path

from .enrich import UNVERIFIED, version_tag
from .errors import XunchaError
from .numerals import int_to_cn
from .vocab import FOCUS_NAMES, FOCUS_SHORT

PAGE_DIRS = {"regulation": "regulations", "checklist": "checklists", "finding": "findings", "method": "methods"}
CATEGORIES = (("stage", "一轮巡察的阶段"), ("method", "法定工作方式"), ("extra", "各地创新方式"), ("practice", "工作做法"))
CATEGORY_CN = {"stage": "阶段", "method": "法定工作方式", "extra": "创新方式", "practice": "工作做法"}
STATUS_ORDER = ("现行有效", "已被修订", "已废止", "失效")
KIND_ORDER = ("党章", "准则", "条例", "规定", "办法", "规则", "实施细则", "细则", "意见", "通知", "法律")
UNIT_ORDER = ("村（社区）", "乡镇", "县直单位", "国有企业")
CLI_HELP_COLUMNS = "88"

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}>|#])")


def esc(text):
    """Plain text -> Markdown that renders as exactly that text (masked names like ***村 stay intact)."""
    text = _MD_SPECIAL.sub(r"\\\1", str(text or "")).replace("<", "&lt;").replace("\n", " ")
    return re.sub(r"^(\d+)\.(\s)", r"\1\\.\2", text)  # '1. ' would start a list


def _unit_key(u):
    return (UNIT_ORDER.index(u) if u in UNIT_ORDER else len(UNIT_ORDER), u)


# ---- where things live ------------------------------------------------------------------------

def anchor(entry):
    """The in-page anchor of an article, provision, section or checklist item ('' for a page)."""
    k = entry["kind"]
    if k == "article":
        return f"a{entry['article']}"
    if k in ("provision", "section"):
        return entry["id"].split("#", 1)[1]
    if k == "checklist_item":
        return entry["id"]
    return ""


def page_uri(entry):
    """The generated page (src path relative to docs/) that shows an entry."""
    k = entry["kind"]
    if k in ("article", "provision", "section"):
        return f"regulations/{entry['regulation']}.md"
    if k == "checklist_item":
        return f"checklists/{entry['checklist']}.md"
    return f"{PAGE_DIRS[k]}/{entry['id']}.md"


def rel_link(from_uri, to_uri, frag=""):
    d = posixpath.dirname(from_uri)
    path = posixpath.relpath(to_uri, d or ".") if to_uri != from_uri else posixpath.basename(to_uri)
    return path + (f"#{frag}" if frag else "")


def label(entry, short=False):
    """How a linked entry is named in a page."""
    k = entry["kind"]
    if k == "article":
        head = f"第{int_to_cn(entry['article'])}条" if short else entry["citation"]
        return f"{head}　{entry['topic']}" + ("" if not short or entry["number_verified"] else f"（{UNVERIFIED}）")
    if k == "provision":
        return entry["topic"] if short else entry["citation"]
    if k == "section":
        return entry["title"] if short else entry["citation"]
    if k == "checklist_item":
        return f"{entry['id']}　{entry['check']}"
    return entry.get("title") or entry["id"]


class Site:
    """Renders every generated page from the enriched entries ({id: entry})."""

    def __init__(self, entries, use_directory_urls=False):
        self.e = entries
        self.dir_urls = use_directory_urls
        self.by_kind = {}
        for ent in entries.values():
            self.by_kind.setdefault(ent["kind"], []).append(ent)
        self.regs = sorted(self.by_kind.get("regulation", []), key=self._reg_key)
        self.stages = sorted((m for m in self.by_kind.get("method", []) if m["category"] == "stage"),
                             key=lambda m: (m.get("order", 99), m["id"]))

    @staticmethod
    def _reg_key(r):
        st = STATUS_ORDER.index(r["status"]) if r["status"] in STATUS_ORDER else len(STATUS_ORDER)
        kind = KIND_ORDER.index(r["doc_kind"]) if r["doc_kind"] in KIND_ORDER else len(KIND_ORDER)
        return (st, kind, r["short_title"], r["id"])

    # -- links ----------------------------------------------------------------------------------
    def link(self, from_uri, target_id, text=None, short=False):
        ent = self.e.get(target_id)
        if ent is None:
            return esc(text or target_id)
        return f"[{esc(text or label(ent, short=short))}]({rel_link(from_uri, page_uri(ent), anchor(ent))})"

    def html_href(self, from_uri, to_uri):
        """A link for raw HTML (MkDocs does not rewrite those): the final URL of ``to_uri``."""
        frm, to = _url(from_uri, self.dir_urls), _url(to_uri, self.dir_urls)
        rel = posixpath.relpath(to or ".", frm.rsplit("/", 1)[0] if "/" in frm else ".")
        return rel + "/" if to.endswith("/") else rel

    def link_list(self, from_uri, ids, short=False):
        return "\n".join(f"- {self.link(from_uri, i, short=short)}" for i in ids) + "\n"

    # -- all pages ------------------------------------------------------------------------------
    def pages(self):
        """{src_uri: markdown} for every generated page."""
        out = {"regulations/index.md": self.regulation_index(), "checklists/index.md": self.checklist_index(),
               "findings/index.md": self.finding_index(), "methods/index.md": self.method_index()}
        for r in self.regs:
            out[page_uri(r)] = self.regulation(r)
        for kind, render in (("checklist", self.checklist), ("finding", self.finding), ("method", self.method)):
            for ent in self.by_kind.get(kind, []):
                out[page_uri(ent)] = render(ent)
        return out

    def nav(self):
        """{index uri: [nav children]} for the four generated sections (titles -> src uris)."""
        regs_now = [{f"{r['short_title']}（{version_tag(r)}）": page_uri(r)} for r in self.regs if r["status"] == "现行有效"]
        regs_old = [{f"{r['short_title']}（{version_tag(r)}）": page_uri(r)} for r in self.regs if r["status"] != "现行有效"]
        regs = regs_now + ([{"历史版本": regs_old}] if regs_old else [])
        cls = [{c["title"]: page_uri(c)} for c in sorted(self.by_kind.get("checklist", []), key=lambda c: _unit_key(c["unit_type"]))]
        finds = {}
        for f in sorted(self.by_kind.get("finding", []), key=lambda f: f["id"]):
            finds.setdefault(f["unit_type"], []).append({f["title"]: page_uri(f)})
        fnav = [{u: finds[u]} for u in sorted(finds, key=_unit_key)]
        mnav = []
        for cat, title in CATEGORIES:
            ms = self.methods_of(cat)
            if ms:
                mnav.append({title: [{m["name"]: page_uri(m)} for m in ms]})
        return {"regulations/index.md": regs, "checklists/index.md": cls, "findings/index.md": fnav,
                "methods/index.md": mnav}

    def methods_of(self, category):
        ms = [m for m in self.by_kind.get("method", []) if m["category"] == category]
        return sorted(ms, key=lambda m: (m.get("order", 99), m["id"]))

    # -- regulations ----------------------------------------------------------------------------
    def regulation(self, r):
        uri = page_uri(r)
        out = [f"---\ntitle: {r['short_title']}（{version_tag(r)}）\n---\n", f"# {esc(r['citation'])}\n"]
        status = r["status"] + ("（推定）" if r["status_assumed"] else "")
        if r.get("superseded_by"):
            new = self.link(uri, r["superseded_by"], text=self._reg_name(r["superseded_by"]))
            out.append(f'!!! warning "{r["status"]}"\n    本版本已被 {new} 取代。引用时请用新版本，'
                       "新版本施行前发生的行为按从旧兼从轻原则对照本版本。\n")
        d = r["dates"]
        dates = "；".join(f"{n} {d[x]}" for x, n in (("adopted", "通过"), ("published", "发布"), ("effective", "施行")) if d.get(x)) or "未知"
        rows = [("编号", f"`{r['id']}`"), ("全称", esc(r["title"])), ("版本", esc(r["version_label"])), ("类别", esc(r["doc_kind"])),
                ("发布机关", esc(r["issuer"])), ("日期", esc(dates) + ("" if r["dates_verified"] else "（日期待核）")),
                ("效力", esc(status))]
        if r.get("supersedes"):
            rows.append(("取代", "、".join(self.link(uri, s, text=self._reg_name(s)) for s in r["supersedes"])))
        arts = [self.e[a] for a in r["articles"] if a in self.e]
        unverified = sum(1 for a in arts if not a["number_verified"])
        total = f"（全文共 {r['article_count']} 条）" if r.get("article_count") else ""
        rows.append(("收录", f"条文 {len(arts)} 条{total}，无条号规定 {len(r['provisions'])} 项，部分 {len(r['sections'])} 个"))
        if r.get("aliases"):
            rows.append(("又称", esc("、".join(r["aliases"]))))
        out.append(_table(("项目", "内容"), rows))
        out.append(f"{esc(r['summary'])}\n")
        if unverified:
            out.append(f'!!! note "{unverified} 条的条号待核"\n    标有「{UNVERIFIED}」的条号来自置信度低的资料，'
                       "引用前请对照正式文本核对条号。\n")
        if not (arts or r["provisions"] or r["sections"]):
            out.append('!!! info "未收录条文"\n    本版本只作为版本沿革记录，不收录逐条要点；现行版本的条文页面注明了对应的旧条号。\n')
        if r.get("structure"):
            out.append("## 结构\n")
            out.append(_table(("编", "章", "条号范围"), [
                (esc(s.get("part") or ""), esc(s.get("chapter") or ""),
                 esc(s.get("articles") or "") + ("" if s.get("verified", True) else "（待核）")) for s in r["structure"]]))
        for heading, group in self._chapters(r, arts):
            out.append(f"## {esc(heading)}\n")
            for a in group:
                out.append(self._unit(uri, a, f"第{int_to_cn(a['article'])}条　{a['topic']}"))
        provs = [self.e[p] for p in r["provisions"] if p in self.e]
        if provs:
            out.append("## 无条号的规定\n")
            out.append("以下内容只知主题、没有可靠条号，引用时不写条号。\n")
            for p in provs:
                out.append(self._unit(uri, p, p["topic"]))
        secs = [self.e[s] for s in r["sections"] if s in self.e]
        if secs:
            out.append("## 各部分\n")
            for s in secs:
                out.append(self._unit(uri, s, f"第{int_to_cn(s['section'])}{'项' if r['doc_kind'] == '规定' else '部分'}　{s['title']}"))
        return "\n".join(out)

    def _reg_name(self, rid):
        r = self.e.get(rid)
        return f"{r['short_title']}（{version_tag(r)}）" if r else rid

    @staticmethod
    def _chapters(r, arts):
        ranges = []
        for s in r.get("structure") or []:
            m = re.match(r"^\s*(\d+)\s*-\s*(\d*)\s*$", s.get("articles") or "")
            if m:
                ranges.append((int(m.group(1)), int(m.group(2)) if m.group(2) else 10 ** 6, s.get("chapter") or s.get("part")))
        groups, order = {}, []
        for a in sorted(arts, key=lambda a: a["article"]):
            head = a.get("chapter") or next((h for lo, hi, h in ranges if lo <= a["article"] <= hi and h), None) or "其他条文"
            if head not in groups:
                groups[head] = []
                order.append(head)
            groups[head].append(a)
        return [(h, groups[h]) for h in order]

    def _unit(self, uri, u, heading):
        """One article, provision or section, with its anchor and everything that links to it."""
        k = u["kind"]
        out = [f"### {esc(heading)} {{#{anchor(u)}}}\n"]
        if k == "article":
            flag = _flag("条号已核实", "ok") if u["number_verified"] else _flag(UNVERIFIED, "warn")
        else:
            flag = _flag("已核实", "ok") if u.get("verified") else _flag("待核", "warn")
        st = _flag(u["status"] + ("（推定）" if u.get("status_assumed") else ""), "ok" if u["status"] == "现行有效" else "old")
        extra = [_flag("本版新增", "info")] if u.get("new_in_version") else []
        if u.get("verified_by_import"):
            extra.append(_flag("已按导入的正式文本核实", "info"))
        out.append(" ".join([flag, st, *extra, f"编号 `{u['id']}`"]) + "\n")
        out.append(f"**引用**：{esc(u['citation'])}\n")
        out.append(f"**要点**：{esc(u['digest'])}\n")
        out.append(f"**巡察关注点**：{esc(u['look_for'])}\n")
        if u.get("keywords"):
            out.append(f"**关键词**：{esc('、'.join(u['keywords']))}\n")
        p = u.get("previous")
        if p:
            old = self.e.get(p["id"]) or self.e.get(p["regulation"])
            text = p.get("citation") or f"{p['regulation']} 第{p['number']}条"
            out.append(f"**旧版对应**：{self.link(uri, old['id'], text=text) if old else esc(text)}\n")
        cb = u.get("cited_by") or {}
        for key, title in (("checklist_items", "相关检查项"), ("findings", "相关问题示例"), ("methods", "相关方法")):
            if cb.get(key):
                out.append(f"**{title}**（{len(cb[key])}）：\n\n" + self.link_list(uri, cb[key]))
        if u.get("text"):
            out.append("**正式文本**（本机导入）：\n\n" + "\n".join(f"> {esc(line)}" for line in u["text"].splitlines() if line.strip()) + "\n")
        return "\n".join(out)

    def regulation_index(self):
        uri = "regulations/index.md"
        out = ["# 法规库\n", "巡察常用的党内法规和法律，一个版本一页。每条收录的条文都有自己的锚点，可以直接链接到"
               "「某法规第几条」；每条写明要点、引用格式、效力状态和条号是否已核实，并列出引用它的检查项、问题示例和方法。"
               "要点是本项目自己撰写的，不是法规原文。\n"]
        for status in [s for s in STATUS_ORDER if any(r["status"] == s for r in self.regs)] + \
                sorted({r["status"] for r in self.regs} - set(STATUS_ORDER)):
            rows = []
            for r in (x for x in self.regs if x["status"] == status):
                arts = [self.e[a] for a in r["articles"] if a in self.e]
                unv = sum(1 for a in arts if not a["number_verified"])
                n = f"{len(arts)}" + (f"（{unv} 条待核）" if unv else "")
                rows.append((self.link(uri, r["id"], text=r["title"]), esc(r["version_label"]), esc(r["doc_kind"]),
                             n, str(len(r["provisions"]) + len(r["sections"]))))
            out.append(f"## {status}\n")
            out.append(_table(("法规", "版本", "类别", "条文", "无条号规定/部分"), rows))
        return "\n".join(out)

    # -- checklists -----------------------------------------------------------------------------
    def checklist(self, c):
        uri = page_uri(c)
        out = [f"# {esc(c['title'])}\n",
               f"编号 `{c['id']}` · 适用：{esc(c['unit_type'])} · 检查项 {len(c['items'])} 项 · 聚焦表述 `{c['formulation']}`\n",
               f"{esc(c['intro'])}\n"]
        for fo in c["structure"]:
            out.append(f"## {esc(fo['name'])} {{#{fo['focus']}}}\n")
            for p in fo["points"]:
                out.append(f"### {esc(p['title'])}\n")
                for iid in p["items"]:
                    it = self.e[iid]
                    out.append(f"#### {esc(iid)}　{esc(it['check'])} {{#{iid}}}\n")
                    if it.get("sources"):
                        out.append(f"**核查渠道**：{esc('；'.join(it['sources']))}\n")
                    if it.get("symptoms"):
                        out.append("**常见表现**：\n\n" + "\n".join(f"- {esc(s)}" for s in it["symptoms"]) + "\n")
                    if it.get("basis"):
                        out.append("**依据**：\n\n" + self.link_list(uri, it["basis"]))
                    if it.get("methods"):
                        out.append("**方法**：" + "、".join(self.link(uri, m) for m in it["methods"]) + "\n")
                    cb = it.get("cited_by") or {}
                    if cb.get("findings"):
                        out.append("**问题示例**：\n\n" + self.link_list(uri, cb["findings"]))
                    if cb.get("methods"):
                        out.append("**相关方法**：" + "、".join(self.link(uri, m) for m in cb["methods"]) + "\n")
        return "\n".join(out)

    def checklist_index(self):
        uri = "checklists/index.md"
        rows = []
        for c in sorted(self.by_kind.get("checklist", []), key=lambda c: _unit_key(c["unit_type"])):
            per = "；".join(f"{FOCUS_SHORT.get(fo['focus'], fo['focus'])} {sum(len(p['items']) for p in fo['points'])}"
                           for fo in c["structure"])
            rows.append((self.link(uri, c["id"], text=c["title"]), esc(c["unit_type"]), str(len(c["items"])), esc(per)))
        return "\n".join(["# 监督重点清单\n", "按被巡察单位类型编写的“三个聚焦”（乡镇为“四个聚焦”）监督重点清单。每个检查项有稳定编号，"
                          "写明核查渠道、常见表现、依据条文和适用方法，可在底稿和谈话提纲中直接引用。\n",
                          _table(("清单", "适用单位", "检查项", "各聚焦检查项数"), rows)])

    # -- findings -------------------------------------------------------------------------------
    def finding(self, f):
        uri = page_uri(f)
        rows = [("编号", f"`{f['id']}`"), ("被巡察单位类型", esc(f["unit_type"])),
                ("聚焦", esc(FOCUS_NAMES.get(f["focus"], f["focus"]))), ("问题类别", esc(f["discipline"])),
                ("主体", esc(f["subject"])), ("时间", esc(f["time"]))]
        for key, name in (("place", "地点"), ("amount", "涉及金额、次数或规模")):
            if f.get(key):
                rows.append((name, esc(f[key])))
        rows.append(("改写自", f"种子文档 {esc(f['seed'])}（案例经改写、脱敏，不对应真实单位）"))
        out = [f"# {esc(f['title'])}\n", _table(("项目", "内容"), rows), "## 问题事实\n", f"{esc(f['facts'])}\n",
               "## 定性\n", f"{esc(f['qualification'])}\n"]
        if f.get("basis"):
            out.append("## 依据\n\n" + self.link_list(uri, f["basis"]))
        if f.get("checklist_items"):
            out.append("## 对应检查项\n\n" + self.link_list(uri, f["checklist_items"]))
        methods = list(dict.fromkeys((f.get("methods") or []) + (f.get("cited_by") or {}).get("methods", [])))
        if methods:
            out.append("## 发现和核实的方法\n\n" + self.link_list(uri, methods))
        if f.get("keywords"):
            out.append(f"**关键词**：{esc('、'.join(f['keywords']))}\n")
        return "\n".join(out)

    def finding_index(self):
        uri = "findings/index.md"
        out = ["# 问题示例\n", "巡察发现问题的示例，按被巡察单位类型分组。均改写自公开的经验材料并已脱敏（***村、**镇、XX局），"
               "用于学习如何把问题写得见人见事、定性准确、依据到条。\n"]
        groups = {}
        for f in sorted(self.by_kind.get("finding", []), key=lambda f: f["id"]):
            groups.setdefault(f["unit_type"], []).append(f)
        for unit in sorted(groups, key=_unit_key):
            out.append(f"## {esc(unit)}\n")
            out.append(_table(("问题", "聚焦", "类别"), [
                (self.link(uri, f["id"]), esc(FOCUS_SHORT.get(f["focus"], f["focus"])), esc(f["discipline"])) for f in groups[unit]]))
        return "\n".join(out)

    # -- methods --------------------------------------------------------------------------------
    def method(self, m):
        uri = page_uri(m)
        cat = CATEGORY_CN.get(m["category"], m["category"])
        head = f"第 {m['order']} 阶段" if m["category"] == "stage" and m.get("order") else \
            f"列举第 {m['order']} 项" if m["category"] == "method" and m.get("order") else ""
        out = [f"# {esc(m['name'])}\n", " ".join(x for x in (_flag(cat, "info"), esc(head), f"编号 `{m['id']}`") if x) + "\n"]
        if not m.get("verified") or m.get("unverified_note"):
            note = m.get("unverified_note") or "本记录依据的资料置信度低，未经核实。"
            out.append(f'!!! warning "{"未经核实" if not m.get("verified") else "部分内容待核"}"\n    {esc(note)}\n')
        out += ["## 做什么、为什么\n", f"{esc(m['purpose'])}\n", "## 什么时候用\n", f"{esc(m['when'])}\n"]
        if m.get("stages"):
            out.append("**所属阶段**：" + "、".join(self.link(uri, s) for s in m["stages"]) + "\n")
        out.append("## 怎么做\n\n" + "\n".join(f"{i}. {esc(s)}" for i, s in enumerate(m["steps"], 1)) + "\n")
        for key, title in (("prepare", "事先准备"), ("outputs", "产出文书"), ("mistakes", "常见错误"), ("discipline", "纪律要求")):
            if m.get(key):
                out.append(f"## {title}\n\n" + "\n".join(f"- {esc(x)}" for x in m[key]) + "\n")
        if m["category"] == "stage":
            used = [x for x in self.by_kind.get("method", []) if m["id"] in (x.get("stages") or [])]
            for cat_key, title in CATEGORIES[1:]:
                ms = sorted((x for x in used if x["category"] == cat_key), key=lambda x: (x.get("order", 99), x["id"]))
                if ms:
                    out.append(f"## 本阶段用到的{title}\n\n" + self.link_list(uri, [x["id"] for x in ms]))
        related = [("related", "相关方法和做法"), ("articles", "依据条文"), ("checklist_items", "相关检查项"), ("findings", "相关问题示例")]
        ub = m.get("used_by") or {}
        for key, title in related:
            ids = list(dict.fromkeys((m.get(key) or []) + (ub.get(key) or [])))
            if ids:
                out.append(f"## {title}\n\n" + self.link_list(uri, ids))
        if m.get("notebooks"):
            out.append("**培训练习**：" + "、".join(f"`notebooks/{esc(n)}`" for n in m["notebooks"]) + "\n")
        if m.get("keywords"):
            out.append(f"**关键词**：{esc('、'.join(m['keywords']))}\n")
        return "\n".join(out)

    def method_index(self):
        uri = "methods/index.md"
        out = ["# 巡察工作流程与方法\n", "一轮巡察从准备到整改的各个阶段，巡察条例列举的工作方式，以及各地在实践中形成的做法。"
               "每条记录写明做什么、何时用、怎么做、准备什么、产出什么文书、常见错误和纪律要求，并链接到检查项、问题示例和条文。\n"]
        if self.stages:
            out.append("## 一轮巡察的阶段\n")
            out.append('<div class="xc-round" markdown="0">\n' + self.stage_svg(uri) + "\n</div>\n")
            rows = []
            for s in self.stages:
                used = [x["id"] for x in self.by_kind.get("method", []) if s["id"] in (x.get("stages") or [])]
                rows.append((str(s.get("order", "")), self.link(uri, s["id"]), esc(s["when"]), str(len(used))))
            out.append(_table(("顺序", "阶段", "时间", "相关方法"), rows))
        for cat, title in CATEGORIES[1:]:
            ms = self.methods_of(cat)
            if not ms:
                continue
            out.append(f"## {title}\n")
            rows = []
            for m in ms:
                stages = "、".join(self.link(uri, s, text=self.e[s]["name"].split("（")[0]) for s in m.get("stages") or [] if s in self.e)
                rows.append(((str(m["order"]) if cat == "method" and m.get("order") else ""), self.link(uri, m["id"]),
                             stages or "—", "" if m.get("verified") else "待核"))
            cols = ("序号", "名称", "用于阶段", "核实") if cat == "method" else ("", "名称", "用于阶段", "核实")
            out.append(_table(cols, rows) if cat == "method" else _table(cols[1:], [r[1:] for r in rows]))
        return "\n".join(out)

    def stage_svg(self, from_uri, per_row=4):
        """The round's stages as an inline SVG flow chart, in ``order``, each box linking to its page."""
        n = len(self.stages)
        bw, bh, gap, pad, rowgap = 200, 84, 40, 20, 56
        cols = min(per_row, n)
        rows = (n + per_row - 1) // per_row
        width = pad * 2 + cols * bw + (cols - 1) * gap
        height = pad * 2 + rows * bh + (rows - 1) * rowgap
        names = "→".join(s["name"].split("（")[0] for s in self.stages)
        parts = [f'<svg class="xc-round__svg" viewBox="0 0 {width} {height}" role="img" '
                 f'aria-labelledby="xc-round-title" xmlns="http://www.w3.org/2000/svg">',
                 f'<title id="xc-round-title">一轮巡察的阶段：{html.escape(names)}</title>',
                 '<defs><marker id="xc-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
                 'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="xc-round__arrowhead"/></marker></defs>']
        boxes = []
        for i, s in enumerate(self.stages):
            r, c = divmod(i, per_row)
            x, y = pad + c * (bw + gap), pad + r * (bh + rowgap)
            boxes.append((x, y))
            main, _, sub = s["name"].partition("（")
            sub = sub.rstrip("）")
            if len(main) > 8:  # a long name goes on two lines
                cut = next((i + 1 for i, ch in enumerate(main) if ch in "、与和及" and 2 <= i < 8), 8)
                main, sub = main[:cut], main[cut:] + (f"（{sub}）" if sub else "")
            used = sum(1 for m in self.by_kind.get("method", []) if s["id"] in (m.get("stages") or []))
            href = html.escape(self.html_href(from_uri, page_uri(s)))
            parts.append(f'<a href="{href}" class="xc-round__stage"><rect x="{x}" y="{y}" width="{bw}" height="{bh}" rx="10"/>'
                         f'<circle cx="{x + 22}" cy="{y + 24}" r="13" class="xc-round__num"/>'
                         f'<text x="{x + 22}" y="{y + 29}" text-anchor="middle" class="xc-round__numtext">{s.get("order", i + 1)}</text>'
                         f'<text x="{x + 44}" y="{y + 31}" class="xc-round__name">{html.escape(_fit(main, 9))}</text>'
                         + (f'<text x="{x + 14}" y="{y + 56}" class="xc-round__sub">{html.escape(_fit(sub, 13))}</text>' if sub else "")
                         + f'<text x="{x + 14}" y="{y + 75}" class="xc-round__count">相关方法 {used} 项</text></a>')
        for i in range(n - 1):
            (x1, y1), (x2, y2) = boxes[i], boxes[i + 1]
            if y1 == y2:
                d = f"M{x1 + bw},{y1 + bh / 2} L{x2 - 2},{y2 + bh / 2}"
            else:  # wrap to the next row
                mid = y1 + bh + rowgap / 2
                d = f"M{x1 + bw / 2},{y1 + bh} L{x1 + bw / 2},{mid} L{x2 + bw / 2},{mid} L{x2 + bw / 2},{y2 - 2}"
            parts.append(f'<path d="{d}" class="xc-round__arrow" marker-end="url(#xc-arrow)"/>')
        parts.append("</svg>")
        return "".join(parts)


def _url(uri, dir_urls):
    base = uri[:-3]
    if not dir_urls:
        return base + ".html"
    if base == "index" or base.endswith("/index"):
        return base[:-5]
    return base + "/"


def _fit(text, n):
    return text if len(text) <= n else text[: n - 1] + "…"


def _flag(text, tone):
    return f'<span class="xc-flag xc-flag--{tone}">{html.escape(text)}</span>'


def _table(head, rows):
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    lines += ["| " + " | ".join(c or " " for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


# ---- entries for the site, schemas, dictionary, CLI reference --------------------------------------

_TYPE_CN = {"string": "文本", "integer": "整数", "number": "数字", "boolean": "true/false", "array": "列表",
            "object": "映射", "null": "空"}
SCHEMA_MARK = re.compile(r"<!--\s*xuncha:schema\s+([a-z_]+)\s*-->")


def schema_table(kind):
    """The fields of one record kind as a Markdown table, straight from ``xuncha/schemas/<kind>.schema.json``."""
    from .records import SCHEMA_DIR
    path = SCHEMA_DIR / f"{kind}.schema.json"
    if not path.is_file():
        raise XunchaError(f"没有记录类型「{kind}」的模式文件（{path.name}）")
    schema = json.loads(path.read_text(encoding="utf-8"))
    rows = []

    def walk(props, required, prefix):
        for name, p in props.items():
            types = p.get("type", "")
            types = types if isinstance(types, list) else [types]
            if "enum" in p:
                allowed = "、".join(f"`{v}`" for v in p["enum"])
            elif p.get("examples"):
                allowed = "例：" + esc(json.dumps(p["examples"][0], ensure_ascii=False) if not isinstance(p["examples"][0], str) else p["examples"][0])
            else:
                allowed = ""
            rows.append((f"`{prefix}{name}`", esc(p.get("title", "")), "/".join(_TYPE_CN.get(t, t) for t in types if t),
                         "是" if name in required else "", esc(p.get("description", "")), allowed))
            if p.get("properties"):
                walk(p["properties"], p.get("required", []), f"{prefix}{name}.")
            items = p.get("items")
            if isinstance(items, dict) and items.get("properties"):
                walk(items["properties"], items.get("required", []), f"{prefix}{name}[].")
    walk(schema.get("properties", {}), schema.get("required", []), "")
    head = f"**{esc(schema.get('title', kind))}**：{esc(schema.get('description', ''))}\n\n"
    return head + _table(("字段", "名称", "类型", "必填", "说明", "取值或示例"), rows)


def expand_schema_marks(markdown):
    """Replace every ``<!-- xuncha:schema KIND -->`` in a hand-written page with that kind's field table."""
    return SCHEMA_MARK.sub(lambda m: schema_table(m.group(1)), markdown)


def site_entries(corpus, local_texts=False):
    """The entries the site shows. Without ``local_texts`` the local overlay (imported official texts,
    local regulations, study materials) stays off the site, whatever this machine holds."""
    if local_texts:
        return corpus.entries
    from .enrich import build_entries
    regs = {k: v.get("_shipped", v) for k, v in corpus.regulations.items() if not v.get("_local")}
    return build_entries(regs, corpus.checklists, corpus.findings, corpus.methods, {})


def jieba_userdict(terms, freq=50000):
    """The domain dictionary in jieba's user-dictionary format: ``word freq`` per line. ``freq`` is the
    weight the Whoosh segmenter gives the same terms, so both split text alike."""
    seen, lines = set(), []
    for t in terms:
        t = t.strip()
        if not t or " " in t or t in seen:
            continue
        seen.add(t)
        lines.append(f"{t} {freq}")
    return "\n".join(lines) + "\n"


def _subcommands(parser):
    import argparse
    for act in parser._actions:
        if isinstance(act, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in act._choices_actions}
            for name, sp in act.choices.items():
                yield name, helps.get(name) or "", sp


def command_paths(parser, prefix=()):
    """Every sub-command of the parser, nested ones too: [('search',), ('site', 'build'), ...]."""
    out = []
    for name, _, sp in _subcommands(parser):
        out.append((*prefix, name))
        out += command_paths(sp, (*prefix, name))
    return out


def cli_reference(parser=None):
    """The CLI reference page: the help text of ``xuncha`` and of every sub-command, as printed by ``--help``."""
    if parser is None:
        from .cli import build_parser
        parser = build_parser()
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = CLI_HELP_COLUMNS
    try:
        out = ["# CLI 参考\n", "本页在构建站点时由各命令的 `--help` 输出自动生成，与所装版本一致。"
               "在终端里运行 `xuncha 命令 -h` 可看到同样的内容。\n", "## xuncha {#xuncha}\n", _code(parser.format_help())]

        def walk(p, prefix, level):
            for name, help_, sp in _subcommands(p):
                path = (*prefix, name)
                slug = "xuncha-" + "-".join(path)
                out.append(f"{'#' * level} xuncha {' '.join(path)} {{#{slug}}}\n")
                if help_:
                    out.append(f"{esc(help_)}\n")
                out.append(_code(sp.format_help()))
                walk(sp, path, min(level + 1, 4))
        walk(parser, (), 2)
        return "\n".join(out)
    finally:
        if old is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = old


def _code(text):
    return "```text\n" + text.rstrip().replace("```", "ʼʼʼ") + "\n```\n"


# ---- building and serving ----------------------------------------------------------------------

def mkdocs_config(root):
    """The mkdocs.yml to use for the knowledge base at ``root``: its own, else the one shipped beside
    this package (with the corpus taken from ``root``)."""
    for base in (Path(root), Path(__file__).resolve().parent.parent):
        cfg = base / "mkdocs.yml"
        if cfg.is_file() and (base / "hooks" / "xuncha_site.py").is_file():
            return cfg
    raise XunchaError(f"在 {root} 和本程序目录中都找不到 mkdocs.yml 和 hooks/xuncha_site.py；请在知识库目录中运行，或用 --root 指定")


def mkdocs_command(root, action, site_dir=None, strict=True, addr="127.0.0.1:8000"):
    """(argv, env) that build or serve the site of the knowledge base at ``root`` with MkDocs."""
    import importlib.util
    for mod, pkg in (("mkdocs", "mkdocs"), ("material", "mkdocs-material")):
        if importlib.util.find_spec(mod) is None:
            raise XunchaError(f"未安装 {pkg}；请运行 python3 -m pip install 'xuncha[site]' 后重试")
    cfg = mkdocs_config(root)
    argv = [sys.executable, "-m", "mkdocs", action, "-f", str(cfg)]
    if action == "build":
        if site_dir:
            argv += ["-d", str(Path(site_dir).resolve())]
        if strict:
            argv.append("--strict")
    elif action == "serve":
        argv += ["-a", addr]
        if strict:
            argv.append("--strict")
    else:
        raise ValueError(action)
    env = dict(os.environ, XUNCHA_ROOT=str(Path(root).resolve()))
    env.setdefault("NO_MKDOCS_2_WARNING", "1")  # MkDocs' English banner about its next version
    return argv, env

