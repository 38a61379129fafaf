"""xuncha.drafting.export and `xuncha export`: the 问题底稿 layout in docx and Markdown, no overwrite."""
from pathlib import Path

import docx
import pytest

from xuncha import InputError
from xuncha.drafting import OutputExistsError, build_record, export

DRAFTS = Path(__file__).parent / "data" / "drafts"
LAYOUT = ["问题底稿", "一、问题概要", "二、事实", "三、定性", "四、依据", "五、支撑材料目录"]


def paragraphs(path):
    return [p.text for p in docx.Document(str(path)).paragraphs]


def test_docx_reopens_with_the_usual_layout(tmp_path, built_kb):
    out = export(DRAFTS / "good.yaml", "docx", tmp_path / "底稿.docx", kb=built_kb)
    doc = docx.Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    assert [t for t in texts if t in LAYOUT] == LAYOUT
    table = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert [r[0] for r in table] == ["名称", "编号", "编制日期", "被巡察单位", "问题来源"]
    assert table[0][1] == "***村党支部书记用村集体资金报销私人车辆加油费"
    assert "1. 《中国共产党纪律处分条例》（2023年修订）第一百一十一条" in texts
    digest = built_kb.get("jilv-2023#111")["digest"]
    assert f"要点：{digest}" in texts
    assert any(t.startswith("条文：（正式文本未导入") for t in texts)
    assert any(t.startswith("经办人：") for t in texts) and any(t.startswith("审签（组长）：") for t in texts)
    assert any("1.26万元" in t for t in texts)


def test_imported_official_text_is_included(tmp_path, built_kb, monkeypatch):
    real_get = built_kb.get

    def get(ref):
        e = real_get(ref)
        if e.get("id") == "jilv-2023#111":
            e = dict(e, text="（测试用正式文本）")
        return e
    monkeypatch.setattr(built_kb, "get", get)
    rec = build_record(DRAFTS / "good.yaml", built_kb)
    assert rec["basis"][0]["text"] == "（测试用正式文本）"


def test_markdown_escapes_masks(tmp_path, built_kb):
    out = export(DRAFTS / "good.md", "md", tmp_path / "底稿.md", kb=built_kb)
    md = out.read_text(encoding="utf-8")
    assert md.startswith("# 问题底稿\n")
    assert "| 名称 | \\*\\*镇以培训费名义列支餐费 |" in md
    for head in ("## 一、问题概要", "## 二、事实", "## 三、定性", "## 四、依据", "## 五、支撑材料目录"):
        assert head in md
    assert "1. 《中国共产党纪律处分条例》（2023年修订）第一百一十三条（jilv-2023#113）" in md


def test_text_and_dict_drafts_and_no_kb(tmp_path):
    text = "事实：2023年张某报销私人餐费3次。\n依据：《中华人民共和国刑法》第三百八十二条"
    out = export(text, "md", tmp_path / "a.md")
    md = out.read_text(encoding="utf-8")
    assert "《中华人民共和国刑法》第三百八十二条" in md and "未连接知识库" in md
    out = export({"title": "标题", "facts": "2023年张某报销3次。", "basis": ["jilv-2023#111"]}, "md", tmp_path / "b.md")
    assert "| 名称 | 标题 |" in out.read_text(encoding="utf-8")


def test_never_overwrites_without_force(tmp_path, built_kb):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "x.docx"
    target.write_bytes(b"keep me")
    with pytest.raises(OutputExistsError, match="已存在"):
        export(DRAFTS / "good.yaml", "docx", target, kb=built_kb)
    assert target.read_bytes() == b"keep me"
    export(DRAFTS / "good.yaml", "docx", target, kb=built_kb, force=True)
    assert paragraphs(target)[0] == "问题底稿"
    assert [p.name for p in out_dir.iterdir()] == ["x.docx"]  # no temporary file left behind


def test_bad_format_and_folder(tmp_path):
    with pytest.raises(InputError, match="不支持的格式"):
        export("事实：x", "pdf", tmp_path / "a.pdf")
    with pytest.raises(InputError, match="目录不存在"):
        export("事实：2023年张某报销3次。", "md", tmp_path / "nope" / "a.md")


def test_cli_default_output_name(run, built_kb, tmp_corpus, tmp_path):
    src = tmp_path / "草稿.yaml"
    src.write_bytes((DRAFTS / "good.yaml").read_bytes())
    code, out, err = run("export", src, "--format", "docx", root=tmp_corpus)
    target = tmp_path / "草稿-底稿.docx"
    assert code == 0 and out == f"已导出问题底稿：{target}\n" and err == ""
    assert paragraphs(target)[0] == "问题底稿"
    code, _, err = run("export", src, "--format", "docx", root=tmp_corpus)
    assert code == 2 and "已存在" in err and "--force" in err


def test_cli_warns_about_unmasked_personal_info(run, built_kb, tmp_corpus, tmp_path):
    code, out, err = run("export", DRAFTS / "pii.txt", "--format", "md", "-o", tmp_path / "p.md", root=tmp_corpus)
    assert code == 0 and "警告：" in err and "13912345678" in err
    code, _, err = run("export", DRAFTS / "pii.txt", "--format", "md", "-o", tmp_path / "q.md", "--no-check",
                       root=tmp_corpus)
    assert code == 0 and err == ""


@pytest.mark.parametrize("content, message", [(b"", "文件为空"), (b"\x00\x01" * 50, "二进制")])
def test_cli_bad_input(run, tmp_path, content, message):
    p = tmp_path / "d.md"
    p.write_bytes(content)
    code, _, err = run("export", p, "--format", "md")
    assert code == 2 and message in err
    assert not (tmp_path / "d-底稿.md").exists()
