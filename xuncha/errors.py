"""Typed errors raised by the library. Only the CLI turns them into one-line Chinese messages."""


class XunchaError(Exception):
    """Base class: every error the library raises on purpose. ``str(err)`` is a Chinese message."""


class CorpusError(XunchaError):
    """The corpus failed validation. ``problems`` lists every problem found, not only the first."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(f"语料校验发现 {len(self.problems)} 处问题")


class UnknownIdError(XunchaError):
    """An ID that names no record."""

    def __init__(self, record_id, suggestions=()):
        self.record_id = record_id
        self.suggestions = list(suggestions)
        hint = f"；您是不是要找：{'、'.join(self.suggestions)}" if self.suggestions else ""
        super().__init__(f"找不到编号为「{record_id}」的记录{hint}。可用 xuncha search 查找编号")


class IndexBusyError(XunchaError):
    """Another process is rebuilding the index and did not finish in time."""


class IndexError_(XunchaError):
    """The index could not be opened or built."""


class InputError(XunchaError):
    """A user-supplied file or value cannot be used (wrong encoding, empty, too large...)."""
