"""notebooks (release, check, scores) and lab: the training notebooks and JupyterLab."""
import sys
from pathlib import Path

from ..cli import add_output_options, emit_json
from ..errors import InputError


def register(sub):
    nb = sub.add_parser("notebooks", help="培训笔记本：生成学员版、检查结构、查看成绩",
                        description="管理 notebooks/ 下的培训笔记本。例：xuncha notebooks release；xuncha notebooks scores")
    nsub = nb.add_subparsers(dest="notebooks_command", metavar="子命令")
    nb.set_defaults(func=lambda args: (nb.print_help(), 0)[1])

    sp = nsub.add_parser("release", help="生成不含参考答案的学员版（默认写到 notebooks/trainee/）",
                         description="把每个 ### BEGIN SOLUTION / ### END SOLUTION 区域换成空白答案，去掉隐藏检查和全部输出，"
                                     "单元格 id 不变。学员版运行时显示「未完成」而不会报错。")
    sp.add_argument("names", nargs="*", metavar="笔记本", help="只生成这些笔记本（文件名，可省略 .ipynb）")
    sp.add_argument("--out", metavar="目录", help="输出目录（默认 notebooks/trainee/）")
    add_output_options(sp)
    sp.set_defaults(func=cmd_release)

    sp = nsub.add_parser("check", help="检查笔记本结构：题目、参考答案区域、检查单元格、单元格 id、多余输出",
                         description="逐个检查 notebooks/NN-*.ipynb，一次列出全部问题。--strip 清除多余的输出和执行序号。")
    sp.add_argument("--strip", action="store_true", help="先清除多余的输出和执行序号（保留 # NBVAL_CHECK_OUTPUT 单元格的输出）")
    add_output_options(sp)
    sp.set_defaults(func=cmd_check)

    sp = nsub.add_parser("grade", help="培训师评阅：用源笔记本（含隐藏检查）给学员交来的笔记本打分",
                         description="按单元格 id 把学员笔记本中的答案放进源笔记本运行，包括学员版中没有的隐藏检查。"
                                     "学员的文件不会被修改。例：xuncha notebooks grade 收上来的/*.ipynb")
    sp.add_argument("files", nargs="+", metavar="学员笔记本", help="学员交来的 .ipynb 文件")
    add_output_options(sp)
    sp.set_defaults(func=cmd_grade)

    sp = nsub.add_parser("scores", help="查看成绩：自己的，或培训师收集的多份成绩文件",
                         description="不带文件时显示本机学员的成绩（~/.xuncha/scores.json 或环境变量 XUNCHA_SCORES）；"
                                     "带文件时每个文件一行，供培训师汇总。")
    sp.add_argument("files", nargs="*", metavar="成绩文件", help="培训师收集的 scores.json 文件")
    sp.add_argument("--name", metavar="标识", help="给自己的成绩设一个标识（座位号或化名，不要用真实姓名）")
    sp.add_argument("--chart", metavar="PNG", help="把得分图保存为 PNG 文件")
    sp.add_argument("--reset", action="store_true", help="清空自己的成绩（换学员使用同一台电脑时）")
    add_output_options(sp)
    sp.set_defaults(func=cmd_scores)

    sp = sub.add_parser("lab", help="在 notebooks/ 中启动 JupyterLab（使用本项目的 Python 内核）",
                        description="启动 JupyterLab 打开培训笔记本，只监听本机，默认不打开浏览器（终端会显示带令牌的网址）。"
                                    "按 Ctrl+C 停止。")
    sp.add_argument("--trainee", action="store_true", help="打开学员版（notebooks/trainee/，没有则先生成）")
    sp.add_argument("--dir", metavar="目录", help="打开其他目录")
    sp.add_argument("--port", type=int, metavar="端口", help="端口（默认 8888，被占用时自动换一个）")
    sp.add_argument("--ip", default="127.0.0.1", help="监听地址（默认 127.0.0.1；机房共享时才改，并设置密码或令牌）")
    sp.add_argument("--browser", action="store_true", help="启动后打开浏览器")
    sp.set_defaults(func=cmd_lab)


def notebooks_dir(args):
    from ..paths import find_root
    root = Path(args.root).resolve() if args.root else find_root()
    d = root / "notebooks"
    if not d.is_dir():
        raise InputError(f"{root} 下没有 notebooks/ 目录；请在项目目录中运行，或用 --root 指定")
    return d


def cmd_release(args):
    from ..training.release import release
    src = notebooks_dir(args)
    written = release(src, args.out, args.names)
    if args.json:
        emit_json([str(p) for p in written])
        return 0
    out = written[0].parent
    for p in written:
        print(f"已生成 {p.name}")
    print(f"学员版共 {len(written)} 个，在 {out}。分发这个目录即可；参考答案只在 {src} 的源笔记本中。")
    return 0


def cmd_check(args):
    from ..training.release import check_notebook, source_notebooks, strip_outputs
    src = notebooks_dir(args)
    paths = source_notebooks(src)
    if not paths:
        raise InputError(f"{src} 中没有编号笔记本（NN-标题.ipynb）")
    stripped = [p.name for p in paths if args.strip and strip_outputs(p)]
    problems = [pr for p in paths for pr in check_notebook(p)]
    if args.json:
        emit_json({"notebooks": [p.name for p in paths], "stripped": stripped,
                   "problems": [pr.__dict__ for pr in problems]})
    else:
        for name in stripped:
            print(f"已清除 {name} 中多余的输出")
        for pr in problems:
            print(pr)
        if problems:
            print(f"检查未通过：{len(problems)} 处问题。")
        else:
            print(f"检查通过：{len(paths)} 个笔记本的题目、参考答案区域、检查单元格和单元格 id 均符合要求。")
    return 1 if problems else 0


