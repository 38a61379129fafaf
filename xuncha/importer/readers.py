"""Read a file an office holds into numbered lines: .txt (UTF-8 / GB18030), .docx, .html, .pdf.

Every reader returns a :class:`Source` whose lines carry their place in the file (「第 12 行」, 「第 8 段」,
「第 3 页第 5 行」), so later steps can name it in their messages. Every way a file can be unusable
(empty, binary, unknown encoding, too large, a zip bomb, nested too deep, encrypted or scanned PDF,
truncated) raises :class:`ImportFileError` with a Chinese message naming the file."""
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from .errors import ImportFileError

MAX_BYTES = {"txt": 20 * 2**20, "html": 20 * 2**20, "docx": 50 * 2**20, "pdf": 100 * 2**20}
DOCX_MAX_UNPACKED = 200 * 2**20   # total uncompressed size of all parts
DOCX_MAX_RATIO = 200              # compression ratio of one part (a zip bomb is thousands)
DOCX_MAX_PARTS = 5000
HTML_MAX_DEPTH = 400
PDF_MAX_PAGES = 3000

FORMATS = {".txt": "txt", ".text": "txt", ".md": "txt", ".docx": "docx", ".html": "html", ".htm": "html",
           ".xhtml": "html", ".shtml": "html", ".pdf": "pdf"}
