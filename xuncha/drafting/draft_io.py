"""Read a draft from a file or standard input into text, refusing bad input with a clear Chinese message.

Accepted: UTF-8 (with or without BOM), UTF-16 with a BOM, and GB18030/GBK (what Windows Notepad and older
WPS versions save); the encoding used is reported so the CLI can mention it. Refused: empty files, binary
files (images, Word documents, archives), files over :data:`MAX_BYTES`, and bytes that are neither."""
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

MAX_BYTES = 256 * 1024  # a finding draft is a few KB; 256 KB is a whole report, not one finding
_BINARY_MAGIC = {
    b"PK\x03\x04": "ZIP 压缩包或 Word（.docx）文档",
    b"\xd0\xcf\x11\xe0": "旧版 Word（.doc）或 WPS 文档",
    b"%PDF": "PDF 文档",
    b"\x89PNG": "PNG 图片",
    b"\xff\xd8\xff": "JPEG 图片",
    b"GIF8": "GIF 图片",
    b"Rar!": "RAR 压缩包",
    b"\x1f\x8b": "gzip 压缩文件",
}


@dataclass
class RawDraft:
    text: str
    name: str          # file name for messages ('<标准输入>' for stdin)
    encoding: str      # utf-8 | utf-8-sig | utf-16 | gb18030
    suffix: str = ""   # lower-case file suffix, '' for stdin


def _cjk_ratio(text):
    chars = [c for c in text if not c.isspace() and ord(c) > 127]
    if not chars:
        return 1.0
    good = sum(1 for c in chars if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
               or c in "“”‘’…—·")
    return good / len(chars)


def decode(raw, name="<输入>"):
    """Bytes -> (text, encoding). Raises InputError with a Chinese message naming ``name``."""
    if not raw.strip():
        raise InputError(f"{name}：文件为空（或只有空白），没有可检查的内容")
    if len(raw) > MAX_BYTES:
        raise InputError(f"{name}：文件过大（{len(raw) // 1024} KB），超过 {MAX_BYTES // 1024} KB 的上限。"
                         "一份问题底稿通常只有几 KB；请只放入一个问题的底稿")
    for magic, what in _BINARY_MAGIC.items():
        if raw.startswith(magic):
            raise InputError(f"{name}：这是{what}，不是文本文件。请另存为纯文本（.txt）、Markdown（.md）或 YAML 后再试")
    if raw.startswith(b"\xff\xfe") or raw.startswith(b"\xfe\xff"):
        try:
            return _check_text(raw.decode("utf-16"), name), "utf-16"
        except UnicodeDecodeError:
            raise InputError(f"{name}：文件声明为 UTF-16 编码但内容损坏，请另存为 UTF-8") from None
    if b"\x00" in raw:
        raise InputError(f"{name}：文件含有二进制内容（零字节），不是文本文件。请另存为 UTF-8 编码的纯文本后再试")
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return _check_text(raw[3:].decode("utf-8"), name), "utf-8-sig"
        except UnicodeDecodeError:
            raise InputError(f"{name}：文件以 UTF-8 BOM 开头但内容不是有效的 UTF-8，请重新另存为 UTF-8") from None
    try:
        return _check_text(raw.decode("utf-8"), name), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _cjk_ratio(text) >= 0.9:
        return _check_text(text, name), "gb18030"
    raise InputError(f"{name}：无法识别文件编码（既不是 UTF-8，也不像 GB18030/GBK 中文文本）。"
                     "请在编辑器中选择「另存为」并把编码设为 UTF-8 后再试")


def _check_text(text, name):
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\r\n\f")
    if controls > max(3, len(text) // 100):
        raise InputError(f"{name}：文件含有大量控制字符，看起来不是文本文件。请另存为 UTF-8 编码的纯文本后再试")
    if not text.strip():
        raise InputError(f"{name}：文件为空（或只有空白），没有可检查的内容")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_draft(path, stdin=None):
    """Read ``path`` ('-' = standard input) -> :class:`RawDraft`. Raises InputError on bad input."""
    if str(path) == "-":
        stream = stdin if stdin is not None else sys.stdin
        buf = getattr(stream, "buffer", None)
        raw = buf.read(MAX_BYTES + 1) if buf is not None else stream.read(MAX_BYTES + 1)
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        text, enc = decode(raw, "<标准输入>")
        return RawDraft(text, "<标准输入>", enc, "")
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputError(f"{name}：文件不存在。请检查路径，或用 - 从标准输入读取")
    if p.is_dir():
        raise InputError(f"{name}：这是一个文件夹，请给出底稿文件的路径")
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{name}：文件过大（{size // 1024} KB），超过 {MAX_BYTES // 1024} KB 的上限。"
                             "一份问题底稿通常只有几 KB；请只放入一个问题的底稿")
        with p.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except PermissionError:
        raise InputError(f"{name}：没有读取权限") from None
    except OSError as e:
        raise InputError(f"{name}：无法读取文件（{e.strerror}）") from None
    text, enc = decode(raw, name)
    return RawDraft(text, name, enc, p.suffix.lower())
