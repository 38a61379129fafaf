"""Reading files to import: encodings, .docx, .html, .pdf, and every way a file can be unusable."""
import io
import zipfile
from pathlib import Path

import pytest

from xuncha.importer import ImportFileError
from xuncha.importer import readers
from xuncha.importer.readers import read_file

DATA = Path(__file__).parent / "data" / "import"
SAMPLE = (DATA / "shifan-2023.txt").read_text(encoding="utf-8")


# ---- helpers shared with the CLI tests --------------------------------------------------------------

def _to_unicode_cmap(chars):
    """A ToUnicode CMap mapping each code (a UTF-16 unit) to itself, for the characters used only."""
    codes = sorted({ord(c) for c in chars})
    out = [b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
           b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
           b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
           b"1 begincodespacerange <0000> <FFFF> endcodespacerange"]
    for i in range(0, len(codes), 100):
        block = codes[i:i + 100]
        out.append(b"%d beginbfchar" % len(block))
        out += [b"<%04X> <%04X>" % (c, c) for c in block]
        out.append(b"endbfchar")
    out.append(b"endcmap CMapName currentdict /CMap defineresource pop end end")
    return b"\n".join(out)


def make_pdf(pages, image_only=False):
    """A minimal PDF written by hand: one Type0 font whose codes are UTF-16 code units, mapped back to
    Unicode by a ToUnicode CMap, so text extraction returns ``pages`` (a list of lists of lines).
    ``image_only``: every page is a picture without a text layer (a scanned document)."""
    objs = []

    def add(b):
        objs.append(b)
        return len(objs)
    catalog, pages_id = add(None), add(None)
    cmap = _to_unicode_cmap("".join("".join(p) for p in pages) or "x")
    tou = add(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream")
    desc = add(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /FangSong /CIDSystemInfo << /Registry (Adobe) "
               b"/Ordering (Identity) /Supplement 0 >> /DW 1000 >>")
    font = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /FangSong /Encoding /Identity-H /DescendantFonts [%d 0 R] "
               b"/ToUnicode %d 0 R >>" % (desc, tou))
    img = add(b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 "
              b"/Length 4 >>\nstream\n\x00\xff\xff\x00\nendstream")
    kids = []
    for lines in pages:
        if image_only:
            content = b"q 595 0 0 842 0 0 cm /Im1 Do Q"
        else:
            ops = [b"BT /F1 12 Tf 14 TL 50 800 Td"]
            ops += [b"<" + ln.encode("utf-16-be").hex().upper().encode() + b"> Tj T*" for ln in lines]
            content = b"\n".join(ops + [b"ET"])
        c = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> "
                        b"/XObject << /Im1 %d 0 R >> >> /Contents %d 0 R >>" % (pages_id, font, img, c)))
    objs[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objs[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, catalog, xref)
    return bytes(out)


def pdf_pages_from_text(text, per_page=14, width=30, header="巡察工作示范规则"):
    """Lay ``text`` out as a PDF would: wrapped lines, a running header and a page number on each page."""
    lines = []
    for para in text.split("\n"):
        para = para.strip()
        while len(para) > width:
            lines.append(para[:width])
            para = para[width:]
        lines.append(para)
    pages = [lines[i:i + per_page] for i in range(0, len(lines), per_page)]
    return [([header] if i else []) + p + [f"— {i + 1} —"] for i, p in enumerate(pages)]


def make_docx(paragraphs, path, numbered=0):
    import docx
    d = docx.Document()
    for i, p in enumerate(paragraphs):
        para = d.add_paragraph(p, style="List Number" if i < numbered else None)
        del para
    d.save(str(path))
    return path


def write(tmp_path, name, data):
    p = tmp_path / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return p


def err(path):
    with pytest.raises(ImportFileError) as e:
        read_file(path)
    return str(e.value)


# ---- text ---------------------------------------------------------------------------------------

def test_utf8_text_lines_carry_their_line_numbers(tmp_path):
    src = read_file(DATA / "shifan-2023.txt")
    assert src.format == "txt" and src.encoding == "utf-8" and len(src.sha256) == 64
    first_article = next(ln for ln in src.lines if ln.text.startswith("第一条"))
    assert first_article.loc == "第 15 行"


def test_gb18030_text_is_read_and_reported(tmp_path):
    p = write(tmp_path, "gbk.txt", SAMPLE.encode("gb18030"))
    src = read_file(p)
    assert src.encoding == "gb18030"
    assert src.text().splitlines()[0] == "巡察工作示范规则"
    assert any("GB18030" in w for w in src.warnings)


def test_utf8_bom_and_utf16_are_read(tmp_path):
    assert read_file(write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + SAMPLE.encode())).lines[0].text == "巡察工作示范规则"
    assert read_file(write(tmp_path, "u16.txt", SAMPLE.encode("utf-16"))).lines[0].text == "巡察工作示范规则"


