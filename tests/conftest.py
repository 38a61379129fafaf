import shutil
from pathlib import Path

import pytest

from xuncha import KnowledgeBase
from xuncha.cli import main

HERE = Path(__file__).parent
REPO = HERE.parent
SAMPLE = HERE / "data" / "corpus"
SHARED = REPO.parent / "shared"


@pytest.fixture
def tmp_corpus(tmp_path):
    """A private copy of the small sample corpus."""
    dst = tmp_path / "kb"
    shutil.copytree(SAMPLE, dst)
    return dst


@pytest.fixture
def built_kb(tmp_corpus):
    kb = KnowledgeBase.open(tmp_corpus, notify=None)
    yield kb
    kb.close()


@pytest.fixture(scope="session")
def real_index(tmp_path_factory):
    return tmp_path_factory.mktemp("real-index")


@pytest.fixture(scope="session")
def real_kb(real_index):
    """The shipped corpus, indexed once per test session into a temporary folder."""
    kb = KnowledgeBase.open(REPO, index_dir=real_index, notify=None)
    yield kb
    kb.close()


@pytest.fixture
def run(capsys, monkeypatch):
    """Run the CLI in-process: run('search', '公车', root=...) -> (exit code, stdout, stderr)."""
    def _run(*args, root=None, index_dir=None):
        if index_dir is not None:
            monkeypatch.setenv("XUNCHA_INDEX_DIR", str(index_dir))
        argv = (["--root", str(root)] if root else []) + [str(a) for a in args]
        try:
            code = main(argv)
        except SystemExit as e:
            code = e.code
        out, err = capsys.readouterr()
        return code, out, err
    return _run
