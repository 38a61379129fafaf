"""pytest plugin for the source notebooks (loaded from pyproject.toml: ``-p xuncha.training.nbval_plugin``).

When nbval runs a notebook, the model answers must earn full marks: XUNCHA_TRAINING_STRICT makes a check cell
fail otherwise. Scores go to a temporary file, never to the developer's ~/.xuncha. Trainee versions
(notebooks/trainee/) are not collected: tests/test_notebooks.py runs them and expects 「未完成」 instead.
(A plugin, not notebooks/conftest.py: a second conftest module would shadow tests/conftest.py.)"""
import os
import tempfile
from pathlib import Path

import pytest

_scores = None


def pytest_ignore_collect(collection_path, config):
    p = Path(collection_path)
    if p.name == "trainee" and p.parent.name == "notebooks":
        return True
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before nbval starts a notebook's kernel (it inherits this environment)."""
    global _scores
    if Path(str(item.path)).suffix != ".ipynb":
        return
    if _scores is None:
        _scores = os.path.join(tempfile.mkdtemp(prefix="xuncha-nbval-"), "scores.json")
    item._xuncha_env = {k: os.environ.get(k) for k in ("XUNCHA_TRAINING_STRICT", "XUNCHA_SCORES")}
    os.environ["XUNCHA_TRAINING_STRICT"] = "1"
    os.environ["XUNCHA_SCORES"] = _scores


def pytest_runtest_teardown(item):
    for k, v in getattr(item, "_xuncha_env", {}).items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
