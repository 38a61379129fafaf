"""lint, outline, questions, export: the drafting and interview tools."""
import sys
from pathlib import Path

from ..cli import add_output_options, bold, dim, emit_json, open_kb
from ..errors import InputError, XunchaError

EXIT_BAD_INPUT = 2
SEV_CN = {"error": "错误", "warning": "警告", "info": "提示"}


def register(sub):
    sp = sub.add_parser("lint", help="检查问题底稿：依据、条款、主体、时间、细节、表述、脱敏、政治视角",
                        description="像巡察办审核人员一样检查一份问题底稿（YAML、Markdown 或纯文本；- 表示从标准输入读取）。"
                                    "发现错误级问题时退出码为 1，输入无法读取时为 2。例：xuncha lint 底稿.md")
    sp.add_argument("files", nargs="*", metavar="FILE", help="底稿文件（可多个；- 表示标准输入）")
    sp.add_argument("--rules", metavar="规则", help="只运行这些规则，逗号分隔，如 missing-basis,personal-info")
    sp.add_argument("--today", metavar="YYYY-MM-DD", help="「今年」「去年」等相对时间按此日期解释（默认今天）")
    sp.add_argument("--list-rules", action="store_true", help="列出全部规则及其代码、级别")
    add_output_options(sp, "输出 JSON 数组：每项含 rule、severity、message、start、end、hint 等")
    sp.set_defaults(func=cmd_lint)

    sp = sub.add_parser("outline", help="按清单生成谈话提纲：暖场、聚焦问题、线索追问、谈话纪律",
                        description="按监督重点清单为一个谈话对象生成谈话提纲（一人一纲）。"
                                    "例：xuncha outline --role 村党支部书记 --clue \"村干部私车加油在村里报销\"")
    sp.add_argument("--role", required=True, metavar="职务", help="谈话对象的职务，如 村党支部书记、镇长、XX局财务股会计")
    sp.add_argument("--unit", metavar="单位", help="被巡察单位：村、社区、镇、XX局（县直单位）、公司（国有企业）；默认按职务推断")
    sp.add_argument("--focus", action="append", metavar="聚焦",
                    help="只谈某些聚焦：juece（决策部署）、fubai（腐败和作风）、zuzhi（组织建设）、zhenggai（整改）；可重复或用逗号分隔")
    sp.add_argument("--clue", action="append", default=[], metavar="线索", help="已掌握的线索（只供谈话人参考，不会写进问题里）；可重复")
    sp.add_argument("-o", "--output", metavar="OUT", help="写入文件（默认输出到屏幕）")
    sp.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    add_output_options(sp, "输出 JSON（供其他程序使用）")
    sp.set_defaults(func=cmd_outline)

    sp = sub.add_parser("questions", help="给谈话问题分类：开放式、封闭式、诱导式、泄露来源、承诺结果",
                        description="逐行检查谈话提纲里的问题（- 表示标准输入），指出诱导、泄露线索来源、承诺处理结果等违反谈话纪律的问法，"
                                    "并给出改写提示。有泄露来源或承诺结果的问题时退出码为 1。")
    sp.add_argument("file", metavar="FILE", help="每行一个问题的文本文件（可带编号）；- 表示标准输入")
    add_output_options(sp)
    sp.set_defaults(func=cmd_questions)

    sp = sub.add_parser("export", help="把底稿导出为问题底稿文档（Word .docx 或 Markdown）",
                        description="按常用格式生成问题底稿：名称、编号、编制日期、被巡察单位、问题来源、问题概要、事实、定性、依据（含条文要点和已导入的正式文本）、"
                                    "支撑材料目录、经办人/复核/审签。例：xuncha export 底稿.yaml --format docx")
    sp.add_argument("file", metavar="FILE", help="底稿文件（YAML、Markdown 或纯文本；- 表示标准输入）")
    sp.add_argument("--format", required=True, choices=("docx", "md"), help="输出格式")
    sp.add_argument("-o", "--output", metavar="OUT", help="输出文件（默认：与底稿同名加「-底稿」，标准输入时为当前目录下的 问题底稿.docx/.md）")
    sp.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    sp.add_argument("--no-check", action="store_true", help="导出前不做脱敏检查")
    sp.set_defaults(func=cmd_export)


# ---- helpers --------------------------------------------------------------------------------------

