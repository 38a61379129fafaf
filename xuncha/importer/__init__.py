"""Import official texts and study materials into the git-ignored local overlay (``local/``).

    from xuncha.importer import import_files
    plans = import_files(root, ["纪律处分条例.docx"], mark=True)   # read, split, recognise, check, write

Steps, one module each: ``readers`` (file -> numbered lines), ``split`` (编/章/节/条/款/项),
``detect`` (which regulation and version), ``verify`` (digest vs official text), ``materials``
(speeches and handouts by heading), ``store`` (atomic writes), ``plan`` (the whole import)."""
from .errors import ImportFileError
from .plan import (ImportFailed, Plan, commit, import_files, list_imports, mark_verified, prepare_material,
                   prepare_regulation, remove_import)

__all__ = ["ImportFileError", "ImportFailed", "Plan", "commit", "import_files", "list_imports", "mark_verified",
           "prepare_material", "prepare_regulation", "remove_import"]
