"""pytest settings for the source notebooks (run by nbval; see [tool.pytest.ini_options] in pyproject.toml).

The model answers must earn full marks: XUNCHA_TRAINING_STRICT makes a check cell fail otherwise. Scores go to
a temporary file, not to the developer's ~/.xuncha. Trainee versions are not collected here: they are run by
tests/test_notebooks.py, which expects 「未完成」 instead."""
import os
import tempfile

collect_ignore = ["trainee"]

os.environ["XUNCHA_TRAINING_STRICT"] = "1"
os.environ["XUNCHA_SCORES"] = os.path.join(tempfile.mkdtemp(prefix="xuncha-nbval-"), "scores.json")
