"""``lint``: check a finding or 问题底稿 draft the way a 巡察办 reviewer would.

Returns plain dicts (rule, severity, message, start, end, hint, excerpt, line, column) sorted by position;
never prints. Rules needing the corpus (unknown-article, weak-basis) run only when a KnowledgeBase is given."""
import datetime as dt
from dataclasses import dataclass, field

from ..errors import InputError
from .citations import find_citations, resolve
from .draft import Draft, Field, parse_draft
from .draft_io import read_draft
from .kbview import view
from .rules import RULES, SEVERITIES, basis, facts, privacy, wording
from .timex import find_times, period

CHECKS = {
    "missing-basis": basis.check_missing_basis,
    "unknown-article": basis.check_unknown_article,
    "weak-basis": basis.check_weak_basis,
    "missing-subject": facts.check_missing_subject,
    "missing-time": facts.check_missing_time,
    "missing-fact-detail": facts.check_missing_fact_detail,
    "vague-wording": wording.check_vague_wording,
    "personal-info": privacy.check_personal_info,
    "no-political-angle": wording.check_no_political_angle,
}


@dataclass
class Context:
    draft: Draft
    kbv: object
    today: dt.date
    citations: list = field(default_factory=list)
    times: list = field(default_factory=list)
    conduct: tuple = None
    cache: dict = field(default_factory=dict)

    @property
    def text(self):
        return self.draft.text

    @property
    def facts(self) -> Field:
        return self.draft.body()


def _times(draft, today):
    """Time expressions of the time field, the title and the facts (offsets into the draft)."""
    out = []
    fields = [draft.fields[n] for n in ("time", "title", "summary") if n in draft.fields] + [draft.body()]
    for f in fields:
        for t in find_times(f.value, today):
            t.start, t.end = f.span(t.start, t.end)
            out.append(t)
    return out


def _line_col(text, pos):
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


def _to_date(today):
    if today is None:
        return dt.date.today()
    if isinstance(today, dt.datetime):
        return today.date()
    if isinstance(today, dt.date):
        return today
    try:
        return dt.date.fromisoformat(str(today))
    except ValueError:
        raise InputError(f"日期「{today}」格式不对，应为 YYYY-MM-DD") from None


def lint_draft(draft, kb=None, *, today=None, rules=None):
    """Lint a parsed :class:`Draft`. ``rules``: codes to run (default: all)."""
    if rules is not None:
        unknown = [r for r in rules if r not in RULES]
        if unknown:
            raise InputError(f"没有这条规则：{'、'.join(unknown)}。可用的规则：{'、'.join(RULES)}")
    kbv = view(kb)
    today = _to_date(today)
    cites = [resolve(c, kbv) for c in find_citations(draft.text, kbv)]
    ctx = Context(draft, kbv, today, cites)
    ctx.times = _times(draft, today)
    ctx.conduct = period([t for t in ctx.times if t.kind in ("date", "relative")])
    issues = []
    for code, check in CHECKS.items():
        if rules is not None and code not in rules:
            continue
        issues += check(ctx)
    text = draft.text
    for it in issues:
        it["excerpt"] = text[it["start"]:it["end"]][:80]
        it["line"], it["column"] = _line_col(text, it["start"])
    order = {s: i for i, s in enumerate(SEVERITIES)}
    issues.sort(key=lambda i: (i["start"], order[i["severity"]], i["rule"]))
    return issues


def lint(text, kb=None, *, today=None, fmt=None, rules=None):
    """Lint draft ``text`` (YAML, Markdown or plain text; ``fmt`` guessed when None).

    ``kb``: a KnowledgeBase, for checking cited articles against the corpus (without it, unknown-article
    and weak-basis do not run). ``today``: the date relative times are resolved against (default: today).
    Returns a list of dicts with rule, severity (error|warning|info), message, start, end (character
    offsets into ``text``), hint, excerpt, line, column."""
    if not isinstance(text, str):
        raise InputError("lint() 需要文本（str）；读取文件请用 lint_file(path)")
    if not text.strip():
        raise InputError("底稿为空：请写入事实、定性和依据后再检查")
    return lint_draft(parse_draft(text, fmt), kb, today=today, rules=rules)


def lint_file(path, kb=None, *, today=None, rules=None, stdin=None):
    """Read ``path`` ('-' for standard input) safely and lint it. Offsets refer to the text as read
    (newlines normalised to \\n). Raises InputError for empty, binary, huge or undecodable files."""
    raw = read_draft(path, stdin=stdin)
    fmt = {".yaml": "yaml", ".yml": "yaml", ".md": "markdown", ".markdown": "markdown", ".txt": "text"}.get(raw.suffix)
    try:
        draft = parse_draft(raw.text, fmt, raw.name)
    except InputError as e:
        raise InputError(f"{raw.name}：{e}") from None
    return lint_draft(draft, kb, today=today, rules=rules)


def summary(issues):
    """{'error': n, 'warning': n, 'info': n}."""
    out = {s: 0 for s in SEVERITIES}
    for i in issues:
        out[i["severity"]] += 1
    return out
