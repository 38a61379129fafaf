import pytest


def ids(hits):
    return [h["id"] for h in hits]


def test_article_reference_in_chinese_numerals(built_kb):
    hits = built_kb.search("纪律处分条例第一百一十三条")
    assert hits[0]["id"] == "jilv-2023#113"
    assert hits[0]["citation"] == "《中国共产党纪律处分条例》（2023年修订）第一百一十三条"


@pytest.mark.parametrize("q", ["第113条", "113条", "jilv-2023#113", "處分條例第一百一十三條", "党纪处分条例 第113条"])
def test_article_reference_forms(built_kb, q):
    assert built_kb.search(q)[0]["id"] == "jilv-2023#113"


def test_old_version_number_maps_to_current(built_kb):
    hits = built_kb.search("纪律处分条例（2018年修订）第103条")
    assert hits[0]["id"] == "jilv-2023#113"
    assert any("对应" in n for n in hits.notes)


def test_missing_article_gets_a_note(built_kb):
    hits = built_kb.search("纪律处分条例第200条")
    assert not hits or hits[0]["id"] != "jilv-2023#200"
    assert any("没有第200条" in n for n in hits.notes)


def test_unverified_number_is_marked(built_kb):
    h = built_kb.search("第117条")[0]
    assert h["number_verified"] is False
    assert h["citation"].endswith("（条号待核）")


def test_problem_description_finds_article(built_kb):
    assert "jilv-2023#111" in ids(built_kb.search("村干部用公款报销私人加油费")[:3])


def test_synonyms_expand_everyday_words(built_kb):
    # 公车 is not in the article text; the synonym table maps it to 公务用车 / 公车私用
    assert built_kb.search("公车", kind="article")[0]["id"] == "jilv-2023#117"


def test_kind_and_regulation_filters(built_kb):
    assert set(h["kind"] for h in built_kb.search("报销", kind="finding")) == {"finding"}
    assert all(h["regulation"] == "sanzhong-2010" for h in built_kb.search("集体决策", regulation="sanzhong-2010"))
    assert all(h.get("status") == "现行有效" for h in built_kb.search("纪律处分条例", status="现行有效"))


def test_checklist_items_and_findings_carry_focus_and_links(built_kb):
    item = next(h for h in built_kb.search("报销凭证私人费用") if h["kind"] == "checklist_item")
    assert item["focus"] == "fubai" and item["basis"] == ["jilv-2023#111"]
    art = built_kb.get("jilv-2023#111")
    assert "cun-shequ-f01" in art["cited_by"]["checklist_items"]
    assert "f-cun-jiayoufei" in art["cited_by"]["findings"]
    assert "fubai" in art["focuses"]


def test_snippet_highlights_matches(built_kb):
    h = built_kb.search("加油票据")[0]
    assert "【" in h["snippet"]


@pytest.mark.parametrize("q", ['"公款', "AND", "公款 OR", "*", "title:公款", "((", ")", "~", "\x00", "a" * 10000, "🙂", ""])
def test_query_syntax_never_crashes(built_kb, q):
    assert isinstance(built_kb.search(q), list)


def test_did_you_mean(built_kb):
    hits = built_kb.search("公款吃和宴请xyz")
    hits2 = built_kb.search("吃和")
    assert hits2 == [] and any("吃喝" in s for s in hits2.suggestions)


def test_get_resolves_references_and_reports_unknown(built_kb):
    from xuncha import UnknownIdError
    assert built_kb.get("纪律处分条例第113条")["id"] == "jilv-2023#113"
    with pytest.raises(UnknownIdError) as e:
        built_kb.get("jilv-2023#999")
    assert "jilv-2023#99" not in str(e.value) or "您是不是要找" in str(e.value)


# ---- ranking on the shipped corpus: a small fixed set of inspector queries ---------------------

RANKING = [
    ("纪律处分条例第一百零三条", "jilv-2023#103", 1),
    ("第113条", "jilv-2023#113", 1),
    ("公款吃喝", "jilv-2023#113", 3),
    ("公车私用", "jilv-2023#117", 3),
    ("村干部用公款报销私人加油费", "jilv-2023#111", 5),
    ("滥发津贴补贴", "jilv-2023#114", 3),
    ("三重一大", "sanzhong-2010", 5),
    ("形式主义 层层加码", "jilv-2023#132", 3),
]


@pytest.mark.parametrize("query,expected,k", RANKING, ids=[r[0] for r in RANKING])
def test_ranking_on_shipped_corpus(real_kb, query, expected, k):
    got = [h["id"] for h in real_kb.search(query, limit=k)]
    if expected.count("#") == 0:
        got = [g.split("#")[0] for g in got]
    assert expected in got, got
