import pytest

from xuncha.analysis import QueryAnalyzer, build_t2s_table, index_terms, normalize, set_t2s


def terms(text):
    return [t for t, _, _ in index_terms(text)]


@pytest.mark.parametrize("term", ["三重一大", "一岗双责", "八项规定", "四风", "村监委会", "两个维护", "公车私用", "问题底稿"])
def test_domain_terms_stay_whole(term):
    assert term in terms(f"巡察发现该单位{term}方面存在问题")


def test_search_mode_also_indexes_parts():
    got = terms("违反三重一大决策制度")
    assert "三重一大" in got and "三重" in got


def test_article_numbers_in_both_numeral_systems():
    assert "103" in terms("纪律处分条例第一百零三条")
    assert "103" in terms("纪律处分条例第103条")


def test_single_digit_tokens_are_kept():
    assert "3" in terms("第三条")
    assert "3" in terms("第3条")


def test_normalize_full_width_and_traditional():
    set_t2s(build_t2s_table())
    assert normalize("公務車輛　ＡＢＣ１２３") == "公务车辆 abc123"
    assert normalize("第一百零三條") == "第103条"


def test_normalize_strips_control_characters():
    assert "\x00" not in normalize("公车\x00私用\u200b")


def test_query_analyzer_uses_vocabulary_and_synonyms():
    qa = QueryAnalyzer(frozenset({"公车", "私用", "公务用车", "公务", "用车", "报销"}), [["公务用车", "公车"]])
    w = qa.terms("公车私用")
    assert w["公车"] == 1.0 and w["私用"] == 1.0
    assert w["公务用车"] == 0.5          # synonym expansion, lower weight
    assert "车" not in w                 # single characters are not used when words match


def test_query_analyzer_never_fails_on_junk():
    qa = QueryAnalyzer(frozenset({"公车"}))
    for q in ["", "   ", "AND", '"', "*", "((", "\x00\x01", "公" * 5000, "🙂🙂"]:
        assert isinstance(qa.terms(q), dict)
