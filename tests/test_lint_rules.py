"""Each lint rule fires on a draft with its defect and stays silent on the good drafts."""
from pathlib import Path

import pytest

from xuncha.drafting import lint, lint_file

DRAFTS = Path(__file__).parent / "data" / "drafts"
TODAY = "2025-06-30"
GOOD = ("good.yaml", "good.md", "good.txt")


def run(name, kb, **kw):
    return lint_file(DRAFTS / name, kb, today=TODAY, **kw)


def by_rule(issues, rule):
    return [i for i in issues if i["rule"] == rule]


@pytest.mark.parametrize("name, rule, severity, excerpt", [
    ("no-basis.txt", "missing-basis", "error", "违反了有关规定"),
    ("regulation-only.md", "missing-basis", "warning", "《中国共产党纪律处分条例》"),
    ("unknown-article.md", "unknown-article", "error", "《中国共产党纪律处分条例》第二百条"),
    ("old-version.txt", "unknown-article", "error", "《中国共产党纪律处分条例》（2018年修订）第一百零三条"),
    ("no-subject.txt", "missing-subject", "error", "2023年全年共报销加油费3.2万元"),
    ("vague-subject.md", "missing-subject", "warning", "有的干部"),
    ("no-time.md", "missing-time", "error", "XX局办公室"),
    ("vague-time.txt", "missing-time", "warning", "近年来"),
    ("no-detail.md", "missing-fact-detail", "warning", "2022年至2023年"),
    ("vague.txt", "vague-wording", "warning", "个别"),
    ("political-missing.yaml", "no-political-angle", "warning", "设备管理不善"),
])
def test_rule_fires_on_its_defect(built_kb, name, rule, severity, excerpt):
    hits = by_rule(run(name, built_kb), rule)
    assert hits, f"{rule} did not fire on {name}"
    assert hits[0]["severity"] == severity
    assert hits[0]["excerpt"].startswith(excerpt)
    assert hits[0]["message"] and hits[0]["hint"]


@pytest.mark.parametrize("name", GOOD)
def test_good_drafts_trigger_nothing(built_kb, name):
    assert run(name, built_kb) == []


def test_old_version_hint_names_the_current_article(built_kb):
    hit = by_rule(run("old-version.txt", built_kb), "unknown-article")[0]
    assert "第一百一十三条" in hit["message"] and "2024年1月1日" in hit["message"]


def test_old_version_is_fine_for_conduct_before_the_new_version(built_kb):
    text = (DRAFTS / "old-version.txt").read_text(encoding="utf-8").replace("2024年", "2022年")
    assert by_rule(lint(text, built_kb, today=TODAY), "unknown-article") == []


def test_old_version_across_the_change_is_a_warning(built_kb):
    text = (DRAFTS / "old-version.txt").read_text(encoding="utf-8").replace("2024年3月至", "2023年10月至")
    hits = by_rule(lint(text, built_kb, today=TODAY), "unknown-article")
    assert [h["severity"] for h in hits] == ["warning"]


def test_unverifiable_citations_are_warnings(built_kb):
    text = (DRAFTS / "good.md").read_text(encoding="utf-8").replace(
        "《中国共产党纪律处分条例》第一百一十三条", "《中华人民共和国刑法》第三百八十二条")
    hits = by_rule(lint(text, built_kb, today=TODAY), "unknown-article")
    assert [h["severity"] for h in hits] == ["warning"] and "未收录" in hits[0]["message"]
    # an article the corpus does not hold (number within the regulation's range)
    text2 = (DRAFTS / "good.md").read_text(encoding="utf-8").replace("第一百一十三条", "第一百一十四条")
    assert [h["severity"] for h in by_rule(lint(text2, built_kb, today=TODAY), "unknown-article")] == ["warning"]


def test_unknown_record_id_is_an_error(built_kb):
    text = (DRAFTS / "good.yaml").read_text(encoding="utf-8").replace("jilv-2023#111", "jilv-2019#111")
    hits = by_rule(lint(text, built_kb, today=TODAY), "unknown-article")
    assert hits and hits[0]["severity"] == "error" and "jilv-2019" in hits[0]["message"]


def test_dangling_article_number_is_a_missing_basis_warning(built_kb):
    text = (DRAFTS / "no-detail.md").read_text(encoding="utf-8").replace("《中国共产党纪律处分条例》", "")
    hits = by_rule(lint(text, built_kb, today=TODAY), "missing-basis")
    assert [h["severity"] for h in hits] == ["warning"] and "哪部法规" in hits[0]["message"]


