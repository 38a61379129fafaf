"""Command line: parses arguments, calls one library function, formats the answer. Nothing else.

Commands live in small modules (``commands/*.py``), each with ``register(subparsers)``; this file holds
``main`` and the helpers they share. Errors from the library become one Chinese line, never a traceback."""
import argparse
import importlib
import json
import os
import sys

from .errors import CorpusError, XunchaError

COMMAND_MODULES = ["core", "cite", "drafting", "importing", "methods", "site", "training"]


def _localize(parser):
    parser._positionals.title = "参数"
    parser._optionals.title = "选项"
    parser.add_argument("-h", "--help", action="help", help="显示本帮助并退出")


class Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        own_help = kwargs.get("add_help", True)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        if own_help:
            _localize(self)

    def format_usage(self):
        return super().format_usage().replace("usage:", "用法：", 1)

    def format_help(self):
        return super().format_help().replace("usage:", "用法：", 1)

    def error(self, message):
        self.print_usage(sys.stderr)
        msg = (message.replace("the following arguments are required", "缺少参数")
               .replace("unrecognized arguments", "无法识别的参数")
               .replace("invalid choice", "无效的选项").replace("choose from", "可选")
               .replace("expected one argument", "需要一个参数").replace("argument", "参数")
               .replace("invalid int value", "不是整数"))
        print(f"xuncha: 错误：{msg}。用 xuncha -h 查看帮助", file=sys.stderr)
        raise SystemExit(2)


def build_parser():
    p = Parser(prog="xuncha", description="巡察知识库与培训工具包：离线检索党内法规、监督重点清单和问题示例，起草与培训工具。",
               epilog="示例：xuncha search 公车私用 · xuncha show jilv-2023#113 · xuncha check")
    p.add_argument("--version", action="version", version=f"xuncha {__import__('xuncha').__version__}", help="显示版本号")
    p.add_argument("--root", help="知识库目录（默认：自动查找含 regulations/ 的目录，或环境变量 XUNCHA_ROOT）")
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(f".commands.{name}", __package__).register(sub)
    return p


# ---- shared output helpers --------------------------------------------------------------------

def add_output_options(sp, json_help="输出 JSON（供其他程序使用）"):
    sp.add_argument("--json", action="store_true", help=json_help)


def emit_json(obj):
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def color_enabled(stream=sys.stdout):
    return stream.isatty() and not os.environ.get("NO_COLOR")


def highlight(text):
    if not color_enabled():
        return text
    return text.replace("【", "\033[1;33m").replace("】", "\033[0m")


def dim(text):
    return f"\033[2m{text}\033[0m" if color_enabled() else text


def bold(text):
    return f"\033[1m{text}\033[0m" if color_enabled() else text


class ProgressBar:
    """A progress bar on standard error (only when it is a terminal; otherwise one closing line)."""

    def __init__(self, label="建立索引"):
        self.label = label
        self.tty = sys.stderr.isatty()
        self.done = False

    def __call__(self, done, total):
        if not self.tty:
            return
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stderr.write(f"\r{self.label} [{'█' * filled}{'░' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def open_kb(args):
    from .kb import KnowledgeBase
    return KnowledgeBase.open(args.root, progress=ProgressBar())


def main(argv=None):
    for stream in (sys.stdout, sys.stderr):  # a terminal that cannot show a character gets "?", not a crash
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError, OSError):
            pass
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    try:
        return args.func(args) or 0
    except CorpusError as e:
        for p in e.problems:
            print(p, file=sys.stderr)
        print(f"语料校验未通过：{len(e.problems)} 处问题（见上）。请逐条修改后运行 xuncha check。索引未更改。", file=sys.stderr)
        return 1
    except XunchaError as e:
        print(f"xuncha: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\n已中断。", file=sys.stderr)
        return 130
    except (RecursionError, MemoryError) as e:  # pathological input: nested too deep, or far too large
        if os.environ.get("XUNCHA_DEBUG"):
            raise
        what = "嵌套层数过多" if isinstance(e, RecursionError) else "过大，内存不足"
        print(f"xuncha: 输入内容{what}，无法处理；请检查文件是否损坏，或拆分后再试", file=sys.stderr)
        return 2
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0
    except Exception as e:  # a bug: one line for the inspector, the traceback only on request
        if os.environ.get("XUNCHA_DEBUG"):
            raise
        print(f"xuncha: 内部错误（{type(e).__name__}: {e}）。请设置环境变量 XUNCHA_DEBUG=1 重试并把输出报告给维护者。",
              file=sys.stderr)
        return 70