UNSUPPORTED = {
    ".doc": "这是旧版 Word（.doc）文件；请在 Word 或 WPS 中「另存为」.docx 后再导入",
    ".wps": "这是 WPS 文字格式；请在 WPS 中「另存为」.docx 后再导入",
    ".ofd": "OFD 版式文件暂不支持；请用 OFD 阅读器导出为 PDF 或复制文字另存为 .txt 后再导入",
    ".rtf": "RTF 文件暂不支持；请另存为 .docx 或 .txt 后再导入",
    ".xls": "表格文件不是法规或学习材料；请导入 .docx、.txt、.html 或 .pdf",
    ".xlsx": "表格文件不是法规或学习材料；请导入 .docx、.txt、.html 或 .pdf",
    ".zip": "压缩包请先解压，再逐个导入其中的文件",
    ".rar": "压缩包请先解压，再逐个导入其中的文件",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass
class Line:
    loc: str            # where it is, for messages: 「第 12 行」 / 「第 8 段」 / 「第 3 页第 5 行」
    text: str
    page: int = 0       # 1-based PDF page (or \f-separated page of a text file); 0 when not paged
    style: str = ""     # Word paragraph style name (Heading 1 …), when known


@dataclass
class Source:
    path: Path
    name: str
    format: str
    sha256: str
    size: int
    lines: list
    encoding: str = ""
    pages: int = 0
    warnings: list = field(default_factory=list)

    def text(self):
        return "\n".join(ln.text for ln in self.lines)


def file_format(path):
    """'txt' | 'docx' | 'html' | 'pdf' from the extension; raises for formats we cannot read."""
    suffix = Path(path).suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    name = Path(path).name
    if suffix in UNSUPPORTED:
        raise ImportFileError(name, UNSUPPORTED[suffix])
    raise ImportFileError(name, f"不支持的文件类型「{suffix or '无扩展名'}」",
                          hint="可导入 .txt（UTF-8 或 GB18030）、.docx、.html、.pdf")


def _sniff(raw):
    if raw.startswith(b"%PDF-"):
        return "pdf"
    if raw.startswith(b"PK\x03\x04"):
        return "zip"
    if raw.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    return None


def read_file(path, progress=None):
    """Read one file into a :class:`Source`. ``progress(done, total)`` is called page by page for PDFs."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise ImportFileError(name, "文件不存在", hint=f"请检查路径：{path}")
    if path.is_dir():
        raise ImportFileError(name, "这是一个文件夹，不是文件", hint="请逐个指定要导入的文件，例如 xuncha import 文件夹/*.docx")
    fmt = file_format(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES[fmt]:
            raise ImportFileError(name, f"文件过大（{size / 2**20:.1f} MB，{fmt} 文件上限 {MAX_BYTES[fmt] // 2**20} MB）",
                                  hint="请确认选对了文件；过大的文件请拆分后导入")
        raw = path.read_bytes()
    except OSError as e:
        raise ImportFileError(name, f"无法读取文件（{e.strerror}）") from e
    if not raw.strip():
        raise ImportFileError(name, "文件为空（0 字节或只有空白）", hint="请确认文件已完整下载或保存")
    kind = _sniff(raw)
    if kind == "ole":
        raise ImportFileError(name, "这是旧版 Word（.doc）或 WPS 文件，不是 .docx",
                              hint="请在 Word 或 WPS 中「另存为」.docx 后再导入")
    if kind == "pdf" and fmt != "pdf":
        fmt = "pdf"
    elif kind == "zip" and fmt != "docx":
        fmt = "docx"
    elif fmt in ("pdf", "docx") and kind is None:
        raise ImportFileError(name, f"扩展名是 .{fmt}，但内容不是 {fmt.upper()} 文件（可能已损坏，或是改了扩展名的其他文件）",
                              hint="请用原来的程序打开并重新保存")
    src = Source(path, name, fmt, hashlib.sha256(raw).hexdigest(), len(raw), [])
    {"txt": _read_txt, "html": _read_html, "docx": _read_docx, "pdf": _read_pdf}[fmt](src, raw, progress)
    if not any(ln.text.strip() for ln in src.lines):
        if fmt == "txt":
            raise ImportFileError(name, "文件为空（只有空白，没有文字）", hint="请确认文件已完整下载或保存")
        raise ImportFileError(name, "文件中没有可读取的文字", hint="请确认文件内容不是空白或图片")
    return src


# ---- text ---------------------------------------------------------------------------------------

def _line_of(raw, pos):
    return raw.count(b"\n", 0, pos) + 1


def _check_plausible(text, name, encoding, raw=None):
    """Refuse binary data and text decoded with the wrong codec (mojibake)."""
    sample = text[:200000]
    bad = len(_CONTROL.findall(sample))
    if bad > max(3, len(sample) // 200):
        m = _CONTROL.search(text)
        line = text.count("\n", 0, m.start()) + 1 if m else 1
        raise ImportFileError(name, "含有大量控制字符，看起来是二进制文件而不是文本", loc=f"第 {line} 行",
                              hint="请导入 .txt、.docx、.html 或 .pdf 文件")
    if encoding == "gb18030":
        # Simplified Chinese text is almost entirely within GB2312; text in another encoding
        # (Big5, Shift-JIS…) decodes as GB18030 into rare characters.
        cjk = [c for c in sample if "\u3400" <= c <= "\u9fff" or "\ue000" <= c <= "\uf8ff"]
        if cjk:
            rare = [c for c in cjk if not _in_gb2312(c)]
            if len(rare) > max(5, len(cjk) // 5):
                first = text.find(rare[0])
                line = text.count("\n", 0, first) + 1
                raise ImportFileError(name, "编码无法识别（既不是 UTF-8，按 GB18030 解读又是乱码）", loc=f"第 {line} 行",
                                      hint="请用记事本或 WPS 打开并「另存为」UTF-8 编码后再导入")


_GB2312_CACHE = {}


def _in_gb2312(c):
    ok = _GB2312_CACHE.get(c)
    if ok is None:
        try:
            c.encode("gb2312")
            ok = True
        except UnicodeEncodeError:
            ok = False
        _GB2312_CACHE[c] = ok
    return ok


def decode_text(raw, name):
    """Bytes -> (text, encoding). UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw, enc = raw[3:], "utf-8-sig"
    elif raw[:2] in _UTF16_BOMS:
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as e:
            raise ImportFileError(name, "UTF-16 编码的文件不完整或已损坏", loc=f"第 {_line_of(raw, e.start)} 行") from e
        _check_plausible(text, name, "utf-16")
        return text, "utf-16"
    else:
        enc = "utf-8"
    nul = raw.find(b"\x00", 0, 65536)
    if nul >= 0:
        raise ImportFileError(name, "含有 NUL 字符，是二进制文件而不是文本", loc=f"第 {_line_of(raw, nul)} 行",
                              hint="请导入 .txt、.docx、.html 或 .pdf 文件")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        if enc == "utf-8-sig":
            raise ImportFileError(name, "文件声明为 UTF-8（带 BOM），但内容无法按 UTF-8 解码（文件可能被截断或混用了编码）",
                                  loc=f"第 {_line_of(raw, e.start)} 行", hint="请用编辑器重新另存为 UTF-8") from e
        if e.start >= len(raw) - 3 and e.reason == "unexpected end of data":
            raise ImportFileError(name, "文件在一个汉字中间结束，文件不完整（可能下载或复制时被截断）",
                                  loc=f"第 {_line_of(raw, e.start)} 行", hint="请重新获取完整文件") from e
        try:
            text = raw.decode("gb18030")
            enc = "gb18030"
        except UnicodeDecodeError as e2:
            raise ImportFileError(name, "编码无法识别（既不是 UTF-8，也不是 GB18030/GBK）",
                                  loc=f"第 {_line_of(raw, max(e.start, e2.start))} 行",
                                  hint="请用记事本或 WPS 打开并「另存为」UTF-8 编码后再导入") from e2
    _check_plausible(text, name, enc)
    return text, enc


def _read_txt(src, raw, progress):
    text, src.encoding = decode_text(raw, src.name)
    if src.encoding not in ("utf-8", "utf-8-sig"):
        src.warnings.append(f"按 {src.encoding.upper()} 编码读取")
    pages = text.split("\f")
    n = 1
    for p, page in enumerate(pages, 1):
        for k, t in enumerate(re.split(r"\r\n|\r|\n", page)):
            n += 1 if k else 0   # a form feed does not start a new line number
            src.lines.append(Line(f"第 {n} 行", t, page=p if len(pages) > 1 else 0))
    src.pages = len(pages) if len(pages) > 1 else 0


# ---- html ---------------------------------------------------------------------------------------

_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table",
          "blockquote", "pre", "hr", "ul", "ol", "dl", "dt", "dd", "header", "footer", "main", "center", "title"}