def test_unknown_encoding_names_file_and_line(tmp_path):
    text = "第一行是普通的說明文字\n第二條　巡察組應當如實報告發現的問題，並提出處理建議。\n" * 3
    p = write(tmp_path, "big5.txt", text.encode("big5"))
    msg = err(p)
    assert msg.startswith("big5.txt 第 1 行：编码无法识别"), msg
    assert "UTF-8" in msg


def test_bytes_that_are_neither_utf8_nor_gb18030(tmp_path):
    p = write(tmp_path, "bad.txt", "第一条　正常文字。\n第二条　".encode() + b"\x81\x30\xff\xfe\x80" + "。".encode())
    msg = err(p)
    assert msg.startswith("bad.txt 第 2 行：编码无法识别"), msg


def test_binary_file_is_refused(tmp_path):
    assert "二进制" in err(write(tmp_path, "x.txt", b"abc\x00\x01\x02" * 50))


def test_empty_and_blank_files(tmp_path):
    assert err(write(tmp_path, "empty.txt", b"")) == "empty.txt：文件为空（0 字节或只有空白）。请确认文件已完整下载或保存"
    assert err(write(tmp_path, "blank.txt", "\n　\n  \r\n".encode())).startswith("blank.txt：文件为空")


def test_utf8_cut_inside_a_character_is_reported_as_truncated(tmp_path):
    raw = SAMPLE.encode()[:-2]
    msg = err(write(tmp_path, "cut.txt", raw))
    assert "被截断" in msg and msg.startswith("cut.txt 第 ")


def test_too_large(tmp_path, monkeypatch):
    monkeypatch.setitem(readers.MAX_BYTES, "txt", 1000)
    assert "文件过大" in err(DATA / "shifan-2023.txt")


@pytest.mark.parametrize("name,word", [("a.doc", ".docx"), ("a.wps", "WPS"), ("a.ofd", "OFD"), ("a.xyz", "不支持")])
def test_unsupported_formats_say_what_to_do(tmp_path, name, word):
    assert word in err(write(tmp_path, name, b"anything"))


def test_missing_file_and_folder(tmp_path):
    assert "文件不存在" in err(tmp_path / "nope.txt")
    (tmp_path / "d.txt").mkdir()
    assert "文件夹" in err(tmp_path / "d.txt")


# ---- docx ---------------------------------------------------------------------------------------

def test_docx_paragraphs_in_order(tmp_path):
    p = make_docx(SAMPLE.split("\n"), tmp_path / "rule.docx")
    src = read_file(p)
    assert src.format == "docx"
    texts = [ln.text for ln in src.lines if ln.text]
    assert texts[0] == "巡察工作示范规则" and "第二十条" in texts[-1]
    assert src.lines[2].loc == "第 3 段"


def test_docx_auto_numbering_is_warned(tmp_path):
    p = make_docx(["示范规则", "为了规范巡察工作，制定本规则。", "巡察工作坚持党的领导。"], tmp_path / "n.docx", numbered=3)
    src = read_file(p)
    assert any("自动编号" in w for w in src.warnings)


