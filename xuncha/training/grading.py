"""Grade exercise answers: run the checks of one exercise, give partial credit per check, never a traceback.

A notebook creates one :class:`Grader`; each check cell calls :meth:`Grader.grade` (free text and structured
answers) or :meth:`Grader.choice` (multiple-choice drills). Results are plain data objects that also know how
to show themselves in JupyterLab (``_repr_markdown_``) and as text (``str``)."""
import os
from dataclasses import dataclass, field

from ..errors import XunchaError

STRICT_ENV = "XUNCHA_TRAINING_STRICT"

# Status wording. Honest by construction: an automatic check can only confirm what it checks, so a text
# answer is never called 「全部正确」; hidden checks that did not run are named as such.
UNFINISHED = "未完成"
FAILED = "未通过"
PARTIAL = "部分通过"
PUBLIC_PASSED = "公开检查全部通过"
ALL_PASSED = "自动检查全部通过"
CHOICE_RIGHT = "回答正确"
CHOICE_WRONG = "回答错误"


class _Todo:
    """The placeholder a trainee replaces with an answer."""
    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self):
        return "TODO"

    def __bool__(self):
        return False


TODO = _Todo()


class AnswerFormatError(XunchaError):
    """The answer has the wrong shape for a check (a list where text was expected…). The message is a hint."""


class ExerciseFailed(XunchaError):
    """Raised in strict mode (``XUNCHA_TRAINING_STRICT=1``) when a model answer does not earn full marks."""


def is_blank(value):
    """True for an answer nobody has written yet: TODO, None, ..., blank text, or a container of blanks."""
    if value is TODO or value is None or value is Ellipsis:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, dict):
        return all(is_blank(v) for v in value.values())
    if isinstance(value, (list, tuple, set, frozenset)):
        return all(is_blank(v) for v in value)
    return False


@dataclass
class Check:
    """One rubric item: ``test(answer, grader)`` returns True/False or (True/False, detail).

    ``label`` says what is checked (shown to the trainee), ``hint`` what to do when it fails, ``rule`` names
    the drafting rule or rubric line behind it. ``hidden`` checks are left out of trainee versions."""
    label: str
    test: object
    points: float = 1
    hint: str = ""
    rule: str = ""
    hidden: bool = False


@dataclass
class CheckResult:
    label: str
    points: float
    earned: float
    passed: bool
    hint: str = ""
    detail: str = ""
    rule: str = ""
    hidden: bool = False
    error: bool = False

    def as_dict(self):
        return dict(self.__dict__)


@dataclass
class ExerciseResult:
    """The outcome of one exercise. ``points``/``max_points`` count the checks that ran; ``hidden_pending``
    counts the points of hidden checks that are not part of this version of the notebook."""
    exercise: str
    status: str
    points: float
    max_points: float
    hidden_pending: float = 0
    checks: list = field(default_factory=list)
    message: str = ""
    explanations: list = field(default_factory=list)  # multiple choice: (option, text, chosen, correct)
    note: str = ""  # e.g. the score could not be saved

    @property
    def complete(self):
        return self.status in (ALL_PASSED, PUBLIC_PASSED, CHOICE_RIGHT)

    @property
    def total_points(self):
        return self.max_points + self.hidden_pending

    def as_dict(self):
        return {"exercise": self.exercise, "status": self.status, "points": self.points, "max_points": self.max_points,
                "hidden_pending": self.hidden_pending, "message": self.message,
                "checks": [c.as_dict() for c in self.checks]}

    def _lines(self, md):
        ok, ko = ("✅", "❌") if md else ("✔", "✘")
        head = f"练习 {self.exercise} · {_fmt(self.points)}/{_fmt(self.max_points)} 分 · {self.status}"
        out = [f"**{head}**" if md else head]
        if self.message:
            out.append(self.message)
        for c in self.checks:
            mark = ok if c.passed else ko
            tag = "（隐藏检查）" if c.hidden else ""
            out.append(f"{'- ' if md else '  '}{mark} {c.label}{tag}（{_fmt(c.earned)}/{_fmt(c.points)} 分）")
            if not c.passed:
                for extra in (c.detail, c.hint and f"提示：{c.hint}"):
                    if extra:
                        out.append(f"{'    - ' if md else '      '}{extra}")
        for opt, text, chosen, correct in self.explanations:
            mark = ok if correct else ("👉" if md and chosen else ("→" if chosen else "·"))
            who = "（你的选择）" if chosen else ""
            out.append(f"{'- ' if md else '  '}{mark} {opt}{who}：{text}")
        if self.hidden_pending:
            out.append(f"另有 {_fmt(self.hidden_pending)} 分由隐藏检查评定，本版本不运行，培训师评阅时给分。")
        if self.note:
            out.append(self.note)
        return out

    def __str__(self):
        return "\n".join(self._lines(False))

    def _repr_markdown_(self):
        return _md_join(self._lines(True))

    def __repr__(self):
        return str(self)


