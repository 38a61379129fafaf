import shutil
from pathlib import Path

import pytest

from xuncha import InputError, KnowledgeBase

REPO = Path(__file__).resolve().parent.parent

CITABLE = {"article", "provision", "section"}


def ids(hits):
    return [h["id"] for h in hits]


def test_cite_returns_only_citable_entries_best_first(built_kb):
    hits = built_kb.cite("村支书用村集体资金报销私人车辆的加油费")
    assert hits and {h["kind"] for h in hits} <= CITABLE
    assert hits[0]["id"] == "jilv-2023#111"
    assert hits[0]["citation"] == "《中国共产党纪律处分条例》（2023年修订）第一百一十一条"


def test_cite_has_the_search_contract_plus_why(built_kb):
    h = built_kb.cite("公款吃喝")[0]
    for key in ("id", "kind", "title", "score", "snippet", "regulation", "article", "why"):
        assert key in h
    assert h["id"] == "jilv-2023#113" and h["article"] == 113
    assert "公款吃喝" in h["why"]["terms"]
    assert h["why"]["reference"] is None


def test_cite_says_which_findings_and_items_lent_weight(built_kb):
    h = built_kb.cite("报销私人加油费")[0]
    assert h["id"] == "jilv-2023#111"
    lenders = {x["id"] for x in h["why"]["linked"]}
    assert lenders & {"f-cun-jiayoufei", "cun-shequ-f01"}
    assert all(x["share"] > 0 for x in h["why"]["linked"])
    assert h["why"]["lent"] > 0


def test_cite_lists_focus_items_and_findings_with_titles(built_kb):
    h = next(h for h in built_kb.cite("公款吃喝") if h["id"] == "jilv-2023#113")
    assert "fubai" in h["focuses"]
    assert [f["id"] for f in h["findings"]] == ["f-xz-chihe"]
    assert h["findings"][0]["title"].startswith("**镇机关食堂")
    items = built_kb.cite("报销私人费用")[0]["checklist_items"]
    assert {"id": "cun-shequ-f01", "focus": "fubai"}.items() <= items[0].items() and items[0]["title"]


def test_cite_spelling_fix_and_traditional_characters(built_kb):
    h = built_kb.cite("公款吃和")[0]
    assert h["id"] == "jilv-2023#113"
    assert "公款吃和→公款吃喝" in h["why"]["synonyms"]
    assert built_kb.cite("公車私用")[0]["id"] == "jilv-2023#117"


def test_cite_article_reference_and_old_number(built_kb):
    h = built_kb.cite("纪律处分条例第一百一十三条")[0]
    assert h["id"] == "jilv-2023#113" and h["why"]["reference"] == "条号匹配"
    old = built_kb.cite("纪律处分条例（2018年修订）第103条")
    assert old[0]["id"] == "jilv-2023#113" and old[0]["why"]["reference"] == "旧版条号对应"


def test_cite_date_before_new_version_shows_old_citation(built_kb):
    hits = built_kb.cite("公款吃喝", date="2022-05-01")
    h = next(h for h in hits if h["id"] == "jilv-2023#113")
    assert h["then"]["in_force"] is False and h["then"]["regulation"] == "jilv-2018"
    assert h["then"]["citation"] == "《中国共产党纪律处分条例》（2018年修订）第一百零三条（条号待核）"
    assert h["then"]["verified"] is False
    assert any("2018年修订" in n and "从旧兼从轻" in n for n in hits.notes)


def test_cite_date_without_old_mapping_says_so(built_kb):
    h = next(h for h in built_kb.cite("报销私人费用", date="2020-01-01") if h["id"] == "jilv-2023#111")
    assert "citation" not in h["then"] and "对应的条号" in h["then"]["note"]


def test_cite_date_after_new_version_needs_no_note(built_kb):
    hits = built_kb.cite("公款吃喝", date="2024-06-30")
    assert hits[0]["id"] == "jilv-2023#113" and hits[0]["then"] == {"in_force": True}
    assert not hits.notes


def test_cite_date_before_every_version(built_kb):
    hits = built_kb.cite("公款吃喝", date="1999-01-01")
    assert hits[0]["then"]["in_force"] is False and "尚未施行" in hits[0]["then"]["note"]
    assert any("当时尚未施行" in n for n in hits.notes)


