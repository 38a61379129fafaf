"""import (official texts and study materials into the local overlay) and diff (新旧对照)."""
import shutil
import sys
import unicodedata

from ..cli import ProgressBar, add_output_options, bold, color_enabled, dim, emit_json, highlight
from ..numerals import int_to_cn


def register(sub):
    sp = sub.add_parser(
        "import", help="导入本单位持有的法规正式文本或学习材料（只存本机 local/，不入库）",
        description="把正式文本（.txt UTF-8/GB18030、.docx、.html、可提取文字的 .pdf）按编、章、节、条、款、项切分，"
                    "存入本机的 local/ 目录（已被 .gitignore 排除），之后检索、show、引用和网站都显示条文原文。"
                    "例：xuncha import 纪律处分条例.docx；xuncha import 实施办法.pdf --as xian-shishi-banfa-2022；"
                    "xuncha import --material 讲话.txt",
        epilog="导入时逐条核对语料要点与原文：不符的条文列出「第N条 要点与原文不符，请核对」；相符的可用 --mark-verified "
               "标记为条号已核实（记下来源文件及其 SHA-256）。一次导入的文件要么全部写入，要么一个也不写。")
    sp.add_argument("files", nargs="*", metavar="FILE", help="要导入的文件（可多个）")
    sp.add_argument("--as", dest="as_id", metavar="ID",
                    help="指定编号：语料中已有的法规编号（如 jilv-2023），或本地法规的新编号（小写拼音加年份，如 xian-shishi-banfa-2022）；"
                         "与 --material 同用时为材料编号")
    sp.add_argument("--material", action="store_true", help="作为学习材料导入（讲话、经验材料、培训讲义），按 一、（一）1. 一是 等标题切分")
    sp.add_argument("--title", help="学习材料的标题（文件中没有标题行时使用）")
    sp.add_argument("--partial", action="store_true", help="节选：允许不从第一条开始、条号中间有缺、条数少于全文、最后一句不完整")
    mark = sp.add_mutually_exclusive_group()
    mark.add_argument("--mark-verified", action="store_true", help="把与要点相符的条文标记为条号已核实（不再询问）")
    mark.add_argument("--no-mark", action="store_true", help="不标记条号核实（不再询问）")
    sp.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")
    sp.add_argument("--no-index", action="store_true", help="写入后不立即重建索引（下次检索时会自动重建）")
    sp.add_argument("--list", action="store_true", help="列出本机已导入的内容")
    sp.add_argument("--remove", metavar="ID", help="删除本机某项导入内容（法规正式文本或学习材料）")
    add_output_options(sp)
    sp.set_defaults(func=cmd_import)

    sp = sub.add_parser(
        "diff", help="新旧对照：比较一部法规的两个版本，逐条列出新增、删除、条号变化和文字修改",
        description="按事实包的条号对应关系（新版条文的 previous）和已导入的两版正式文本的文字相似度，逐条对照。"
                    "例：xuncha diff jilv-2018 jilv-2023")
    sp.add_argument("old", metavar="OLD-ID", help="旧版编号，如 jilv-2018")
    sp.add_argument("new", metavar="NEW-ID", help="新版编号，如 jilv-2023")
    sp.add_argument("--all", action="store_true", help="也显示未变条文的全文")
    sp.add_argument("--brief", action="store_true", help="只列对照表，不显示条文文字")
    sp.add_argument("--width", type=int, metavar="N", help="输出宽度（字符列数，默认取终端宽度）")
    add_output_options(sp)
    sp.set_defaults(func=cmd_diff)


# ---- import -------------------------------------------------------------------------------------

def _err(msg):
    print(msg, file=sys.stderr)


def _structure_line(c):
    parts = [f"{c[k]} {k}" for k in ("编", "章", "节") if c.get(k)]
    s = " ".join(parts + [f"{c['条']} 条"]) + f"（款 {c['款']}，项 {c['项']}）"
    if c.get("附则条数"):
        s += f"，附则 {c['附则条数']} 条"
    return s


def _print_plan(p):
    if p.kind == "material":
        levels = "，".join(f"{'开头' if lv == '0' else f'第{lv}级'} {n}" for lv, n in sorted(p.counts["层级"].items(), key=lambda x: int(x[0])))
        print(f"{bold('导入')} {p.file} → {p.id}《{p.title}》（学习材料{'，替换原有导入' if p.replaces else ''}）")
        print(f"  分节：{p.counts['节']} 节（{levels}），共 {p.counts['字数']} 字")
    else:
        kind = "本地法规" + ("，替换原有导入" if p.replaces else "，新建") if p.local else ("替换原有导入" if p.replaces else "正式文本")
        print(f"{bold('导入')} {p.file} → {p.id}《{p.title}》（{kind}；识别依据：{p.how}）")
        print(f"  结构：{_structure_line(p.counts)}")
        if p.checks:
            ok = sum(1 for c in p.checks if c.status == "相符")
            bad = [c for c in p.checks if c.status != "相符"]
            print(f"  要点核对：语料收录的 {len(p.checks)} 条中，相符 {ok} 条" + (f"，需核对 {len(bad)} 条" if bad else ""))
            for c in bad:
                print(f"  {c.message}")
    for w in p.warnings:
        print(f"  提示：{w}")


