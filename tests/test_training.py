"""Grading, checks, score store, chart and display helpers of xuncha.training."""
import json

import pytest

from xuncha.errors import InputError
from xuncha.training import TODO, Check, ExerciseFailed, Grader, ScoreStore, checks as C, is_blank, plot_scores
from xuncha.training.grading import AnswerFormatError, grade_answer, grade_choice, normalize_choice
from xuncha.training.scores import notebook_rows, read_scores
from xuncha.training.view import hits_table, record


@pytest.fixture
def grader(built_kb):
    return Grader("99-测试", kb=built_kb, store=None, strict=False)


# ---- blanks and partial credit ----------------------------------------------------------------

@pytest.mark.parametrize("value", [TODO, None, ..., "", "  \n ", [], ["", " "], {"a": "", "b": TODO}, {}])
def test_blank_answers(value):
    assert is_blank(value)


@pytest.mark.parametrize("value", ["x", ["", "y"], {"a": "", "b": "z"}, 0, False])
def test_non_blank_answers(value):
    assert not is_blank(value)


def test_unfinished_answer_runs_no_check():
    calls = []
    r = grade_answer("1.1", TODO, [Check("a", lambda a, g: calls.append(a) or True, points=2)], hidden=1)
    assert r.status == "未完成" and r.points == 0 and r.max_points == 2 and r.hidden_pending == 1
    assert calls == [] and "还没有作答" in str(r)


def test_partial_credit_per_check():
    r = grade_answer("1.1", "甲乙", [C.mentions("有甲", "甲", points=2), C.mentions("有丙", "丙", hint="写丙")])
    assert (r.points, r.max_points, r.status) == (2, 3, "部分通过")
    text = str(r)
    assert "✔ 有甲（2/2 分）" in text and "✘ 有丙（0/1 分）" in text and "提示：写丙" in text
    assert "还没有写到：丙" in text


def test_all_failed_status():
    r = grade_answer("1.1", "甲", [C.mentions("有丙", "丙")])
    assert r.status == "未通过" and r.points == 0


def test_honest_wording_with_hidden_checks_not_run():
    """A trainee version without the hidden checks says 公开检查全部通过, never 全部正确."""
    r = grade_answer("1.1", "甲", [C.mentions("有甲", "甲")], hidden=2)
    assert r.status == "公开检查全部通过" and r.hidden_pending == 2
    assert "另有 2 分由隐藏检查评定" in str(r) and "全部正确" not in str(r)


def test_hidden_checks_present_run_and_count():
    r = grade_answer("1.1", "甲", [C.mentions("有甲", "甲"), C.hidden(C.mentions("有乙", "乙"))], hidden=1)
    assert r.hidden_pending == 0 and r.max_points == 2 and r.points == 1
    assert "（隐藏检查）" in str(r)


def test_all_passed_without_hidden():
    r = grade_answer("1.1", "甲", [C.mentions("有甲", "甲")])
    assert r.status == "自动检查全部通过" and r.complete


def test_broken_check_gives_hint_not_traceback():
    def boom(answer, grader):
        raise KeyError("x")
    r = grade_answer("1.1", "甲", [Check("坏检查", boom), C.mentions("有甲", "甲")])
    assert r.points == 1 and r.checks[0].error and not r.checks[0].passed
    assert "Traceback" not in str(r) and "检查未能完成" in str(r)


def test_wrong_answer_shape_is_explained():
    r = grade_answer("1.1", ["a", "b"], [C.filled("填了", "事实")])
    assert r.checks[0].error and "字典" in r.checks[0].detail
    r = grade_answer("1.1", {"别的": "x"}, [C.mentions("事实里有甲", "甲", field="事实")])
    assert "缺少「事实」" in r.checks[0].detail


def test_markdown_rendering():
    r = grade_answer("2.1", "甲", [C.mentions("有甲", "甲"), C.mentions("有乙", "乙", hint="写乙")])
    md = r._repr_markdown_()
    assert md.startswith("**练习 2.1 · 1/2 分 · 部分通过**")
    assert "- ✅ 有甲（1/1 分）" in md and "- ❌ 有乙（0/1 分）" in md and "    - 提示：写乙" in md


# ---- multiple choice --------------------------------------------------------------------------