def _md_join(lines):
    out, prev_item = [], False
    for l in lines:
        is_item = l.startswith("- ") or l.startswith("    - ")
        out.append(("\n" if is_item and prev_item else "\n\n") + l if out else l)
        prev_item = is_item
    return "".join(out)


def _fmt(x):
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def _flatten(checks):
    for c in checks:
        if isinstance(c, (list, tuple)):
            yield from _flatten(c)
        else:
            yield c


def strict_mode():
    return os.environ.get(STRICT_ENV, "").strip() not in ("", "0", "false", "no")


def status_for(points, max_points, hidden_pending):
    if max_points and points >= max_points:
        return PUBLIC_PASSED if hidden_pending else ALL_PASSED
    return PARTIAL if points > 0 else FAILED


def run_check(check, answer, grader=None):
    """Run one check; any exception becomes a failed check with a hint, never a traceback."""
    detail = ""
    error = False
    try:
        r = check.test(answer, grader)
        if isinstance(r, tuple):
            passed, detail = bool(r[0]), (r[1] or "")
        else:
            passed = bool(r)
    except AnswerFormatError as e:
        passed, detail, error = False, str(e), True
    except XunchaError as e:
        passed, detail, error = False, f"检查未能完成：{e}", True
    except Exception as e:  # a bug in a check must not show a traceback to a trainee
        passed, error = False, True
        detail = f"检查未能完成（{type(e).__name__}）：请确认答案的格式与题目要求一致，必要时请培训师查看。"
    return CheckResult(label=check.label, points=check.points, earned=check.points if passed else 0, passed=passed,
                       hint=check.hint, detail=detail, rule=check.rule, hidden=check.hidden, error=error)


def grade_answer(exercise, answer, checks, hidden=0, grader=None):
    """Grade one answer. ``hidden``: points of the hidden checks this exercise has in the trainer's version."""
    checks = list(_flatten(checks))
    present_hidden = sum(c.points for c in checks if c.hidden)
    pending = max(0, hidden - present_hidden)
    max_points = sum(c.points for c in checks)
    if is_blank(answer):
        return ExerciseResult(exercise, UNFINISHED, 0, max_points, pending,
                              message="还没有作答：把答题单元格中的 TODO 或空白处换成你的答案，运行它，再运行本单元格。")
    results = [run_check(c, answer, grader) for c in checks]
    points = sum(r.earned for r in results)
    return ExerciseResult(exercise, status_for(points, max_points, pending), points, max_points, pending, results)


def normalize_choice(answer):
    """'b' / '（B）' / 'B、D' / ['B', 'D'] -> {'B', 'D'}"""
    if isinstance(answer, (list, tuple, set, frozenset)):
        answer = "".join(str(a) for a in answer)
    if not isinstance(answer, str):
        raise AnswerFormatError("选择题请填写选项字母，如 \"B\"；多选题写成 \"BD\"。")
    import unicodedata
    letters = {c for c in unicodedata.normalize("NFKC", answer).upper() if "A" <= c <= "Z"}
    return letters


def grade_choice(exercise, answer, options, correct, points=1):
    """A multiple-choice drill. ``options``: {letter: explanation}; ``correct``: 'B' or 'BD' (multiple)."""
    right = normalize_choice(correct)
    if is_blank(answer):
        return ExerciseResult(exercise, UNFINISHED, 0, points,
                              message="还没有作答：在答题单元格中填写选项字母（如 \"B\"），运行它，再运行本单元格。")
    try:
        chosen = normalize_choice(answer)
    except AnswerFormatError as e:
        return ExerciseResult(exercise, FAILED, 0, points, message=str(e))
    unknown = sorted(chosen - set(options))
    if unknown or not chosen:
        return ExerciseResult(exercise, FAILED, 0, points,
                              message=f"没有选项「{'、'.join(unknown) or answer}」。可选：{'、'.join(sorted(options))}。")
    ok = chosen == right
    expl = [(o, options[o], o in chosen, o in right) for o in sorted(options)]
    msg = "" if ok else ("多选题要选全所有正确选项。" if len(right) > 1 and chosen < right else "")
    return ExerciseResult(exercise, CHOICE_RIGHT if ok else CHOICE_WRONG, points if ok else 0, points,
                          message=msg, explanations=expl)