def cmd_grade(args):
    from ..training.autograde import grade_notebook
    src = notebooks_dir(args)
    results = []
    for f in args.files:
        if not args.json:
            print(f"正在评阅 {f} …", file=sys.stderr)
        results.append(grade_notebook(f, src))
    if args.json:
        emit_json(results)
        return 0
    for r in results:
        print(f"{r['file']}（{r['notebook']}）：{r['points']:g}/{r['max_points']:g} 分")
        for ex, v in r["exercises"].items():
            print(f"  练习 {ex}：{v['points']:g}/{v['max_points']:g}　{v['status']}")
        for e in r["errors"]:
            print(f"  运行出错：{e}")
    return 0


def cmd_scores(args):
    from ..training.scores import ScoreStore, notebook_rows, plot_scores, read_scores
    if args.files and (args.name or args.reset):
        raise InputError("--name 和 --reset 只用于自己的成绩，不能和成绩文件一起使用")
    store = ScoreStore()
    if args.reset:
        store.reset()
        print(f"已清空 {store.path} 中的成绩。")
        return 0
    if args.name is not None:
        store.set_trainee(args.name)
    if args.files:
        return _class_table(args, [(Path(f), read_scores(f)) for f in args.files])
    data = store.load()
    rows = notebook_rows(data)
    if args.chart:
        path = plot_scores(data).save(args.chart)
        print(f"得分图已保存到 {path}", file=sys.stderr)
    if args.json:
        emit_json({"trainee": data.get("trainee"), "file": str(store.path), "notebooks": rows})
        return 0
    if not rows:
        print(f"还没有成绩（{store.path}）。在笔记本中运行检查单元格后，成绩会自动记录。")
        return 0
    print(f"学员：{data.get('trainee') or '（未设标识，可用 --name 设置）'}　成绩文件：{store.path}")
    for r in rows:
        pend = f"，另有 {r['hidden_pending']:g} 分待培训师评阅" if r["hidden_pending"] else ""
        print(f"  {r['notebook']}：{r['points']:g}/{r['max_points']:g} 分（完成 {r['done']}/{r['exercises']} 题{pend}）")
    tp, tm = sum(r["points"] for r in rows), sum(r["max_points"] for r in rows)
    print(f"合计 {tp:g}/{tm:g} 分。")
    return 0


def _class_table(args, items):
    from ..training.scores import notebook_rows
    names = sorted({r["notebook"] for _, d in items for r in notebook_rows(d)})
    table = []
    for path, data in items:
        rows = {r["notebook"]: r for r in notebook_rows(data)}
        table.append({"trainee": data.get("trainee") or path.stem, "file": str(path),
                      "notebooks": {n: (rows[n]["points"], rows[n]["max_points"]) for n in names if n in rows},
                      "points": sum(r["points"] for r in rows.values()),
                      "max_points": sum(r["max_points"] for r in rows.values())})
    if args.json:
        emit_json(table)
        return 0
    short = [n.split("-")[0] for n in names]
    print("学员\t" + "\t".join(short) + "\t合计")
    for t in table:
        cells = [f"{t['notebooks'][n][0]:g}/{t['notebooks'][n][1]:g}" if n in t["notebooks"] else "—" for n in names]
        print(f"{t['trainee']}\t" + "\t".join(cells) + f"\t{t['points']:g}/{t['max_points']:g}")
    print(f"共 {len(table)} 名学员。" + ("列号对应：" + "；".join(names) if names else ""))
    return 0


def cmd_lab(args):
    import shutil
    import subprocess
    import tempfile
    from ..training.lab import lab_command, lab_env, write_kernelspec
    from ..training.release import release
    src = notebooks_dir(args)
    if args.dir:
        target = Path(args.dir).resolve()
        if not target.is_dir():
            raise InputError(f"目录不存在：{target}")
    elif args.trainee:
        target = src / "trainee"
        if not any(target.glob("*.ipynb")):
            written = release(src)
            print(f"已生成学员版 {len(written)} 个（{target}）。", file=sys.stderr)
    else:
        target = src
    try:
        import jupyterlab  # noqa: F401
    except ImportError:
        raise InputError("没有安装 JupyterLab：请运行 python3 -m pip install -e \".[lab]\"") from None
    tmp = tempfile.mkdtemp(prefix="xuncha-lab-")
    try:
        write_kernelspec(tmp, root=src.parent)
        argv = lab_command(target, port=args.port, ip=args.ip, browser=args.browser)
        print(f"正在启动 JupyterLab（目录 {target}）。打开终端中显示的 http://127.0.0.1:… 网址即可；按 Ctrl+C 停止。",
              file=sys.stderr)
        proc = subprocess.Popen(argv, cwd=target, env=lab_env(tmp))
        try:
            return proc.wait()
        except KeyboardInterrupt:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
            print("\nJupyterLab 已停止。", file=sys.stderr)
            return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