@pytest.mark.parametrize("given,expected", [("b", {"B"}), ("（B）", {"B"}), ("B、D", {"B", "D"}), (["d", "b"], {"B", "D"}),
                                            ("Ｂ", {"B"})])
def test_normalize_choice(given, expected):
    assert normalize_choice(given) == expected


def test_choice_right_and_wrong_with_explanations():
    opts = {"A": "不对：甲", "B": "对：乙", "C": "不对：丙"}
    right = grade_choice("1.4", "b", opts, "B", points=2)
    assert right.status == "回答正确" and right.points == 2
    wrong = grade_choice("1.4", "A", opts, "B", points=2)
    assert wrong.status == "回答错误" and wrong.points == 0
    text = str(wrong)
    assert "A（你的选择）：不对：甲" in text and "✔ B：对：乙" in text and "C：不对：丙" in text


def test_choice_unknown_option_and_blank():
    r = grade_choice("1.4", "E", {"A": "", "B": ""}, "A")
    assert r.status == "未通过" and "没有选项「E」" in r.message
    assert grade_choice("1.4", "", {"A": ""}, "A").status == "未完成"
    assert grade_choice("1.4", 3, {"A": ""}, "A").status == "未通过"


def test_multi_select_needs_all():
    r = grade_choice("1.4", "B", {"A": "", "B": "", "C": ""}, "AB")
    assert r.points == 0 and "选全" in r.message


# ---- the grader -------------------------------------------------------------------------------

def test_strict_mode_raises_on_anything_less_than_full_marks(grader):
    grader.strict = True
    assert grader.grade("1.1", "甲", [C.mentions("有甲", "甲")]).complete
    with pytest.raises(ExerciseFailed, match="练习 1.2"):
        grader.grade("1.2", "甲", [C.mentions("有乙", "乙")])
    with pytest.raises(ExerciseFailed):
        grader.grade("1.3", TODO, [C.mentions("有乙", "乙")])


def test_strict_mode_from_environment(monkeypatch, built_kb):
    monkeypatch.setenv("XUNCHA_TRAINING_STRICT", "1")
    assert Grader("x", store=None).strict
    monkeypatch.setenv("XUNCHA_TRAINING_STRICT", "0")
    assert not Grader("x", store=None).strict


def test_summary_wording(grader):
    grader.grade("1.1", "甲", [C.mentions("有甲", "甲")], hidden=1)
    grader.choice("1.2", "A", {"A": "对", "B": "错"}, "A")
    s = grader.summary()
    assert (s.points, s.max_points, s.hidden_pending) == (2, 2, 1)
    assert s.verdict.startswith("公开检查全部通过") and "全部正确" not in str(s)
    assert "另有 1 分由隐藏检查评定" in s.headline
    grader.grade("1.3", "", [C.mentions("有甲", "甲")])
    assert "1 道练习未完成（1.3）" in grader.summary().verdict
    assert "| 1.3 | 0 | 1 | 未完成 |" in grader.summary()._repr_markdown_()


def test_grader_saves_scores(tmp_path, built_kb):
    store = ScoreStore(tmp_path / "s.json")
    g = Grader("01-测试", kb=built_kb, store=store, strict=False)
    g.grade("1.1", "甲", [C.mentions("有甲", "甲", points=2), C.mentions("有乙", "乙")])
    g.grade("1.1", "甲乙", [C.mentions("有甲", "甲", points=2), C.mentions("有乙", "乙")])
    ex = store.load()["notebooks"]["01-测试"]["exercises"]["1.1"]
    assert ex["points"] == 3 and ex["attempts"] == 2 and ex["best"] == 3 and ex["status"] == "自动检查全部通过"


def test_unwritable_store_does_not_stop_the_exercise(tmp_path, built_kb):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    g = Grader("01", store=ScoreStore(blocker / "sub" / "s.json"), strict=False)
    r = g.grade("1.1", "甲", [C.mentions("有甲", "甲")])
    assert r.points == 1 and "成绩未能保存" in str(r)


# ---- checks -----------------------------------------------------------------------------------

