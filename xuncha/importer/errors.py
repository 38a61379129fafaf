"""The one error type of the importer: a file that cannot be imported, named with the place in it."""
from ..errors import InputError


class ImportFileError(InputError):
    """A file that cannot be imported. ``file`` is its name, ``loc`` the place in it (「第 12 行」,
    「第 3 页第 5 行」, 「第 8 段」) or None, ``hint`` what to do about it. ``str(err)`` is one Chinese line."""

    def __init__(self, file, message, loc=None, hint=None):
        self.file, self.loc, self.message, self.hint = str(file), loc, message, hint
        where = self.file + (f" {loc}" if loc else "")
        super().__init__(f"{where}：{message}" + (f"。{hint}" if hint else ""))
