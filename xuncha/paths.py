"""Where the corpus, the local overlay and the index live."""
import os
from pathlib import Path

KIND_DIRS = {"regulation": "regulations", "checklist": "checklists", "finding": "findings", "method": "methods"}
LOCAL_DIR = "local"  # git-ignored overlay: imported official texts and materials


def find_root(start=None):
    """The knowledge-base root: $XUNCHA_ROOT, else the nearest folder upwards holding regulations/,
    else the folder this package was installed from (an editable install)."""
    env = os.environ.get("XUNCHA_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(start or os.getcwd()).resolve()
    for d in (here, *here.parents):
        if (d / "regulations").is_dir() and (d / "pyproject.toml").is_file():
            return d
    pkg_parent = Path(__file__).resolve().parent.parent
    if (pkg_parent / "regulations").is_dir():
        return pkg_parent
    return here


def index_dir(root):
    env = os.environ.get("XUNCHA_INDEX_DIR")
    return Path(env).resolve() if env else Path(root) / "index"


def corpus_files(root):
    """Every file whose content defines the index: the four record folders and the local overlay."""
    root = Path(root)
    files = []
    for sub in (*KIND_DIRS.values(), LOCAL_DIR):
        d = root / sub
        if d.is_dir():
            files.extend(p for p in d.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml"))
    return sorted(files)