def test_mentions_normalises_unless_exact():
    t = "违反第一百一十三条"
    assert C.mentions("x", "第113条").test(t, None)[0]
    assert not C.mentions("x", "第113条", exact=True).test(t, None)[0]
    assert C.mentions("x", ("甲", "第113条"), "违反").test(t, None)[0]
    ok, detail = C.mentions("x", "甲", "乙", need=1).test("乙", None)
    assert ok and detail == ""


def test_avoids_and_lengths():
    ok, detail = C.avoids("不许诺", "保证", "一定处理").test("我们保证一定处理", None)
    assert not ok and "「保证」" in detail
    assert C.min_chars("够长", 5).test("一二三四五", None)[0]
    assert not C.min_chars("够长", 6).test("一二三四五", None)[0]
    assert not C.max_chars("不长", 3).test("一二三四五", None)[0]


def test_structure_checks():
    assert C.filled("x", "a", "b").test({"a": "1", "b": "2"}, None)[0]
    ok, detail = C.filled("x", "a", "b").test({"a": "1", "b": " "}, None)
    assert not ok and "b" in detail
    assert C.at_least("x", 2).test(["a", "", "b"], None)[0]
    assert not C.at_least("x", 3).test("a\n\nb", None)[0]
    assert C.includes("x", "k2").test(["k1", " k2 "], None)
    assert C.order("x", "工作", "线索").test(["先谈工作", "再问线索"], None)[0]
    ok, detail = C.order("x", "工作", "线索").test(["先问线索", "再谈工作"], None)
    assert not ok and "之前" in detail
    with pytest.raises(AnswerFormatError):
        C.at_least("x", 1).test([1, 2], None)


def test_mapping_gives_one_check_per_key():
    checks = C.mapping({"甲": ("决策部署", "juece"), "乙": "整改落实"}, label="问题{key}")
    r = grade_answer("2.1", {"甲": "JUECE", "乙": "腐败作风"}, checks)
    assert [c.passed for c in r.checks] == [True, False] and r.checks[1].label == "问题乙"


def test_cited_articles_resolves_names_numbers_and_followups(built_kb):
    text = "依据《中国共产党纪律处分条例》（2023年修订）第一百一十一条、第113条。另见jilv-2023#117。"
    assert C.cited_articles(text, built_kb) == ["jilv-2023#117", "jilv-2023#111", "jilv-2023#113"]
    assert C.cited_articles("纪律处分条例第111条", built_kb) == ["jilv-2023#111"]
    assert C.cited_articles("第111条", built_kb) == []  # no regulation named


def test_cites_and_cites_current(grader):
    ok = grade_answer("1.5", "违反了《中国共产党纪律处分条例》第一百一十一条", [
        C.cites("依据", "jilv-2023#111"), C.cites_current("现行")], grader=grader)
    assert ok.points == 2
    bad = grade_answer("1.5", "违反了纪律处分条例第117条", [C.cites("依据", "jilv-2023#111")], grader=grader)
    assert not bad.checks[0].passed and "jilv-2023#117" in bad.checks[0].detail
    none = grade_answer("1.5", "违反了有关规定", [C.cites("依据", "jilv-2023#111")], grader=grader)
    assert "没有找到引用的条款" in none.checks[0].detail


def test_cites_current_flags_superseded_version(grader):
    r = grade_answer("1.5", "jilv-2018#103", [C.cites_current("现行")], grader=grader)
    assert not r.checks[0].passed


def test_no_lint_uses_the_graders_linter():
    class FakeGrader:
        def lint(self, text):
            return [{"rule": "vague-wording", "severity": "warning", "message": "表述笼统", "start": 0, "end": 2,
                     "hint": "写具体"}] if "个别" in text else []
    ok = grade_answer("5.1", "***村", [C.no_lint("不笼统", "vague-wording")], grader=FakeGrader())
    bad = grade_answer("5.1", "个别村干部", [C.no_lint("不笼统", "vague-wording")], grader=FakeGrader())
    assert ok.points == 1 and bad.points == 0
    assert "表述笼统：「个别」（写具体）" in bad.checks[0].detail and bad.checks[0].rule == "vague-wording"


# ---- score store and chart --------------------------------------------------------------------

