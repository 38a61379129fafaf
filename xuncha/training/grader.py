"""``Grader``: one per notebook. Grades exercises, keeps the trainee's score, sums up the notebook."""
from dataclasses import dataclass, field

from .grading import (ALL_PASSED, CHOICE_RIGHT, PUBLIC_PASSED, UNFINISHED, ExerciseFailed, _fmt, grade_answer,
                      grade_choice, strict_mode)
from .scores import ScoreStore


class Grader:
    """Grade the exercises of one notebook.

    ``notebook``: the notebook's name (its file name without ``.ipynb``), the key in the score store;
    ``kb``: an open :class:`~xuncha.KnowledgeBase` for checks that cite or lint; ``store``: a
    :class:`ScoreStore`, ``None`` to keep nothing, or the default (``$XUNCHA_SCORES`` / ``~/.xuncha``);
    ``strict``: raise :class:`ExerciseFailed` unless an exercise earns full marks (CI runs the model
    answers this way; default from ``XUNCHA_TRAINING_STRICT``)."""

    def __init__(self, notebook, kb=None, store="default", strict=None):
        self.notebook = notebook
        self.kb = kb
        self.store = ScoreStore() if store == "default" else store
        self.strict = strict_mode() if strict is None else bool(strict)
        self.results = {}
        self._lint = {}

    # -- grading ---------------------------------------------------------------------------------
    def grade(self, exercise, answer, checks, hidden=0):
        """Run ``checks`` on ``answer``. ``hidden``: points of hidden checks this exercise has in the trainer's
        version (so the trainee version can say they exist instead of claiming everything passed)."""
        return self._finish(grade_answer(exercise, answer, checks, hidden=hidden, grader=self))

    def choice(self, exercise, answer, options, correct, points=1):
        """A multiple-choice drill; ``options`` maps each letter to its explanation."""
        return self._finish(grade_choice(exercise, answer, options, correct, points))

    def _finish(self, result):
        self.results[result.exercise] = result
        if self.store is not None:
            try:
                self.store.record(self.notebook, result)
            except Exception as e:  # a full disk or a read-only home must not stop the exercise
                result.note = f"（成绩未能保存：{e}）"
        if self.strict and not result.complete:
            raise ExerciseFailed(f"练习 {result.exercise} 未得满分（{result.status}）：\n{result}")
        return result

    # -- helpers for checks ----------------------------------------------------------------------
    def lint(self, text):
        """The drafting linter's findings for ``text`` (cached: several checks look at the same answer)."""
        if text not in self._lint:
            from ..drafting import lint
            self._lint[text] = lint(text, kb=self.kb)
        return self._lint[text]

    # -- the end of a notebook -------------------------------------------------------------------
    def summary(self):
        return Summary(self.notebook, list(self.results.values()))


@dataclass
class Summary:
    notebook: str
    results: list = field(default_factory=list)

    @property
    def points(self):
        return sum(r.points for r in self.results)

    @property
    def max_points(self):
        return sum(r.max_points for r in self.results)

    @property
    def hidden_pending(self):
        return sum(r.hidden_pending for r in self.results)

    @property
    def verdict(self):
        if not self.results:
            return "还没有运行任何检查单元格。"
        todo = [r.exercise for r in self.results if r.status == UNFINISHED]
        if todo:
            return f"还有 {len(todo)} 道练习未完成（{'、'.join(todo)}）。"
        if all(r.complete for r in self.results):
            if self.hidden_pending:
                return f"{PUBLIC_PASSED}；另有 {_fmt(self.hidden_pending)} 分由隐藏检查评定，培训师评阅时给分。"
            if all(r.status == CHOICE_RIGHT for r in self.results):
                return "选择题全部答对。"
            return f"{ALL_PASSED}。自动检查只看要素是否齐全、依据是否对得上，表述质量请在讨论中与培训师交流。"
        return "部分练习还没有通过，可以按提示修改后重新运行检查单元格。"

    def as_dict(self):
        return {"notebook": self.notebook, "points": self.points, "max_points": self.max_points,
                "hidden_pending": self.hidden_pending, "verdict": self.verdict,
                "exercises": [r.as_dict() for r in self.results]}

    @property
    def headline(self):
        pend = f"（另有 {_fmt(self.hidden_pending)} 分由隐藏检查评定）" if self.hidden_pending else ""
        return f"{self.notebook} · 得分 {_fmt(self.points)}/{_fmt(self.max_points)}{pend}"

    def __str__(self):
        lines = [self.headline]
        for r in self.results:
            lines.append(f"  练习 {r.exercise:<6} {_fmt(r.points):>4}/{_fmt(r.max_points):<4} {r.status}")
        lines.append(self.verdict)
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_markdown_(self):
        rows = ["| 练习 | 得分 | 满分 | 状态 |", "|---|---|---|---|"]
        rows += [f"| {r.exercise} | {_fmt(r.points)} | {_fmt(r.max_points)} | {r.status} |" for r in self.results]
        return (f"**{self.headline}**\n\n" + "\n".join(rows)
                + f"\n\n{self.verdict}")
