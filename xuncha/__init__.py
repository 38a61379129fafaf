"""xuncha — 巡察知识库与培训工具包 (an offline knowledge base and training kit for 巡察 work)."""
from .errors import CorpusError, IndexBusyError, InputError, UnknownIdError, XunchaError
from .kb import KnowledgeBase

__version__ = "0.1.0"
__all__ = ["KnowledgeBase", "XunchaError", "CorpusError", "UnknownIdError", "IndexBusyError", "InputError"]