def _mark_prompt(plans, args):
    """Which plans get their confirmed numbers marked: --mark-verified, --no-mark, or ask on a terminal."""
    markable = [p for p in plans if p.kind == "regulation" and p.markable()]
    if not markable or args.no_mark:
        return []
    if args.mark_verified:
        return markable
    nums = sum(len(p.markable()) for p in markable)
    if args.json or args.dry_run or not (sys.stdin.isatty() and sys.stdout.isatty()):
        if not args.json:
            print(f"  可加 --mark-verified 把与要点相符的 {nums} 条标记为条号已核实。")
        return []
    try:
        ans = input(f"是否把与要点相符的 {nums} 条标记为条号已核实（记录来源文件及其 SHA-256）？[y/N] ")
    except EOFError:
        ans = ""
    return markable if ans.strip().lower() in ("y", "yes", "是", "好") else []


def _list(args):
    from ..importer import list_imports
    from ..paths import find_root
    root = args.root or find_root()
    items = list_imports(root)
    if args.json:
        emit_json(items)
        return 0
    if not items:
        print("本机还没有导入任何内容。用 xuncha import 文件 导入正式文本，xuncha import --material 文件 导入学习材料。")
        return 0
    for it in items:
        if it.get("error"):
            print(f"{it['id']}  {it['path']}：{it['error']}")
            continue
        what = "学习材料" if it["kind"] == "material" else ("本地法规" if it["local"] else "正式文本")
        unit = "节" if it["kind"] == "material" else "条"
        ver = f"，已核实 {it['verified']} 条" if it["verified"] else ""
        print(f"{bold(it['id'])}  {what}《{it['title']}》 {it['count']} {unit}{ver}")
        print(dim(f"   来源 {it['file']}（SHA-256 {(it['sha256'] or '')[:12]}…），导入于 {it['imported_at']}，存于 {it['path']}"))
    return 0


def cmd_import(args):
    from ..errors import XunchaError
    from ..importer import commit, mark_verified, prepare_material, prepare_regulation, remove_import
    from ..importer.plan import shipped_regulations
    from ..paths import find_root
    root = args.root or find_root()
    if args.list:
        return _list(args)
    if args.remove:
        rel = remove_import(root, args.remove)
        print(f"已删除 {rel}。")
        return _reindex(args, root)
    if not args.files:
        _err("xuncha: 请指定要导入的文件，例如 xuncha import 纪律处分条例.docx；用 xuncha import -h 查看帮助")
        return 2
    if args.as_id and len(args.files) > 1:
        _err("xuncha: --as 只能用于一个文件；请逐个导入")
        return 2
    shipped = None if args.material else shipped_regulations(root)
    plans, errors = [], []
    for f in args.files:
        bar = ProgressBar(f"读取 {f}")
        try:
            if args.material:
                plans.append(prepare_material(root, f, as_id=args.as_id, title=args.title, progress=bar))
            else:
                plans.append(prepare_regulation(root, f, as_id=args.as_id, partial=args.partial, progress=bar, shipped=shipped))
        except XunchaError as e:
            errors.append(e)
    if errors:
        if args.json:
            emit_json({"written": False, "errors": [{"file": getattr(e, "file", None), "line": getattr(e, "loc", None),
                                                     "message": str(e)} for e in errors]})
        for e in errors:
            _err(f"xuncha: {e}")
        _err("未导入任何文件（一次导入要么全部写入，要么一个也不写）。" if len(args.files) > 1 else "未写入任何内容。")
        return 1
    if not args.json:
        for p in plans:
            _print_plan(p)
    for p in _mark_prompt(plans, args):
        mark_verified(p)
        if not args.json:
            src = p.data["source"]
            nums = "、".join(f"第{n}条" for n in p.marked)
            print(f"  条号核实：{p.id} 已将 {len(p.marked)} 条标记为已核实（{nums}；依据 {src['file']}，SHA-256 {src['sha256'][:12]}…）")
    for p in plans:
        if p.kept and not args.json:
            print(f"  条号核实：{p.id} 保留此前对同一文本的核实 {len(p.kept)} 条")
    if args.dry_run:
        if args.json:
            emit_json({"written": False, "imports": [p.as_dict() for p in plans]})
        else:
            print("（试运行：未写入任何内容）")
        return 0
    commit(root, plans)
    if args.json:
        emit_json({"written": True, "imports": [p.as_dict() for p in plans], "paths": [p.rel for p in plans]})
    else:
        for p in plans:
            print(f"已写入 {p.rel}（本机，不入库）")
    return _reindex(args, root)