def _bad_input(e):
    print(f"xuncha: {e}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _kb_or_none(args):
    try:
        return open_kb(args)
    except XunchaError as e:
        print(f"提示：知识库无法打开（{e}），本次不核对所引条款。", file=sys.stderr)
        return None


def _read(path):
    """(Draft, RawDraft) for a path or '-'; raises InputError."""
    from ..drafting.draft import parse_draft
    from ..drafting.draft_io import read_draft
    raw = read_draft(path)
    fmt = {".yaml": "yaml", ".yml": "yaml", ".md": "markdown", ".markdown": "markdown", ".txt": "text"}.get(raw.suffix)
    try:
        draft = parse_draft(raw.text, fmt, raw.name)
    except InputError as e:
        raise InputError(f"{raw.name}：{e}") from None
    if raw.encoding == "gb18030":
        print(f"提示：{raw.name} 是 GB18030/GBK 编码，已按该编码读取；建议另存为 UTF-8。", file=sys.stderr)
    return draft, raw


def _write_text(path, text, force):
    from ..drafting.export import OutputExistsError, _atomic_write
    p = Path(path)
    if p.exists() and not force:
        raise OutputExistsError(f"输出文件已存在：{p}。如确要覆盖，请加 --force")
    _atomic_write(p, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


# ---- lint -----------------------------------------------------------------------------------------

def cmd_lint(args):
    from ..drafting import RULES
    from ..drafting.lint import lint_draft, summary
    if args.list_rules:
        if args.json:
            emit_json([{"rule": r.code, "severity": r.severity, "title": r.title, "detail": r.detail} for r in RULES.values()])
        else:
            for r in RULES.values():
                print(f"{r.code:<20} {SEV_CN[r.severity]}  {r.title}：{r.detail}")
        return 0
    if not args.files:
        print("xuncha: 错误：缺少参数 FILE（底稿文件，- 表示标准输入）。用 xuncha lint -h 查看帮助", file=sys.stderr)
        return EXIT_BAD_INPUT
    rules = [r.strip() for r in args.rules.split(",") if r.strip()] if args.rules else None
    if rules:
        unknown = [r for r in rules if r not in RULES]
        if unknown:
            print(f"xuncha: 没有这条规则：{'、'.join(unknown)}。可用 xuncha lint --list-rules 查看全部规则", file=sys.stderr)
            return EXIT_BAD_INPUT
    kb = _kb_or_none(args)
    all_issues, bad, errors = [], 0, 0
    for path in args.files:
        try:
            draft, raw = _read(path)
            issues = lint_draft(draft, kb, today=args.today, rules=rules)
        except InputError as e:
            bad += 1
            _bad_input(e)
            continue
        errors += sum(1 for i in issues if i["severity"] == "error")
        if args.json:
            all_issues += [dict(i, file=raw.name) for i in issues]
            continue
        for i in issues:
            print(f"{raw.name}:{i['line']}:{i['column']}: {bold(SEV_CN[i['severity']])} [{i['rule']}] {i['message']}")
            if i["excerpt"] and i["excerpt"] not in i["message"]:
                print(dim(f"    「{i['excerpt']}」"))
            if i["hint"]:
                print(f"    提示：{i['hint']}")
        c = summary(issues)
        print(f"{raw.name}：" + (f"错误 {c['error']}，警告 {c['warning']}，提示 {c['info']}。" if issues else "未发现问题。"))
    if args.json:
        emit_json(all_issues)
    if bad:
        return EXIT_BAD_INPUT
    return 1 if errors else 0


# ---- outline --------------------------------------------------------------------------------------

def cmd_outline(args):
    from ..drafting.outline import outline, to_markdown
    try:
        kb = open_kb(args)
        o = outline(args.role, unit=args.unit, focus=args.focus, clues=args.clue, kb=kb)
    except InputError as e:
        return _bad_input(e)
    if args.json:
        import json
        text = json.dumps(o, ensure_ascii=False, indent=2) + "\n"
    else:
        text = to_markdown(o)
    if args.output:
        try:
            _write_text(args.output, text, args.force)
        except InputError as e:
            return _bad_input(e)
        print(f"已写入谈话提纲：{args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


# ---- questions ------------------------------------------------------------------------------------

def cmd_questions(args):
    from ..drafting.draft_io import read_draft
    from ..drafting.questions import LABEL_CN, classify_questions, counts
    try:
        raw = read_draft(args.file)
    except InputError as e:
        return _bad_input(e)
    results = classify_questions(raw.text)
    if not results:
        return _bad_input(InputError(f"{raw.name}：没有找到问题（每行写一个问题）"))
    serious = sum(1 for r in results if r["severity"] == "error")
    if args.json:
        emit_json(results)
        return 1 if serious else 0
    for r in results:
        tag = f"[{r['label_cn']}]"
        print(f"{r['line']:>3}. {bold(tag) if r['severity'] in ('error', 'warning') else tag} {r['text']}")
        if r["hint"]:
            print(f"     提示：{r['hint']}")
    c = counts(results)
    print("共 " + str(len(results)) + " 个问题：" + "，".join(f"{LABEL_CN[k]} {v}" for k, v in c.items() if v) + "。")
    return 1 if serious else 0


# ---- export ---------------------------------------------------------------------------------------

def cmd_export(args):
    from ..drafting.export import FORMATS, export
    from ..drafting.lint import lint_draft
    try:
        draft, raw = _read(args.file)
    except InputError as e:
        return _bad_input(e)
    ext = FORMATS[args.format]
    if args.output:
        out = Path(args.output)
    elif args.file == "-":
        out = Path("问题底稿" + ext)
    else:
        src = Path(args.file)
        out = src.with_name(src.stem + "-底稿" + ext)
    if args.file != "-" and out.exists() and out.resolve() == Path(args.file).resolve():
        return _bad_input(InputError(f"输出文件不能与底稿相同：{out}"))
    kb = _kb_or_none(args)
    try:
        export(draft, args.format, out, kb=kb, force=args.force)
    except InputError as e:
        return _bad_input(e)
    print(f"已导出问题底稿：{out}")
    if not args.no_check:
        leaks = [i for i in lint_draft(draft, None, rules=["personal-info"]) if i["severity"] == "error"]
        for i in leaks:
            print(f"警告：{raw.name}:{i['line']}:{i['column']}: {i['message']}（导出前请脱敏）", file=sys.stderr)
    return 0
