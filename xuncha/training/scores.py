"""The trainee's score store: one small JSON file per trainee, and a chart of scores per notebook.

The file lives at ``$XUNCHA_SCORES`` or ``~/.xuncha/scores.json`` — on the trainee's own machine (or their
JupyterHub home), never in the repository. It holds points only, no answers."""
import json
import os
import time
from pathlib import Path

from ..errors import InputError

SCORES_ENV = "XUNCHA_SCORES"
SCHEMA_VERSION = 1
MAX_BYTES = 5 * 1024 * 1024


def default_path():
    env = os.environ.get(SCORES_ENV)
    return Path(env).expanduser() if env else Path.home() / ".xuncha" / "scores.json"


def empty():
    return {"schema_version": SCHEMA_VERSION, "trainee": None, "notebooks": {}}


def read_scores(path):
    """Read one score file (a trainee's own, or one a trainer collected). Raises InputError on bad files."""
    path = Path(path)
    if not path.exists():
        return empty()
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"{path}：文件过大，不像成绩文件")
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputError(f"{path}：不是 UTF-8 编码的成绩文件") from None
    except json.JSONDecodeError as e:
        raise InputError(f"{path}：成绩文件已损坏（第 {e.lineno} 行 JSON 格式错误）；可删除该文件后重新运行检查单元格") from None
    except OSError as e:
        raise InputError(f"{path}：无法读取（{e.strerror}）") from None
    if not isinstance(data, dict) or not isinstance(data.get("notebooks"), dict):
        raise InputError(f"{path}：不是 xuncha 成绩文件（缺少 notebooks 字段）")
    data.setdefault("trainee", None)
    return data


def _write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


class _Lock:
    """An advisory lock next to the file, so two notebooks graded at once do not lose a score (POSIX only)."""

    def __init__(self, path):
        self.path = path.with_name(path.name + ".lock")
        self.fd = None

    def __enter__(self):
        try:
            import fcntl
        except ImportError:  # Windows: the atomic replace alone
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        if self.fd is not None:
            os.close(self.fd)


class ScoreStore:
    """Scores per notebook and exercise, kept in one JSON file."""

    def __init__(self, path=None):
        self.path = Path(path) if path else default_path()

    def load(self):
        return read_scores(self.path)

    def record(self, notebook, result):
        """Store the latest result of one exercise (an :class:`ExerciseResult`)."""
        with _Lock(self.path):
            data = self.load()
            nb = data["notebooks"].setdefault(notebook, {"exercises": {}})
            prev = nb["exercises"].get(result.exercise, {})
            nb["exercises"][result.exercise] = {
                "points": result.points, "max_points": result.max_points, "hidden_pending": result.hidden_pending,
                "status": result.status, "attempts": prev.get("attempts", 0) + 1,
                "best": max(result.points, prev.get("best", 0)), "updated": time.strftime("%Y-%m-%d %H:%M:%S")}
            _write(self.path, data)

    def set_trainee(self, label):
        """A label for the trainer's table (a seat number or a pseudonym — not a real name)."""
        label = (label or "").strip()
        if len(label) > 40:
            raise InputError("学员标识最长 40 个字符；请用座位号或化名，如「第3组-2号」")
        with _Lock(self.path):
            data = self.load()
            data["trainee"] = label or None
            _write(self.path, data)

    def reset(self, notebook=None):
        with _Lock(self.path):
            data = self.load()
            if notebook is None:
                data["notebooks"] = {}
            else:
                data["notebooks"].pop(notebook, None)
            _write(self.path, data)


def notebook_rows(data):
    """[{notebook, points, max_points, hidden_pending, done, exercises}] sorted by notebook name."""
    rows = []
    for name in sorted(data["notebooks"]):
        ex = data["notebooks"][name].get("exercises", {})
        rows.append({"notebook": name,
                     "points": sum(e.get("points", 0) for e in ex.values()),
                     "max_points": sum(e.get("max_points", 0) for e in ex.values()),
                     "hidden_pending": sum(e.get("hidden_pending", 0) for e in ex.values()),
                     "done": sum(1 for e in ex.values() if e.get("status") != "未完成"),
                     "exercises": len(ex)})
    return rows


# ---- chart ------------------------------------------------------------------------------------

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
             "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC", "Sarasa Gothic SC", "AR PL UMing CN")


def cjk_font():
    """The name of an installed font with Chinese glyphs, or None."""
    from matplotlib import font_manager
    names = {f.name for f in font_manager.fontManager.ttflist}
    for n in CJK_FONTS:
        if n in names:
            return n
    return None


class ScoreChart:
    """A bar chart of the percentage earned per notebook. Shows itself in JupyterLab; ``save(path)`` writes a PNG."""

    def __init__(self, rows, font=None):
        from matplotlib.figure import Figure
        self.rows = rows
        self.font = font
        fig = Figure(figsize=(7, 3.2), dpi=100)
        ax = fig.add_subplot()
        labels = [(r["notebook"] if font else r["notebook"].split("-")[0]) for r in rows]
        pct = [100 * r["points"] / r["max_points"] if r["max_points"] else 0 for r in rows]
        bars = ax.bar(range(len(rows)), pct, width=0.6, color=["#2e7d32" if p >= 80 else "#f9a825" if p >= 50 else "#c62828"
                                                    for p in pct])
        for b, r in zip(bars, rows):
            ax.annotate(f"{r['points']:g}/{r['max_points']:g}", (b.get_x() + b.get_width() / 2, b.get_height()),
                        ha="center", va="bottom", fontsize=8)
        ax.set_xticks(range(len(rows)))
        kw = {"fontfamily": font} if font else {}
        ax.set_xticklabels(labels, rotation=20 if font else 0, ha="right" if font else "center", fontsize=8, **kw)
        ax.set_ylim(0, 110)
        ax.set_xlim(-0.6, max(len(rows), 8) - 0.4)  # eight notebooks in a day: keep bars the same width
        ax.set_ylabel("%")
        if font:
            ax.set_title("各笔记本得分率（自动检查）", fontfamily=font)
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        self.figure = fig

    def png(self):
        import io
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        FigureCanvasAgg(self.figure)
        buf = io.BytesIO()
        self.figure.savefig(buf, format="png")
        return buf.getvalue()

    def save(self, path):
        Path(path).write_bytes(self.png())
        return Path(path)

    def _repr_png_(self):
        return self.png()

    def __repr__(self):
        return "\n".join(f"{r['notebook']}: {r['points']:g}/{r['max_points']:g}" for r in self.rows) or "（还没有成绩）"


def plot_scores(data=None, font="auto"):
    """A :class:`ScoreChart` of ``data`` (a score dict; the trainee's own store when omitted)."""
    data = ScoreStore().load() if data is None else data
    return ScoreChart(notebook_rows(data), cjk_font() if font == "auto" else font)