def test_old_doc_renamed_to_docx(tmp_path):
    msg = err(write(tmp_path, "old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600))
    assert "旧版 Word" in msg


def test_docx_that_is_not_a_zip(tmp_path):
    assert "内容不是 DOCX" in err(write(tmp_path, "fake.docx", "第一条 文字".encode()))


def test_truncated_docx(tmp_path):
    raw = make_docx(SAMPLE.split("\n"), tmp_path / "full.docx").read_bytes()
    msg = err(write(tmp_path, "cut.docx", raw[: len(raw) // 2]))
    assert msg.startswith("cut.docx：") and ("损坏" in msg or "不完整" in msg)


def test_zip_without_document_part(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    assert "word/document.xml" in err(write(tmp_path, "x.docx", buf.getvalue()))


def test_zip_bomb_is_refused(tmp_path, monkeypatch):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w/>")
        z.writestr("word/media/big.bin", b"\0" * (3 * 2**20))
    assert "压缩炸弹" in err(write(tmp_path, "bomb.docx", buf.getvalue()))
    monkeypatch.setattr(readers, "DOCX_MAX_RATIO", 10**6)
    monkeypatch.setattr(readers, "DOCX_MAX_UNPACKED", 2**20)
    assert "解压后共" in err(write(tmp_path, "bomb2.docx", buf.getvalue()))


# ---- html ---------------------------------------------------------------------------------------

def test_html_text_without_scripts_and_with_entities(tmp_path):
    html = ("<html><head><title>网页标题</title><style>p{}</style></head><body><script>var a='第九条';</script>"
            "<div class=nav>首页 &gt; 法规</div><p>巡察工作示范规则</p><p>第一条&nbsp;&nbsp;为了规范巡察工作，制定本规则。</p>"
            "<p>第二条　巡察工作坚持<b>党的领导</b>。<br>巡察工作实行分级负责。</p></body></html>")
    src = read_file(write(tmp_path, "page.html", html))
    texts = [ln.text.strip() for ln in src.lines]
    assert "首页 > 法规" in texts and "巡察工作示范规则" in texts
    assert not any("第九条" in t or "网页标题" in t for t in texts)
    assert "第二条　巡察工作坚持党的领导。" in texts and "巡察工作实行分级负责。" in texts


def test_html_declared_gb2312(tmp_path):
    html = '<html><head><meta charset="gb2312"></head><body><p>第一条　为了规范巡察工作，制定本规则。</p></body></html>'
    src = read_file(write(tmp_path, "gb.htm", html.encode("gb18030")))
    assert src.encoding == "gb18030" and any("第一条" in ln.text for ln in src.lines)


def test_html_nested_too_deep(tmp_path):
    html = "<div>" * (readers.HTML_MAX_DEPTH + 5) + "文字" + "</div>" * (readers.HTML_MAX_DEPTH + 5)
    msg = err(write(tmp_path, "deep.html", html))
    assert msg.startswith("deep.html 第 1 行：HTML 标签嵌套超过")


def test_html_unclosed_paragraphs_do_not_count_as_nesting(tmp_path):
    html = "<body>" + "<p>第一条　文字。" * (readers.HTML_MAX_DEPTH + 50) + "</body>"
    assert len(read_file(write(tmp_path, "p.html", html)).lines) >= readers.HTML_MAX_DEPTH


# ---- pdf ----------------------------------------------------------------------------------------

def test_pdf_text_pages_and_progress(tmp_path):
    pages = pdf_pages_from_text(SAMPLE)
    calls = []
    src = read_file(write(tmp_path, "rule.pdf", make_pdf(pages)), progress=lambda d, t: calls.append((d, t)))
    assert src.format == "pdf" and src.pages == len(pages)
    assert calls[-1] == (len(pages), len(pages))
    assert src.lines[0].text == "巡察工作示范规则" and src.lines[0].loc == "第 1 页第 1 行"
    assert any(ln.page == 2 and ln.text == "巡察工作示范规则" for ln in src.lines)


def test_encrypted_pdf(tmp_path):
    import pypdf
    reader = pypdf.PdfReader(io.BytesIO(make_pdf([["第一条　为了规范巡察工作，制定本规则。"]])))
    w = pypdf.PdfWriter(clone_from=reader)
    w.encrypt("mima123")
    buf = io.BytesIO()
    w.write(buf)
    msg = err(write(tmp_path, "locked.pdf", buf.getvalue()))
    assert msg == "locked.pdf：PDF 有密码保护，无法读取文字。请用密码打开后「另存为」不加密的 PDF，或向发文单位索取文字版"


def test_pdf_with_only_an_owner_password_opens(tmp_path):
    import pypdf
    reader = pypdf.PdfReader(io.BytesIO(make_pdf([["第一条　为了规范巡察工作，制定本规则。"]])))
    w = pypdf.PdfWriter(clone_from=reader)
    w.encrypt(user_password="", owner_password="guanli")
    buf = io.BytesIO()
    w.write(buf)
    assert "第一条" in read_file(write(tmp_path, "owner.pdf", buf.getvalue())).text()


def test_scanned_pdf(tmp_path):
    msg = err(write(tmp_path, "scan.pdf", make_pdf([[], []], image_only=True)))
    assert msg.startswith("scan.pdf：这是扫描件（2 页都是图片，没有文字层）") and "OCR" in msg


def test_truncated_pdf(tmp_path):
    raw = make_pdf(pdf_pages_from_text(SAMPLE))
    msg = err(write(tmp_path, "cut.pdf", raw[: len(raw) // 3]))
    assert msg.startswith("cut.pdf") and ("不完整" in msg or "损坏" in msg)


def test_pdf_extension_with_other_content(tmp_path):
    assert "内容不是 PDF" in err(write(tmp_path, "x.pdf", "第一条 文字".encode()))
