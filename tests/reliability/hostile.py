"""Hostile files for ``import`` and ``lint``, written on the fly (nothing large is kept in the repo).

Each maker writes one file into a folder and returns its path. A zip bomb is written directly as deflate
blocks (one compressed megabyte repeated), so a 1 GB bomb costs a second, not a minute, to make."""
import os
import random
import struct
import zlib

MB = 1 << 20
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_CT = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
         'Target="word/document.xml"/></Relationships>')


def _deflate(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def _zip(entries):
    """A zip archive from (name, deflated bytes, crc32, declared size) without zipfile's compressor."""
    out, central = bytearray(), bytearray()
    for name, data, crc, size in entries:
        nb, off = name.encode(), len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(nb), 0) + nb + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), size, len(nb),
                               0, 0, 0, 0, 0, off) + nb
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(out), 0)
    return bytes(out + central + end)


def _plain(name, text):
    data = text.encode("utf-8")
    return name, _deflate(data), zlib.crc32(data), len(data)


def _bomb_entry(name, megabytes, declared=None):
    head = f'<?xml version="1.0"?><w:document {_W}><w:body><w:p><w:r><w:t>'.encode()
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    chunk = "村".encode() * (MB // 3) + b"A" * (MB - 3 * (MB // 3))
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)  # history reset: every chunk compresses the same
    last = c.compress(tail) + c.flush()
    crc = zlib.crc32(head)
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + megabytes * MB + len(tail)
    return name, first + block * megabytes + last, crc, size if declared is None else declared


def _docx(path, document_entry, extra=()):
    path.write_bytes(_zip([_plain("[Content_Types].xml", _CT), _plain("_rels/.rels", _RELS), document_entry, *extra]))
    return path


def docx_zip_bomb(d):
    """word/document.xml inflates from ~1 MB to 1 GB; the archive says so honestly."""
    return _docx(d / "zip-bomb.docx", _bomb_entry("word/document.xml", 1024))


def docx_lying_bomb(d):
    """The same bomb, but the archive claims document.xml is small: only reading reveals the size."""
    return _docx(d / "lying-bomb.docx", _bomb_entry("word/document.xml", 1024, declared=200 * 1024))


def docx_entity_bomb(d):
    """XML entities expanding to 10^9 characters ("billion laughs")."""
    ents = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(8))
    xml = f'<?xml version="1.0"?><!DOCTYPE w:document [{ents}]><w:document {_W}><w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body></w:document>'
    return _docx(d / "entity-bomb.docx", _plain("word/document.xml", xml))


def docx_many_parts(d):
    return _docx(d / "many-parts.docx", _plain("word/document.xml", f"<w:document {_W}/>"),
                 [_plain(f"word/media/p{i}.xml", "x") for i in range(20_000)])


def docx_truncated(d):
    data = _zip([_plain("[Content_Types].xml", _CT), _plain("_rels/.rels", _RELS),
                 _plain("word/document.xml", f"<w:document {_W}><w:body>" + "<w:p><w:r><w:t>第一条 测试</w:t></w:r></w:p>" * 2000 + "</w:body></w:document>")])
    p = d / "truncated.docx"
    p.write_bytes(data[: len(data) // 2])
    return p


def docx_not_a_zip(d):
    p = d / "renamed.docx"
    p.write_text("这其实是一个文本文件，只是扩展名写成了 .docx。\n", encoding="utf-8")
    return p


def html_deep(d):
    p = d / "deep.html"
    p.write_text("<html><body>" + "<div>" * 200_000 + "第一条 测试" + "</div>" * 200_000 + "</body></html>", encoding="utf-8")
    return p


def html_unclosed_tags(d):
    p = d / "unclosed.html"
    p.write_text("<html><body>" + "<p><b><i>" * 100_000 + "第一条 测试", encoding="utf-8")
    return p


def txt_huge_line(d, megabytes=15):
    """One line of 15 MB: under the size limit, no line breaks at all."""
    p = d / "huge-line.txt"
    p.write_bytes(("第一条 " + "村干部报销加油费" * (megabytes * MB // 24)).encode("utf-8"))
    return p


def txt_too_big(d):
    p = d / "too-big.txt"
    with open(p, "wb") as fh:
        fh.truncate(200 * MB)  # sparse: costs no disk
    return p


def txt_invalid_utf8(d):
    p = d / "invalid-utf8.txt"
    rnd = random.Random(5)
    p.write_bytes(b"\xef\xbb\xbf" + bytes(rnd.randrange(0x80, 0xC0) for _ in range(50_000)))
    return p


def txt_binary(d):
    p = d / "binary.txt"
    p.write_bytes(os.urandom(64 * 1024))
    return p


def txt_empty(d):
    p = d / "empty.txt"
    p.write_bytes(b"")
    return p


def txt_control_chars(d):
    p = d / "control.txt"
    p.write_text("".join(chr(c) for c in range(1, 32) if c not in (9, 10, 13)) * 5000, encoding="utf-8")
    return p


def pdf_garbage(d):
    p = d / "garbage.pdf"
    p.write_bytes(b"%PDF-1.7\n" + os.urandom(100_000))
    return p


def yaml_deep(d):
    p = d / "deep.yaml"
    p.write_text("title: 测试\nfacts: " + "[" * 60_000 + "]" * 60_000 + "\n", encoding="utf-8")
    return p


def yaml_laughs(d):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"] + [
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    p = d / "laughs.yaml"
    p.write_text("\n".join(lines) + "\ntitle: *a8\nfacts: *a8\n", encoding="utf-8")
    return p


def md_deep_quotes(d):
    p = d / "deep-quotes.md"
    p.write_text(">" * 200_000 + " 村干部报销私人加油费\n", encoding="utf-8")
    return p


def md_long_line(d):
    """A long line within lint's size limit."""
    p = d / "long-line.md"
    p.write_text("事实：" + "村干部用公款报销加油费，" * 5_000, encoding="utf-8")
    return p
