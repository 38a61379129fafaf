"""Training helpers for the notebooks: grading with partial credit, rubric feedback, score store, chart,
and the release of trainee versions (``release``)."""
from . import checks
from .grader import Grader, Summary
from .grading import (TODO, AnswerFormatError, Check, CheckResult, ExerciseFailed, ExerciseResult, grade_answer,
                      grade_choice, is_blank)
from .scores import ScoreChart, ScoreStore, plot_scores

__all__ = ["Grader", "Summary", "TODO", "Check", "CheckResult", "ExerciseResult", "ExerciseFailed",
           "AnswerFormatError", "ScoreStore", "ScoreChart", "plot_scores", "checks", "grade_answer", "grade_choice",
           "is_blank"]
