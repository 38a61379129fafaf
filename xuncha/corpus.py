"""Load the whole knowledge base: records -> validation -> cross-record rules -> derived entries."""
from dataclasses import dataclass, field
from pathlib import Path

from .enrich import build_entries
from .errors import CorpusError
from .overlay import load_overlay
from .paths import find_root
from .records import load_kind
from .rules import check_rules


@dataclass
class Corpus:
    root: Path
    regulations: dict
    checklists: dict
    findings: dict
    methods: dict
    entries: dict
    materials: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)

    def counts(self):
        kinds = {}
        for e in self.entries.values():
            kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
        return kinds


def check_corpus(root=None):
    """Validate everything. Returns (Corpus or None, [Problem]) — errors and warnings together."""
    root = Path(root) if root else find_root()
    problems = []
    loaded = {}
    broken = set()
    for kind in ("regulation", "checklist", "finding", "method"):
        recs, probs = load_kind(root, kind)
        loaded[kind] = recs
        problems += probs
        for p in probs:
            if p.level == "error":
                broken.add(Path(p.path).stem)
    overlay, local_regs, materials, probs = load_overlay(root, loaded["regulation"])
    problems += probs
    regs = dict(loaded["regulation"], **local_regs)
    nb_dir = root / "notebooks"
    notebooks = {p.name for p in nb_dir.glob("*.ipynb")} if nb_dir.is_dir() else set()
    problems += check_rules(regs, loaded["checklist"], loaded["finding"], loaded["method"],
                            notebooks=notebooks, broken=frozenset(broken))
    if any(p.level == "error" for p in problems):
        return None, problems
    entries = build_entries(regs, loaded["checklist"], loaded["finding"], loaded["method"], overlay)
    entries.update(materials)
    corpus = Corpus(root, regs, loaded["checklist"], loaded["finding"], loaded["method"], entries,
                    materials=materials, warnings=[p for p in problems if p.level != "error"])
    return corpus, problems


def load_corpus(root=None):
    """Load and validate; raise :class:`CorpusError` listing every problem if anything is wrong."""
    corpus, problems = check_corpus(root)
    if corpus is None:
        raise CorpusError([p for p in problems if p.level == "error"])
    return corpus
