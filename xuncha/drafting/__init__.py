"""Drafting and interview tools: lint a finding draft, build an interview outline, classify interview
questions, export a 问题底稿. Library functions return data and never print; ``xuncha.commands.drafting``
is the CLI face."""
from .draft import Draft, parse_draft
from .draft_io import MAX_BYTES, read_draft
from .lint import lint, lint_draft, lint_file, summary
from .rules import RULES

__all__ = ["lint", "lint_file", "lint_draft", "summary", "RULES", "parse_draft", "Draft", "read_draft", "MAX_BYTES"]
