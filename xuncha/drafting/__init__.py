"""Drafting and interview tools for notebooks and the CLI; library functions return data, never print.

    lint(text, kb=None, *, today=None) -> [issue]      lint_file(path, kb=None, *, today=None) -> [issue]
    outline(role, unit=None, focus=None, clues=(), kb=None) -> dict      outline_markdown(o) -> str
    classify_questions(lines) -> [dict]
    export(draft, fmt, path, *, kb=None, force=False) -> Path   (export_docx / export_md / build_record)

An issue is a dict: rule, severity (error | warning | info), message, start, end (character offsets),
hint, excerpt, line, column. Rule codes and their meaning: RULES. The CLI face is xuncha.commands.drafting."""
from .draft import Draft, parse_draft
from .draft_io import MAX_BYTES, read_draft
from .export import OutputExistsError, build_record, export, export_docx, export_md
from .lint import lint, lint_draft, lint_file, summary
from .outline import outline, to_markdown as outline_markdown
from .questions import LABELS as QUESTION_LABELS, classify_questions
from .rules import RULES

__all__ = ["lint", "lint_file", "lint_draft", "summary", "RULES", "outline", "outline_markdown",
           "classify_questions", "QUESTION_LABELS", "export", "export_docx", "export_md", "build_record",
           "OutputExistsError", "parse_draft", "Draft", "read_draft", "MAX_BYTES"]
