import json


def test_cite_prints_citation_reason_focus_and_links(run, tmp_corpus):
    code, out, err = run("cite", "村支书用村集体资金报销私人车辆的加油费", root=tmp_corpus)
    assert code == 0 and "Traceback" not in err
    lines = out.splitlines()
    assert lines[0] == "1. 《中国共产党纪律处分条例》（2023年修订）第一百一十一条  [条文 · 现行有效 · 条号已核实 · 聚焦：群众身边腐败和不正之风]"
    assert "   侵占公私财物、让他人支付个人费用" in lines
    assert any(line.startswith("   匹配理由：命中") and "问题示例 f-cun-jiayoufei" in line for line in lines)
    assert any(line.startswith("   检查项 cun-shequ-f01：") for line in lines)
    assert any(line.startswith("   问题示例 f-cun-jiayoufei：") for line in lines)
    assert "   编号 jilv-2023#111" in lines


def test_cite_json_contract(run, tmp_corpus):
    code, out, _ = run("cite", "--json", "公款吃喝", root=tmp_corpus)
    assert code == 0
    hits = json.loads(out)
    assert hits and all(h["kind"] in ("article", "provision", "section") for h in hits)
    h = hits[0]
    for key in ("id", "kind", "title", "score", "snippet", "regulation", "article", "why", "focuses",
                "checklist_items", "findings"):
        assert key in h
    assert h["id"] == "jilv-2023#113" and isinstance(h["article"], int)
    assert set(h["why"]) >= {"reference", "terms", "synonyms", "linked"}


def test_cite_with_date_shows_old_citation_and_note(run, tmp_corpus):
    code, out, err = run("cite", "公款吃喝", "--date", "2022-05-01", "--limit", "1", root=tmp_corpus)
    assert code == 0
    assert "   行为发生时：《中国共产党纪律处分条例》（2018年修订）第一百零三条（条号待核），引用前请核对正式文本" in out.splitlines()
    assert "提示：行为发生于2022-05-01，当时施行的是《中国共产党纪律处分条例》（2018年修订）" in err


def test_cite_limit(run, tmp_corpus):
    _, out, _ = run("cite", "--json", "--limit", "1", "报销", root=tmp_corpus)
    assert len(json.loads(out)) == 1


def test_cite_bad_date_is_one_line(run, tmp_corpus):
    code, out, err = run("cite", "公车", "--date", "2022-02-30", root=tmp_corpus)
    assert code == 1 and out == ""
    assert err == "xuncha: 日期「2022-02-30」无法识别：请写成 YYYY-MM-DD，如 2022-05-01（行为发生的日期）\n"


def test_cite_empty_problem(run, tmp_corpus):
    code, _, err = run("cite", "  ", root=tmp_corpus)
    assert code == 1 and err.startswith("xuncha: 问题描述为空") and err.count("\n") == 1


def test_cite_unknown_regulation(run, tmp_corpus):
    code, _, err = run("cite", "公车", "--regulation", "nope-2020", root=tmp_corpus)
    assert code == 1 and "nope-2020" in err and "Traceback" not in err


def test_cite_bad_limit_and_focus(run, tmp_corpus):
    assert run("cite", "公车", "--limit", "0", root=tmp_corpus)[0] == 2
    code, _, err = run("cite", "公车", "--focus", "caiwu", root=tmp_corpus)
    assert code == 2 and "无效的选项" in err


def test_cite_nothing_found_suggests(run, tmp_corpus):
    code, out, err = run("cite", "吃和", root=tmp_corpus)
    assert code == 0 and out == ""
    assert "未找到与「吃和」相关的定性依据。" in err and "您是不是要找：" in err and "吃喝" in err


def test_cite_help_mentions_date(run):
    code, out, _ = run("cite", "--help")
    assert code == 0 and "--date" in out and "行为发生的日期" in out