def test_naming_only_a_regulation_is_a_warning(built_kb):
    text = (DRAFTS / "no-basis.txt").read_text(encoding="utf-8").replace("违反了有关规定", "违反中央八项规定精神")
    hits = by_rule(lint(text, built_kb, today=TODAY), "missing-basis")
    assert [h["severity"] for h in hits] == ["warning"] and "第二项" in hits[0]["hint"]
    text2 = text.replace("违反中央八项规定精神", "违反中央八项规定第二项")
    assert by_rule(lint(text2, built_kb, today=TODAY), "missing-basis") == []


def test_future_date_is_a_warning(built_kb):
    text = (DRAFTS / "good.txt").read_text(encoding="utf-8").replace("2024年5月", "2027年5月")
    hits = by_rule(lint(text, built_kb, today=TODAY), "missing-time")
    assert [h["severity"] for h in hits] == ["warning"] and "晚于今天" in hits[0]["message"]


def test_relative_time_is_resolved_against_today(built_kb):
    text = (DRAFTS / "good.txt").read_text(encoding="utf-8").replace("2023年2月至2024年5月", "去年2月至今年5月")
    hits = by_rule(lint(text, built_kb, today="2025-06-30"), "missing-time")
    assert hits[0]["severity"] == "warning" and "2024年" in hits[0]["hint"]


def test_vague_wording_backed_by_a_fact_is_fine(built_kb):
    text = ("【事实】2023年4月至9月，**镇滞留补贴5个月，部分农户的补贴被少发，其中13户少发0.71万元；"
            "财政所所长葛某为直接责任人。\n【依据】《中国共产党纪律处分条例》第一百一十一条")
    assert by_rule(lint(text, built_kb, today=TODAY), "vague-wording") == []


def test_no_political_angle_only_for_the_political_focus(built_kb):
    text = (DRAFTS / "political-missing.yaml").read_text(encoding="utf-8").replace("focus: juece", "focus: fubai")
    assert by_rule(lint(text, built_kb, today=TODAY), "no-political-angle") == []


def test_no_political_angle_in_markdown_focus_line(built_kb):
    text = ("# ***村集市周边没有公厕\n\n聚焦：党中央决策部署在基层落实情况\n\n## 事实\n\n2023年***村集市周边没有公厕，"
            "3次列入计划未实施，1.5万元建设资金闲置。\n\n## 定性\n\n项目拖延，资金闲置。\n\n## 依据\n\n"
            "《中国共产党纪律处分条例》第一百一十一条\n")
    assert by_rule(lint(text, built_kb, today=TODAY), "no-political-angle")
    fixed = text.replace("项目拖延，资金闲置。", "贯彻落实党中央关于厕所革命的决策部署不到位。")
    assert by_rule(lint(fixed, built_kb, today=TODAY), "no-political-angle") == []


# ---- rules that need the whole corpus (search quality) --------------------------------------------

def test_weak_basis_flags_an_article_that_does_not_fit(real_kb):
    good = (DRAFTS / "good.yaml").read_text(encoding="utf-8")
    assert by_rule(lint(good, real_kb, today=TODAY), "weak-basis") == []
    wrong = good.replace("jilv-2023#111", "jilv-2023#151")  # 不正当性关系: nothing to do with fuel receipts
    hits = by_rule(lint(wrong, real_kb, today=TODAY), "weak-basis")
    assert hits and hits[0]["excerpt"] == "jilv-2023#151" and hits[0]["severity"] == "warning"


def test_weak_basis_in_free_text_citation(real_kb):
    text = (DRAFTS / "good.txt").read_text(encoding="utf-8").replace("纪律处分条例第117条", "纪律处分条例第82条")
    assert by_rule(lint(text, real_kb, today=TODAY), "weak-basis")
    assert by_rule(lint((DRAFTS / "good.txt").read_text(encoding="utf-8"), real_kb, today=TODAY), "weak-basis") == []


def test_corpus_findings_are_clean_of_errors(real_kb):
    """The shipped findings are written as good drafts: no error-level issue on any of them."""
    root = Path(__file__).parent.parent / "findings"
    for p in sorted(root.glob("*.yaml")):
        errors = [i for i in lint_file(p, real_kb, today="2026-06-30") if i["severity"] == "error"]
        assert errors == [], p.name
