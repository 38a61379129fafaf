"""Splitting a regulation into 编/章/节/条/款/项, and every numbering problem it must catch."""
from pathlib import Path

import pytest

from xuncha.importer import ImportFileError
from xuncha.importer.readers import Line, Source, read_file
from xuncha.importer.split import clauses, remove_furniture, split_regulation

DATA = Path(__file__).parent / "data" / "import"


def src_of(text, name="t.txt", fmt="txt", pages=None):
    """A Source from text (``pages``: list of texts, one per PDF page)."""
    lines = []
    if pages:
        for p, page in enumerate(pages, 1):
            for k, t in enumerate(page.split("\n"), 1):
                lines.append(Line(f"第 {p} 页第 {k} 行", t, page=p))
    else:
        lines = [Line(f"第 {i} 行", t) for i, t in enumerate(text.split("\n"), 1)]
    return Source(Path(name), name, fmt, "0" * 64, 1, lines)


def split_err(text, **kw):
    with pytest.raises(ImportFileError) as e:
        split_regulation(src_of(text), **kw)
    return str(e.value)


HEAD = "巡察工作示范规则\n（2023年6月20日**市委常委会会议修订）\n"


def test_fixture_structure_counts():
    doc = split_regulation(read_file(DATA / "shifan-2023.txt"))
    assert doc.title == "巡察工作示范规则"
    assert doc.dates_line.startswith("（2019年3月1日")
    assert doc.counts() == {"编": 0, "章": 5, "节": 2, "条": 20, "款": 23, "项": 9, "附则条数": 2}
    a11 = doc.articles[10]
    assert (a11.number, a11.chapter, a11.section) == (11, "第三章 巡察程序", "第一节 准备和进驻")
    assert a11.paragraphs[0] == "巡察组可以采取下列方式开展工作：" and a11.paragraphs[5].startswith("（五）")
    assert doc.articles[4].paragraphs == ["市委成立巡察工作领导小组，领导小组组长由市委副书记担任。",
                                          "领导小组每半年至少听取一次巡察工作汇报，研究解决巡察工作中的重大问题。"]
    assert doc.structure()[2] == {"chapter": "第三章 巡察程序", "articles": "9-15", "verified": True}


def test_table_of_contents_is_skipped_and_spaced_headings_are_joined():
    doc = split_regulation(read_file(DATA / "shifan-2023.txt"))
    assert [h.title for h in doc.headings if h.level == "章"] == [
        "第一章 总则", "第二章 机构和人员", "第三章 巡察程序", "第四章 纪律和责任", "第五章 附则"]
    assert doc.articles[0].loc == "第 15 行"


def test_parts_chapters_sections_and_arabic_numerals():
    text = HEAD + ("第一编　总　　则\n第一章　一般规定\n第1条　为了规范巡察工作，制定本规则。\n第2条 巡察工作坚持党的领导。\n"
                   "第二编　分　　则\n第二章　程序\n第一节　进驻\n第3条：巡察组进驻后召开动员会。\n第二节　反馈\n"
                   "第４条　巡察组反馈巡察意见。\n第三章　附　　则\n第5条　本规则自发布之日起施行。")
    doc = split_regulation(src_of(text))
    assert [a.number for a in doc.articles] == [1, 2, 3, 4, 5]
    assert doc.articles[3].part == "第二编 分则" and doc.articles[3].section == "第二节 反馈"
    assert doc.articles[2].paragraphs == ["巡察组进驻后召开动员会。"]
    assert doc.counts()["编"] == 2 and doc.counts()["附则条数"] == 1


def test_large_chinese_numerals():
    from xuncha.numerals import int_to_cn
    body = "\n".join(f"第{int_to_cn(n)}条　内容{n}。" for n in range(1, 121))
    doc = split_regulation(src_of(HEAD + body))
    assert doc.articles[102].number == 103 and doc.articles[102].paragraphs == ["内容103。"]
    assert doc.articles[-1].number == 120


def test_reference_at_line_start_is_not_a_new_article():
    text = HEAD + "第一条　为了规范巡察工作，制定本规则。\n第二条　有下列情形的，依照\n第一条规定处理。\n第三条　本规则自发布之日起施行。"
    doc = split_regulation(src_of(text))
    assert [a.number for a in doc.articles] == [1, 2, 3]
    assert doc.articles[1].paragraphs == ["有下列情形的，依照第一条规定处理。"]


def test_pdf_page_furniture_and_wrapped_lines():
    doc = split_regulation(read_file(DATA / "banfa-pdftext.txt"), partial=False)
    assert len(doc.articles) == 12
    assert doc.removed == 5                       # two running headers, three page numbers
    assert doc.articles[3].paragraphs == ["县委巡察工作领导小组每轮巡察前审定巡察工作方案，明确巡察重点和进驻时间。"]
    assert doc.articles[2].paragraphs[1] == "（1）乡镇党委和政府领导班子及其成员；"
    assert doc.articles[10].chapter == "附则"
    assert [t for _, t in doc.tail] == ["中共**县委办公室", "2022年3月10日印发"]
    assert doc.articles[0].loc == "第 3 行"


