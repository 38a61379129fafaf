"""Recognising which regulation and version an imported text is."""
from pathlib import Path

import pytest

from xuncha.importer import ImportFileError
from xuncha.importer.detect import detect, doc_dates, guess_kind, parse_dates_line
from xuncha.importer.readers import read_file
from xuncha.importer.split import Article, Document, split_regulation
from xuncha.records import load_kind

HERE = Path(__file__).parent
DATA = HERE / "data" / "import"
REPO = HERE.parent


@pytest.fixture(scope="module")
def shipped():
    """The shipped corpus's regulations plus the two invented test versions."""
    regs, _ = load_kind(REPO, "regulation")
    test_regs, _ = load_kind(DATA / "corpus", "regulation")
    return dict(regs, **test_regs)


def doc(title, dates_line=None, last_text="本规则自发布之日起施行。"):
    d = Document("t.txt", title=title, title_loc="第 1 行", dates_line=dates_line)
    a = Article(1, "第 3 行")
    a.paragraphs = [last_text]
    d.articles = [a]
    return d


def test_dates_line_with_history():
    line = "（2003年12月31日中共中央发布　2015年10月12日中共中央修订　2023年12月8日中共中央政治局会议审议批准　2023年12月19日中共中央发布）"
    ev = parse_dates_line(line)
    assert [e[:2] for e in ev] == [("2003-12-31", "published"), ("2015-10-12", "adopted"),
                                    ("2023-12-08", "adopted"), ("2023-12-19", "published")]
    assert doc_dates(doc("x", line))["published"] == "2023-12-19"


def test_chinese_numeral_dates_and_effective_article():
    d = doc("x", "（二〇二二年三月一日中共**县委印发）", last_text="本办法自2022年4月1日起施行。")
    assert doc_dates(d) == {"adopted": None, "published": "2022-03-01", "effective": "2022-04-01",
                            "all": ["2022-03-01", "2022-04-01"]}


def test_version_from_dates_line(shipped):
    line = "（2003年12月31日中共中央发布　2018年8月18日中共中央修订　2023年12月8日中共中央政治局会议审议批准　2023年12月19日中共中央发布）"
    assert detect(doc("中国共产党纪律处分条例", line), shipped).id == "jilv-2023"
    line = "（2003年12月31日中共中央发布　2015年10月12日中共中央修订　2018年8月18日中共中央修订）"
    assert detect(doc("中国共产党纪律处分条例", line), shipped).id == "jilv-2018"


def test_fixture_versions(shipped):
    for name, rid in (("shifan-2023.txt", "shifan-2023"), ("shifan-2019.txt", "shifan-2019")):
        det = detect(split_regulation(read_file(DATA / name)), shipped)
        assert (det.id, det.local, det.how) == (rid, False, "标题和日期行")


def test_several_versions_and_no_dates_line(shipped):
    with pytest.raises(ImportFileError) as e:
        detect(doc("中国共产党纪律处分条例"), shipped)
    assert "有多个版本（jilv-2018、jilv-2023）" in str(e.value) and "--as jilv-2023" in str(e.value)


def test_version_not_in_corpus(shipped):
    with pytest.raises(ImportFileError) as e:
        detect(doc("巡察工作示范规则", "（2016年5月1日**市委发布）"), shipped)
    assert "2016 年的版本" in str(e.value) and "2019、2023" in str(e.value)


def test_unknown_title_suggests_as(shipped):
    with pytest.raises(ImportFileError) as e:
        detect(doc("**县巡察工作实施办法", "（2022年3月10日中共**县委印发）"), shipped)
    msg = str(e.value)
    assert msg.startswith("t.txt 第 1 行：语料中没有《**县巡察工作实施办法》") and "--as" in msg


def test_no_title(shipped):
    with pytest.raises(ImportFileError) as e:
        detect(doc(None), shipped)
    assert "没有找到标题" in str(e.value)


def test_as_shipped_id_with_other_title_is_noted(shipped):
    det = detect(doc("巡察工作示范规则", "（2023年7月1日**市委发布）"), shipped, as_id="jilv-2023")
    assert det.id == "jilv-2023" and not det.local
    assert any("不一致" in n for n in det.notes)


def test_as_new_id_makes_local_regulation(shipped):
    det = detect(doc("**县巡察工作实施办法", "（2022年3月1日中共**县委常委会会议审议通过　2022年3月10日中共**县委印发）"),
                 shipped, as_id="xian-banfa-2022")
    assert det.local and det.meta == {
        "title": "**县巡察工作实施办法", "short_title": "**县巡察工作实施办法", "kind": "办法", "issuer": "中共**县委",
        "version_label": "2022年", "dates": {"adopted": "2022-03-01", "published": "2022-03-10", "effective": None}}


@pytest.mark.parametrize("bad", ["Xian-2022", "xian_banfa-2022", "xian-banfa", "县办法-2022"])
def test_as_id_format(shipped, bad):
    with pytest.raises(ImportFileError) as e:
        detect(doc("某办法"), shipped, as_id=bad)
    assert "格式不对" in str(e.value)


def test_guess_kind():
    assert [guess_kind(t) for t in ("**县巡察工作实施办法", "**局巡察工作实施细则", "某某规定（试行）", "内部管理要求")] == [
        "办法", "实施细则", "规定", "内部制度"]


def test_dates_line_wrapped_over_two_lines(shipped):
    from xuncha.importer.readers import Line, Source
    text = ("中共中央印发《中国共产党纪律处分条例》\n近日，中共中央印发了修订后的条例，并发出通知。\n中国共产党纪律处分条例\n"
            "（2003年12月31日中共中央发布　2015年10月12日中共中央修订\n2018年8月18日中共中央修订　2023年12月8日中共中央政治局会议审议批准"
            "　2023年12月19日中共中央发布）\n第一条　测试用的第一条。\n第二条　本条例自2024年1月1日起施行。")
    src = Source(Path("t.txt"), "t.txt", "txt", "0" * 64, 1, [Line(f"第 {i} 行", t) for i, t in enumerate(text.split("\n"), 1)])
    d = split_regulation(src)
    assert d.title == "中国共产党纪律处分条例" and d.dates_line.endswith("2023年12月19日中共中央发布）")
    assert doc_dates(d)["effective"] == "2024-01-01"
    assert detect(d, shipped).id == "jilv-2023"