@pytest.fixture
def two_versions_kb(tmp_corpus):
    """The sample corpus plus both 问责条例 versions of the shipped corpus (the old one has articles)."""
    for name in ("wenze-2016", "wenze-2019"):
        shutil.copy(REPO / "regulations" / f"{name}.yaml", tmp_corpus / "regulations" / f"{name}.yaml")
    kb = KnowledgeBase.open(tmp_corpus, notify=None)
    yield kb
    kb.close()


def test_cite_prefers_the_version_in_force(two_versions_kb):
    kb = two_versions_kb
    assert kb.cite("问责方式")[0]["regulation"] == "wenze-2019"          # 现行有效 first
    then = kb.cite("问责方式", date="2018-03-01")
    assert then[0]["regulation"] == "wenze-2016"                      # the version in force then
    assert then[0]["then"] == {"in_force": True}
    newer = next(h for h in then if h["regulation"] == "wenze-2019")
    assert newer["then"]["in_force"] is False and newer["then"]["regulation"] == "wenze-2016"
    assert kb.cite("问责方式", date="2021-03-01")[0]["regulation"] == "wenze-2019"


def test_cite_filters(built_kb):
    assert {h["regulation"] for h in built_kb.cite("接待", regulation="baxiang-2012")} == {"baxiang-2012"}
    assert all("fubai" in h["focuses"] for h in built_kb.cite("报销", focus="fubai"))
    assert all(h["status"] == "现行有效" for h in built_kb.cite("公款", status="现行有效"))


@pytest.mark.parametrize("kw,msg", [({"problem": ""}, "问题描述为空"), ({"problem": " \n\t"}, "问题描述为空"),
                                    ({"problem": "公车", "date": "2022-13-01"}, "无法识别"),
                                    ({"problem": "公车", "date": "去年"}, "YYYY-MM-DD"),
                                    ({"problem": "公车", "focus": "caiwu"}, "聚焦"),
                                    ({"problem": "公车", "status": "有效"}, "效力状态"),
                                    ({"problem": "公车", "regulation": "jilv-1999"}, "jilv-1999")])
def test_cite_bad_input_raises_input_error(built_kb, kw, msg):
    with pytest.raises(InputError) as e:
        built_kb.cite(**kw)
    assert msg in str(e.value)


def test_cite_accepts_other_date_spellings(built_kb):
    for d in ("2022/5/1", "2022.05.01", "2022年5月1日"):
        assert built_kb.cite("公款吃喝", date=d)[0]["then"]["regulation"] == "jilv-2018"


@pytest.mark.parametrize("q", ["\x00\x01", "🙂🙂", "AND OR (", "a" * 20000, "第", "條"])
def test_cite_never_crashes_on_junk(built_kb, q):
    hits = built_kb.cite(q)
    assert isinstance(hits, list)


def test_cite_long_input_is_truncated_with_a_note(built_kb):
    hits = built_kb.cite("公款吃喝" + "。" * 6000)
    assert hits[0]["id"] == "jilv-2023#113"
    assert any("只按前 2000 字" in n for n in hits.notes)


def test_cite_nothing_found_suggests(built_kb):
    hits = built_kb.cite("吃和")
    assert hits == [] and any("吃喝" in s for s in hits.suggestions)


# ---- the shipped corpus --------------------------------------------------------------------------

def test_cite_inspector_problem_on_shipped_corpus(real_kb):
    hits = real_kb.cite("***镇党委2022年以来多次使用公务车辆接送领导家属", date="2022-06-30", limit=3)
    h = hits[0]
    assert h["id"] == "jilv-2023#117"
    assert h["then"]["citation"].startswith("《中国共产党纪律处分条例》（2018年修订）第一百零七条")
    assert {"guoqi-f06", "xiangzhen-f02", "xianzhi-f01"} <= {x["id"] for x in h["checklist_items"]}


def test_cite_date_after_an_old_version_was_replaced(two_versions_kb):
    hits = two_versions_kb.cite("问责方式", date="2022-01-01", regulation="wenze-2016")
    assert hits and hits[0]["then"]["in_force"] is False and "不再施行" in hits[0]["then"]["note"]
    assert any("当时已被取代" in n for n in hits.notes)
