import pytest

from xuncha.numerals import arabize_refs, cn_to_int, int_to_cn


@pytest.mark.parametrize("text,n", [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("一百", 100), ("一百零三", 103),
                                     ("一百一十三", 113), ("一百五十八", 158), ("一〇三", 103), ("两百", 200), ("103", 103)])
def test_cn_to_int(text, n):
    assert cn_to_int(text) == n


def test_cn_to_int_rejects_words():
    assert cn_to_int("条例") is None
    assert cn_to_int("") is None


@pytest.mark.parametrize("n", list(range(1, 400)))
def test_round_trip(n):
    assert cn_to_int(int_to_cn(n)) == n


def test_citation_forms():
    assert int_to_cn(10) == "十"
    assert int_to_cn(110) == "一百一十"
    assert int_to_cn(103) == "一百零三"


def test_arabize_refs_only_touches_references():
    assert arabize_refs("纪律处分条例第一百零三条和第三章，一把手") == "纪律处分条例第103条和第3章，一把手"
