"""site build | serve: the offline website (MkDocs-Material), built from the corpus."""
import subprocess
import sys


def register(sub):
    sp = sub.add_parser("site", help="构建或预览离线网站（法规、清单、问题示例和方法的网页版）",
                        description="用 MkDocs 把知识库构建成可离线浏览、可中文检索的静态网站。"
                                    "页面在构建时由语料生成；语料校验不通过时构建失败并列出问题。")
    ssub = sp.add_subparsers(dest="site_command", metavar="操作", parser_class=type(sp))
    sp.set_defaults(func=lambda args: (sp.print_help(), 0)[1])

    b = ssub.add_parser("build", help="构建网站到 site/ 目录（默认严格模式，有任何警告即失败）",
                        description="构建静态网站。构建结果可放到内网 Web 服务器，也可复制到 U 盘后直接打开 index.html。"
                                    "例：xuncha site build；xuncha site build --site-dir /srv/xuncha")
    b.add_argument("--site-dir", metavar="目录", help="输出目录（默认：知识库目录下的 site/）")
    b.add_argument("--no-strict", action="store_true", help="有警告也继续构建（默认遇到警告即失败）")
    b.set_defaults(func=cmd_build)

    s = ssub.add_parser("serve", help="在本机启动预览服务器，修改语料或文档后自动刷新",
                        description="启动 MkDocs 预览服务器（默认只监听本机 127.0.0.1:8000），在浏览器中打开显示的地址。按 Ctrl+C 停止。")
    s.add_argument("--addr", default="127.0.0.1:8000", metavar="地址:端口",
                   help="监听地址（默认 127.0.0.1:8000；让同一网络的其他电脑访问可用 0.0.0.0:8000）")
    s.set_defaults(func=cmd_serve)


def _root(args):
    from ..paths import find_root
    return args.root or find_root()


def _run(argv, env):
    try:
        return subprocess.run(argv, env=env).returncode
    except KeyboardInterrupt:
        return 130


def cmd_build(args):
    from ..site import mkdocs_command
    argv, env = mkdocs_command(_root(args), "build", site_dir=args.site_dir, strict=not args.no_strict)
    code = _run(argv, env)
    if code == 0:
        out = args.site_dir or "site/"
        print(f"网站已构建到 {out}。可用任意静态 Web 服务器发布，或直接打开其中的 index.html。")
    else:
        print("xuncha: 网站构建失败（原因见上方 MkDocs 输出；语料问题可先运行 xuncha check）。", file=sys.stderr)
    return 0 if code == 0 else 1


def cmd_serve(args):
    from ..site import mkdocs_command
    argv, env = mkdocs_command(_root(args), "serve", addr=args.addr, strict=False)
    code = _run(argv, env)
    return 0 if code in (0, 130) else 1