def test_store_roundtrip_and_rows(tmp_path):
    store = ScoreStore(tmp_path / "scores.json")
    g = Grader("02-乙", store=store, strict=False)
    g.grade("2.1", "甲", [C.mentions("有甲", "甲"), C.mentions("有乙", "乙")], hidden=1)
    Grader("01-甲", store=store, strict=False).grade("1.1", TODO, [C.mentions("有甲", "甲")])
    rows = notebook_rows(store.load())
    assert [r["notebook"] for r in rows] == ["01-甲", "02-乙"]
    assert rows[1] == {"notebook": "02-乙", "points": 1, "max_points": 2, "hidden_pending": 1, "done": 1, "exercises": 1}
    assert rows[0]["done"] == 0
    store.set_trainee("第3组-2号")
    assert store.load()["trainee"] == "第3组-2号"
    store.reset("01-甲")
    assert list(store.load()["notebooks"]) == ["02-乙"]


def test_store_path_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("XUNCHA_SCORES", str(tmp_path / "x.json"))
    assert ScoreStore().path == tmp_path / "x.json"


@pytest.mark.parametrize("content,message", [("{", "已损坏"), ("[]", "不是 xuncha 成绩文件"),
                                             (b"\xff\xfe\x00", "不是 UTF-8")])
def test_bad_score_files(tmp_path, content, message):
    p = tmp_path / "bad.json"
    p.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(InputError, match=message):
        read_scores(p)


def test_trainee_label_limits(tmp_path):
    with pytest.raises(InputError, match="40"):
        ScoreStore(tmp_path / "s.json").set_trainee("x" * 41)


def test_chart_png(tmp_path):
    data = {"notebooks": {"01-甲": {"exercises": {"1.1": {"points": 2, "max_points": 4, "status": "部分通过"}}},
                          "02-乙": {"exercises": {"2.1": {"points": 3, "max_points": 3, "status": "自动检查全部通过"}}}}}
    chart = plot_scores(data, font=None)
    png = chart.png()
    assert png.startswith(b"\x89PNG") and len(png) > 2000
    assert chart.save(tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"
    assert "01-甲: 2/4" in repr(chart)
    assert chart.figure.axes[0].get_xticklabels()[0].get_text() == "01"  # no CJK font: numbers only


# ---- display ----------------------------------------------------------------------------------

def test_hits_table_and_record(built_kb):
    hits = built_kb.search("公款吃喝", limit=3)
    md = hits_table(hits)._repr_markdown_()
    assert md.startswith("| # | 引用 / 标题 |") and "jilv-2023#113" in md
    assert "（没有检索到结果）" in str(hits_table(built_kb.search("的的的", limit=3)))
    card = str(record(built_kb.get("jilv-2023#113")))
    assert "引用\t《中国共产党纪律处分条例》（2023年修订）第一百一十三条" in card


# ---- the nbval plugin -------------------------------------------------------------------------

def test_nbval_plugin_makes_notebook_runs_strict_and_restores(monkeypatch, tmp_path):
    from types import SimpleNamespace

    from xuncha.training import nbval_plugin as plug
    monkeypatch.delenv("XUNCHA_TRAINING_STRICT", raising=False)
    monkeypatch.setenv("XUNCHA_SCORES", "/mine.json")
    item = SimpleNamespace(path=tmp_path / "01-x.ipynb")
    plug.pytest_runtest_setup(item)
    import os
    assert os.environ["XUNCHA_TRAINING_STRICT"] == "1" and os.environ["XUNCHA_SCORES"] != "/mine.json"
    plug.pytest_runtest_teardown(item)
    assert "XUNCHA_TRAINING_STRICT" not in os.environ and os.environ["XUNCHA_SCORES"] == "/mine.json"
    other = SimpleNamespace(path=tmp_path / "test_x.py")
    plug.pytest_runtest_setup(other)
    assert "XUNCHA_TRAINING_STRICT" not in os.environ


def test_nbval_plugin_skips_trainee_versions(tmp_path):
    from xuncha.training.nbval_plugin import pytest_ignore_collect
    assert pytest_ignore_collect(tmp_path / "notebooks" / "trainee", None) is True
    assert pytest_ignore_collect(tmp_path / "notebooks", None) is None
    assert pytest_ignore_collect(tmp_path / "other" / "trainee", None) is None