_SKIP = {"script", "style", "head", "noscript", "template", "svg", "math", "iframe", "object", "select", "button"}
_VOID = {"br", "img", "meta", "link", "input", "hr", "wbr", "col", "area", "base", "embed", "source", "track",
         "param", "keygen"}
_IMPLIED = {"p", "li", "td", "th", "tr", "option", "dt", "dd"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


class _TextExtractor(HTMLParser):
    def __init__(self, name):
        super().__init__(convert_charrefs=True)
        self.name = name
        self.stack = []
        self.skip = 0
        self.lines = []      # (html line number, text)
        self.buf, self.buf_line = [], 1

    def _flush(self):
        t = "".join(self.buf).replace("\xa0", " ")
        for part in t.split("\n"):
            if part.strip():
                self.lines.append((self.buf_line, part))
        self.buf = []
        self.buf_line = self.getpos()[0]

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            if tag in ("br", "hr"):
                self._flush()
            return
        if tag in _IMPLIED and tag in self.stack[-3:]:
            while self.stack and self.stack[-1] != tag:
                self.stack.pop()
            if self.stack:
                self.stack.pop()
        self.stack.append(tag)
        if len(self.stack) > HTML_MAX_DEPTH:
            raise ImportFileError(self.name, f"HTML 标签嵌套超过 {HTML_MAX_DEPTH} 层，无法可靠提取正文",
                                  loc=f"第 {self.getpos()[0]} 行", hint="请在浏览器中打开，复制正文另存为 .txt 后导入")
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCK or tag in ("td", "th"):
            self._flush()

    def handle_startendtag(self, tag, attrs):
        if tag in ("br", "hr"):
            self._flush()

    def handle_endtag(self, tag):
        if tag in _VOID or tag not in self.stack:
            return
        while self.stack:
            top = self.stack.pop()
            if top in _SKIP:
                self.skip = max(0, self.skip - 1)
            if top == tag:
                break
        if tag in _BLOCK or tag in ("td", "th"):
            self._flush()

    def handle_data(self, data):
        if self.skip:
            return
        if not self.buf:
            self.buf_line = self.getpos()[0]
        self.buf.append(re.sub(r"[\r\n\t ]+", " ", data) if "pre" not in self.stack else data)


def _read_html(src, raw, progress):
    enc = None
    m = _META_CHARSET.search(raw[:4096])
    if m:
        declared = m.group(1).decode("ascii", "replace").lower()
        if declared in ("gb2312", "gbk", "gb18030", "x-gbk", "cp936"):
            enc = "gb18030"
        elif declared in ("utf-8", "utf8"):
            enc = "utf-8"
    if enc and not raw.startswith((b"\xef\xbb\xbf", *_UTF16_BOMS)):
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            text, enc = decode_text(raw, src.name)
            src.warnings.append(f"网页声明的编码与内容不符，已按 {enc.upper()} 读取")
        else:
            _check_plausible(text, src.name, enc)
    else:
        text, enc = decode_text(raw, src.name)
    src.encoding = enc
    parser = _TextExtractor(src.name)
    try:
        parser.feed(text)
        parser.close()
    except ImportFileError:
        raise
    except Exception as e:  # html.parser is lenient; anything else is a damaged file
        raise ImportFileError(src.name, f"网页无法解析（{type(e).__name__}）", loc=f"第 {parser.getpos()[0]} 行") from e
    parser._flush()
    src.lines = [Line(f"第 {n} 行", t) for n, t in parser.lines]


# ---- docx ---------------------------------------------------------------------------------------

def _check_zip(src, raw):
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        infos = zf.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as e:
        raise ImportFileError(src.name, "不是有效的 .docx 文件（压缩结构损坏，文件可能不完整）",
                              hint="请用 Word 或 WPS 打开后重新保存，或重新下载") from e
    if len(infos) > DOCX_MAX_PARTS:
        raise ImportFileError(src.name, f".docx 内含 {len(infos)} 个部件，超出上限 {DOCX_MAX_PARTS}，疑似异常文件")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > 2**20 and info.file_size > DOCX_MAX_RATIO * max(info.compress_size, 1):
            raise ImportFileError(src.name, f".docx 中的「{info.filename}」解压后膨胀 {info.file_size // max(info.compress_size, 1)} 倍，"
                                  "疑似压缩炸弹，已拒绝读取")
    if total > DOCX_MAX_UNPACKED:
        raise ImportFileError(src.name, f".docx 解压后共 {total // 2**20} MB，超出上限 {DOCX_MAX_UNPACKED // 2**20} MB，疑似压缩炸弹")
    names = {i.filename for i in infos}
    if "word/document.xml" not in names:
        raise ImportFileError(src.name, "压缩包中没有 word/document.xml，不是 Word 文档（可能是改了扩展名的其他文件）",
                              hint="请导入 Word 保存的 .docx 文件")
    try:
        bad = zf.testzip()
    except Exception as e:
        bad = str(e)
    if bad:
        raise ImportFileError(src.name, f".docx 中的「{bad}」已损坏（文件可能不完整）", hint="请用 Word 或 WPS 打开后重新保存")


def _read_docx(src, raw, progress):
    _check_zip(src, raw)
    try:
        import docx
        doc = docx.Document(io.BytesIO(raw))
    except Exception as e:
        raise ImportFileError(src.name, f"Word 文档无法打开（{type(e).__name__}）",
                              hint="请用 Word 或 WPS 打开后「另存为」.docx 再导入") from e
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    n = numbered = 0
    styled = {}
    body = doc.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(child, doc)
            n += 1
            try:
                st = p.style
                style = st.name if st is not None else ""
                if style not in styled:
                    styled[style] = st is not None and st.element.find(".//{*}numPr") is not None
            except Exception:
                style = ""
            if p.text.strip() and (child.find(".//{*}numPr") is not None or styled.get(style)):
                numbered += 1
            src.lines.append(Line(f"第 {n} 段", p.text, style=style))
        elif tag == "tbl":
            for row in Table(child, doc).rows:
                n += 1
                cells = []
                for c in row.cells:
                    t = c.text.strip()
                    if t and (not cells or cells[-1] != t):
                        cells.append(t)
                src.lines.append(Line(f"第 {n} 段（表格）", " ".join(cells)))
    if numbered:
        src.warnings.append(f"有 {numbered} 段使用了 Word 自动编号；自动生成的编号（如「第X条」）不在文字中，"
                            "如条号缺失，请在 Word 中把编号转换为文本后重新导入")
    src.numbered_paragraphs = numbered


# ---- pdf ----------------------------------------------------------------------------------------

def _page_has_images(page):
    try:
        res = page.get("/Resources")
        res = res.get_object() if res is not None else None
        xobjs = res.get("/XObject") if res else None
        xobjs = xobjs.get_object() if xobjs is not None else None
        if not xobjs:
            return False
        return any(xobjs[k].get_object().get("/Subtype") == "/Image" for k in xobjs)
    except Exception:
        return False


def _read_pdf(src, raw, progress):
    import logging
    import pypdf
    from pypdf.errors import PdfReadError
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if b"%%EOF" not in raw[-2048:]:
        src.warnings.append("PDF 文件末尾缺少结束标记，可能不完整")
    try:
        reader = pypdf.PdfReader(io.BytesIO(raw), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:
                ok = 0
            if not ok:
                raise ImportFileError(src.name, "PDF 有密码保护，无法读取文字",
                                      hint="请用密码打开后「另存为」不加密的 PDF，或向发文单位索取文字版")
        pages = reader.pages
        total = len(pages)
    except ImportFileError:
        raise
    except Exception as e:
        raise ImportFileError(src.name, f"PDF 无法解析，文件可能不完整或已损坏（{type(e).__name__}）",
                              hint="请重新下载或用 PDF 阅读器另存后再导入") from e
    if total == 0:
        raise ImportFileError(src.name, "PDF 中没有任何页面，文件可能不完整")
    if total > PDF_MAX_PAGES:
        raise ImportFileError(src.name, f"PDF 共 {total} 页，超出上限 {PDF_MAX_PAGES} 页")
    empty, imaged = [], []
    for i in range(total):
        try:
            page = pages[i]
            text = page.extract_text() or ""
        except (PdfReadError, KeyError, ValueError, TypeError, AttributeError) as e:
            raise ImportFileError(src.name, f"PDF 页面无法读取，文件可能不完整或已损坏（{type(e).__name__}）",
                                  loc=f"第 {i + 1} 页") from e
        except Exception as e:
            if "decrypt" in str(e).lower():
                raise ImportFileError(src.name, "PDF 有密码保护，无法读取文字",
                                      hint="请用密码打开后「另存为」不加密的 PDF") from e
            raise ImportFileError(src.name, f"PDF 页面无法读取（{type(e).__name__}）", loc=f"第 {i + 1} 页") from e
        if not text.strip():
            empty.append(i + 1)
            if _page_has_images(page):
                imaged.append(i + 1)
        for k, t in enumerate(text.split("\n"), 1):
            src.lines.append(Line(f"第 {i + 1} 页第 {k} 行", t, page=i + 1))
        if progress:
            progress(i + 1, total)
    src.pages = total
    if len(empty) == total:
        if imaged:
            raise ImportFileError(src.name, f"这是扫描件（{total} 页都是图片，没有文字层），无法提取文字",
                                  hint="请先用 OCR 软件识别为文字（并人工校对），或向发文单位索取文字版")
        raise ImportFileError(src.name, "PDF 中提取不到任何文字", hint="请用 PDF 阅读器打开确认；如为扫描件，请先 OCR 识别")
    if empty:
        shown = "、".join(map(str, empty[:8])) + ("…" if len(empty) > 8 else "")
        src.warnings.append(f"第 {shown} 页没有文字（{'可能是扫描页' if imaged else '空白页'}），这些页的内容未导入")
    text = src.text()
    cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    junk = sum(1 for c in text if "\ue000" <= c <= "\uf8ff" or c == "\ufffd" or (c < " " and c not in "\n\t"))
    if junk > max(20, cjk // 5):
        raise ImportFileError(src.name, "PDF 的文字无法正确提取（字体缺少编码映射，提取出来是乱码）",
                              hint="请在 PDF 阅读器中复制全文另存为 .txt，或向发文单位索取 Word 版")