def test_pdf_pages_headers_footers_removed_by_position():
    pages = [HEAD + "第一条　为了规范巡察工作，根据有关规定，\n制定本规则。\n第 1 页 共 3 页",
             "巡察工作示范规则\n第二条　巡察工作坚持党的全面领导，坚持\n实事求是。\n第 2 页 共 3 页",
             "巡察工作示范规则\n第三条　本规则自发布之日起施行。\n第 3 页 共 3 页"]
    doc = split_regulation(src_of("", fmt="pdf", pages=pages))
    assert doc.title == "巡察工作示范规则"
    assert [a.text for a in doc.articles] == ["为了规范巡察工作，根据有关规定，制定本规则。",
                                              "巡察工作坚持党的全面领导，坚持实事求是。", "本规则自发布之日起施行。"]
    assert doc.removed == 5


def test_running_header_in_text_without_page_breaks():
    body = "\n".join(f"第{c}条　内容{i}。\n示范规则（内部资料）" for i, c in enumerate("一二三四五", 1))
    doc = split_regulation(src_of(HEAD + body))
    assert all("示范规则" not in a.text for a in doc.articles)


def test_spaces_between_characters_from_pdf_extraction():
    text = HEAD + "第 一 条 为 了 规 范 巡 察 工 作 ， 制 定 本 规 则 。\n第 二 条 本 规 则 自 发 布 之 日 起 施 行 。"
    doc = split_regulation(src_of(text))
    assert [a.text for a in doc.articles] == ["为了规范巡察工作，制定本规则。", "本规则自发布之日起施行。"]


def test_numbering_jump_names_file_and_line():
    msg = str(pytest.raises(ImportFileError, split_regulation, read_file(DATA / "jump.txt")).value)
    assert msg == ("jump.txt 第 14 行：条号不连续：第十条之后是第十二条，缺少第十一条。"
                   "请对照原件检查是否漏页、漏段（PDF 转换常见）；如确为节选，可加 --partial 导入")


def test_numbering_jump_allowed_for_an_excerpt():
    doc = split_regulation(read_file(DATA / "jump.txt"), partial=True)
    assert [a.number for a in doc.articles][-3:] == [10, 12, 13]
    assert any("缺少第十一条" in w for w in doc.warnings)


def test_repeated_article_number():
    msg = split_err(HEAD + "第一条　甲。\n第二条　乙。\n第二条　丙。")
    assert msg.startswith("t.txt 第 5 行：条号重复或顺序错乱：第二条之后又出现第二条")


def test_first_article_missing():
    assert split_err(HEAD + "第三条　甲。\n第四条　乙。").startswith("t.txt 第 3 行：第一个条文是第三条，不是第一条")


def test_chapter_jump():
    msg = split_err(HEAD + "第一章　总则\n第一条　甲。\n第三章　附则\n第二条　乙。")
    assert msg.startswith("t.txt 第 5 行：章号不连续：第一章之后是第三章 附则")


def test_truncated_text():
    msg = str(pytest.raises(ImportFileError, split_regulation, read_file(DATA / "truncated.txt")).value)
    assert msg.startswith("truncated.txt 第 6 行：文件在第三条中间结束")
    assert "可能被截断" in msg


def test_article_number_without_text_at_the_end():
    assert "只有条号没有内容" in split_err(HEAD + "第一条　甲。\n第二条")


def test_not_a_regulation():
    msg = str(pytest.raises(ImportFileError, split_regulation, read_file(DATA / "notice.txt")).value)
    assert msg == ("notice.txt：没有找到任何条文（「第一条」「第二条」……），这不像一份法规或制度文件。"
                   "讲话、经验材料等学习材料请用 xuncha import --material 导入")


def test_attachment_after_the_last_article_is_not_imported():
    text = HEAD + "第一条　甲。\n第二条　乙。\n附件：巡察工作底稿\n第一条　底稿的第一项。"
    doc = split_regulation(src_of(text))
    assert len(doc.articles) == 2 and "附件" in doc.tail[0][1]
    assert any("附件" in w for w in doc.warnings)


def test_web_page_footer_is_cut():
    text = HEAD + "第一条　甲。\n第二条　本规则自发布之日起施行。\n责任编辑：***\n网站地图"
    doc = split_regulation(src_of(text))
    assert doc.articles[-1].paragraphs == ["本规则自发布之日起施行。"]


def test_page_number_patterns():
    lines = [("1", t, 0) for t in ("— 3 —", "- 12 -", "第 3 页", "第3页 共9页", "3/9", "12", "第三条　正文。")]
    kept, removed = remove_furniture(lines)
    assert [t for _, t, _ in kept] == ["第三条　正文。"] and removed == 6


def test_clauses_helper():
    assert clauses("甲款：\n（一）项一；\n（二）项二。\n乙款。") == [
        {"text": "甲款：", "items": ["（一）项一；", "（二）项二。"]}, {"text": "乙款。", "items": []}]


def test_heading_number_and_title_on_separate_lines():
    doc = split_regulation(src_of(HEAD + "第一章\n\n总　　则\n第一条　甲。\n第二章\n附　　则\n第二条　乙。"))
    assert [h.title for h in doc.headings] == ["第一章 总则", "第二章 附则"]
    assert doc.articles[1].chapter == "第二章 附则"


def test_table_of_contents_with_page_numbers():
    text = HEAD + "目　录\n第一章　总则……………………1\n第二章　附则……………………3\n第一章　总　　则\n第一条　甲。\n第二章　附　　则\n第二条　乙。"
    doc = split_regulation(src_of(text))
    assert [a.chapter for a in doc.articles] == ["第一章 总则", "第二章 附则"]
    assert [h.title for h in doc.headings] == ["第一章 总则", "第二章 附则"]