def _reindex(args, root):
    if args.no_index:
        return 0
    from ..kb import KnowledgeBase
    kb = KnowledgeBase(root, progress=ProgressBar("重建索引"))
    meta = kb.rebuild(force=False)
    if not args.json:
        print(dim(f"索引已更新：{meta['documents']} 条记录。"), file=sys.stderr)
    return 0


# ---- diff ---------------------------------------------------------------------------------------

def _cells(ch, color):
    if ch in "【】" and color:
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


_NO_LINE_START = "，。；：、！？）」”』】,.;:!?)"


def wrap(text, width, color=False):
    """Wrap text to ``width`` display columns (CJK counts 2). Punctuation never starts a line (it may use
    the last two columns), and a 【mark】 cut by a line end is closed and reopened on the next line."""
    out = []
    for para in (text or "").split("\n"):
        cur, w, open_mark = "", 0, False
        for ch in para:
            if ch in "【】":
                open_mark = ch == "【"
                cur += ch
                w += _cells(ch, color)
                continue
            cw = _cells(ch, color)
            reserve = _cells("】", color) if open_mark else 0
            limit = width if ch in _NO_LINE_START else width - 2
            if w + cw + reserve > limit and cur.strip("【"):
                if cur.endswith("【"):
                    out.append(cur[:-1])
                else:
                    out.append(cur + ("】" if open_mark else ""))
                cur, w = ("【" if open_mark else ""), (_cells("【", color) if open_mark else 0)
            cur += ch
            w += cw
        out.append(cur)
    return out


def _pad(s, width, color):
    return s + " " * max(0, width - sum(_cells(c, color) for c in s))


def _side_by_side(left, right, width, color):
    col = max(10, (width - 3) // 2)
    a, b = wrap(left, col, color), wrap(right, col, color)
    n = max(len(a), len(b))
    a += [""] * (n - len(a))
    b += [""] * (n - len(b))
    return [f"{highlight(_pad(x, col, color))} │ {highlight(y)}" for x, y in zip(a, b)]


def _art(n):
    return f"第{n}条" if n is not None else "—"


def _row_head(r):
    from ..diff import STATUS_CN
    st = STATUS_CN[r["status"]]
    if r["status"] == "renumbered" and r["similarity"] is not None:
        st += "，文字" + ("未变" if r["similarity"] >= 0.999 else f"修改（相似度 {r['similarity']:.0%}）")
    elif r["status"] == "modified":
        st += f"（相似度 {r['similarity']:.0%}）"
    basis = f"［{r['basis']}{'' if r['link_verified'] in (None, True) else '，旧条号待核'}］" if r["basis"] else ""
    return f"{_art(r['old'])} → {_art(r['new'])}  {st}{basis}  {r['topic']}"


def cmd_diff(args):
    from ..corpus import load_corpus
    from ..diff import STATUS_CN, diff_versions, inline_changes
    corpus = load_corpus(args.root)
    d = diff_versions(corpus, args.old, args.new)
    if args.json:
        emit_json(d)
        return 0
    color = color_enabled()
    width = args.width or shutil.get_terminal_size((100, 24)).columns
    width = max(40, width)
    o, n = d["old"], d["new"]
    print(bold(f"新旧对照：《{n['title']}》 {o['id']}（{o['version_label']}）→ {n['id']}（{n['version_label']}）"))
    basis = ["事实包的条号对应关系"] if d["related"] else []
    if d["texts_compared"]:
        basis.append("两版正式文本的文字相似度")
    print(f"比对依据：{' + '.join(basis) or '无'}")
    print("统计：" + " · ".join(f"{STATUS_CN[k]} {v}" for k, v in d["summary"].items()) if d["summary"] else "统计：没有可对照的条文")
    for r in d["rows"]:
        if r["status"] == "unchanged" and not args.all:
            print(dim(f"{_art(r['old'])} → {_art(r['new'])}  未变  {r['topic']}"))
            continue
        if not args.brief:
            print()
        print(bold(_row_head(r)))
        if args.brief or not (r["old_text"] or r["new_text"]):
            continue
        left, right = r["old_text"] or "（无）", r["new_text"] or "（无）"
        if r["old_text"] and r["new_text"]:
            left, right = inline_changes(r["old_text"], r["new_text"])
        hdr_l = f"旧 {o['id']} " + (f"第{int_to_cn(r['old'])}条" if r["old"] else "（无对应条文）")
        hdr_r = f"新 {n['id']} " + (f"第{int_to_cn(r['new'])}条" if r["new"] else "（已删除）")
        for line in _side_by_side(hdr_l, hdr_r, width, color) + _side_by_side(left, right, width, color):
            print(line)
    for note in d["notes"]:
        _err(f"提示：{note}")
    return 0
