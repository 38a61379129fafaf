"""xuncha.drafting.lint: the library API, draft parsing, citations, time expressions and bad input."""
import datetime as dt
from pathlib import Path

import pytest

from xuncha import InputError
from xuncha.drafting import MAX_BYTES, RULES, lint, lint_file, parse_draft
from xuncha.drafting.citations import find_citations, resolve
from xuncha.drafting.kbview import view
from xuncha.drafting.timex import find_times, period

DRAFTS = Path(__file__).parent / "data" / "drafts"
TODAY = "2025-06-30"


def rules_of(issues, severity=None):
    return {i["rule"] for i in issues if severity is None or i["severity"] == severity}


# ---- API shape ------------------------------------------------------------------------------------

def test_issue_dicts_have_the_documented_keys_and_offsets_point_at_the_excerpt(built_kb):
    text = (DRAFTS / "pii.txt").read_text(encoding="utf-8")
    issues = lint(text, built_kb, today=TODAY)
    assert issues
    for i in issues:
        assert {"rule", "severity", "message", "start", "end", "hint", "excerpt", "line", "column"} <= set(i)
        assert i["severity"] in ("error", "warning", "info")
        assert i["rule"] in RULES
        assert 0 <= i["start"] <= i["end"] <= len(text)
        assert text[i["start"]:i["end"]].startswith(i["excerpt"][:10])
        line_start = text.rfind("\n", 0, i["start"]) + 1
        assert i["line"] == text.count("\n", 0, i["start"]) + 1 and i["column"] == i["start"] - line_start + 1
    assert [i["start"] for i in issues] == sorted(i["start"] for i in issues)


def test_good_drafts_in_every_format_are_clean(built_kb):
    for name in ("good.yaml", "good.md", "good.txt", "masked.txt", "political-ok.yaml"):
        assert lint_file(DRAFTS / name, built_kb, today=TODAY) == [], name


def test_rules_argument_limits_the_checks(built_kb):
    text = (DRAFTS / "pii.txt").read_text(encoding="utf-8")
    assert rules_of(lint(text, built_kb, today=TODAY, rules=["missing-time"])) == set()
    assert rules_of(lint(text, built_kb, today=TODAY, rules=["personal-info"])) == {"personal-info"}
    with pytest.raises(InputError, match="没有这条规则"):
        lint(text, built_kb, rules=["no-such-rule"])


def test_without_a_knowledge_base_corpus_rules_stay_silent():
    text = (DRAFTS / "unknown-article.md").read_text(encoding="utf-8")
    assert "unknown-article" not in rules_of(lint(text, today=TODAY))
    assert "missing-basis" in rules_of(lint((DRAFTS / "no-basis.txt").read_text(encoding="utf-8"), today=TODAY))


def test_lint_rejects_empty_text_and_non_strings():
    with pytest.raises(InputError, match="底稿为空"):
        lint("  \n ")
    with pytest.raises(InputError, match="lint_file"):
        lint(Path("x.md"))


def test_bad_today_is_a_clear_error():
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        lint("事实：2023年张某报销3次。", today="去年")


# ---- parsing --------------------------------------------------------------------------------------

def test_yaml_fields_map_back_to_the_source():
    text = (DRAFTS / "good.yaml").read_text(encoding="utf-8")
    d = parse_draft(text, "yaml")
    facts = d.fields["facts"]
    i = facts.value.index("1.26万元")
    s, e = facts.span(i, i + len("1.26万元"))
    assert text[s:e] == "1.26万元"
    assert d.fields["basis"].value == "jilv-2023#111"


def test_markdown_sections_and_title():
    d = parse_draft((DRAFTS / "good.md").read_text(encoding="utf-8"), "markdown")
    assert d.get("title") == "**镇以培训费名义列支餐费"
    assert d.get("facts").startswith("2022年4月至12月")
    assert d.get("qualification").startswith("违规公款吃喝")
    assert "第一百一十三条" in d.get("basis")


def test_text_with_bracket_labels_and_colon_labels():
    d = parse_draft("标题行\n【事实】2023年张某报销9次。\n【定性】违反廉洁纪律。\n依据：纪律处分条例第111条", "text")
    assert d.get("title") == "标题行"
    assert d.get("facts") == "2023年张某报销9次。"
    assert d.get("qualification") == "违反廉洁纪律。"
    assert d.get("basis") == "纪律处分条例第111条"


def test_plain_paragraph_without_labels_is_the_body():
    text = "经查，2023年5月***村会计李某报销私人餐费3次，共0.2万元。"
    d = parse_draft(text)
    assert d.format == "text" and d.body().value == text


def test_format_is_guessed_from_content():
    assert parse_draft("title: 标题\nfacts: 2023年张某报销3次\n").format == "yaml"
    assert parse_draft("# 标题\n\n## 事实\n\n内容").format == "markdown"
    assert parse_draft("事实：内容。\n定性：违纪。").format == "text"


def test_malformed_yaml_names_the_line():
    with pytest.raises(InputError, match="第 2 行"):
        parse_draft("title: a\nfacts: b: c\n", "yaml")


def test_crlf_text_is_parsed():
    d = parse_draft("【事实】2023年张某报销9次。\r\n【依据】纪律处分条例第111条\r\n", "text")
    assert d.get("facts").rstrip() == "2023年张某报销9次。"


# ---- citations ------------------------------------------------------------------------------------

def test_citations_in_every_written_form(built_kb):
    kbv = view(built_kb)
    text = ("依据《中国共产党纪律处分条例》第一百一十三条、第111条；纪律处分条例第117条；jilv-2023#111；"
            "违反中央八项规定精神；《中华人民共和国刑法》第三百八十二条；第12条")
    cites = [resolve(c, kbv) for c in find_citations(text, kbv)]
    got = [(c.raw, c.kind, c.status, c.record) for c in cites]
    assert ("《中国共产党纪律处分条例》第一百一十三条", "article", "ok", "jilv-2023#113") in got
    assert ("第111条", "article", "ok", "jilv-2023#111") in got
    assert ("纪律处分条例第117条", "article", "ok", "jilv-2023#117") in got
    assert ("jilv-2023#111", "id", "ok", "jilv-2023#111") in got
    assert any(raw.startswith("中央八项规定") and kind == "regulation" for raw, kind, _, _ in got)
    assert ("《中华人民共和国刑法》第三百八十二条", "article", "unknown-regulation", None) in got
    assert ("第12条", "bare-article", "dangling", None) in got
    for c in cites:
        assert text[c.start:c.end] == c.raw


def test_citation_status_beyond_unknown_id_and_old_version(built_kb):
    kbv = view(built_kb)

    def one(text):
        return resolve(find_citations(text, kbv)[0], kbv)
    assert one("《中国共产党纪律处分条例》第二百条").status == "beyond"
    assert one("jilv-2023#999").status == "beyond"
    assert one("jilv-1999#3").status == "unknown-id"
    old = one("《中国共产党纪律处分条例》（2018年修订）第一百零三条")
    assert (old.regulation, old.status, old.record) == ("jilv-2018", "unrecorded", "jilv-2023#113")
    assert one("纪律处分条例第１１１条").record == "jilv-2023#111"  # full-width digits


# ---- time expressions -----------------------------------------------------------------------------

def test_time_expressions_and_period():
    today = dt.date(2025, 6, 30)
    ts = find_times("2022年3月至2023年6月，共2023.5万元；去年5月；近年来", today)
    kinds = [(t.kind, t.year, t.month) for t in ts]
    assert ("date", 2022, 3) in kinds and ("date", 2023, 6) in kinds
    assert ("relative", 2024, 5) in kinds and ("vague", None, None) in kinds
    assert not any(t.year == 2023 and t.month == 5 for t in ts)  # 2023.5万元 is an amount
    assert period([t for t in ts if t.kind == "date"]) == (dt.date(2022, 3, 1), dt.date(2023, 6, 30))
    since = find_times("2022年以来", today)[0]
    assert since.last_day() == today


# ---- reading files --------------------------------------------------------------------------------

def test_lint_file_reads_stdin(monkeypatch):
    import io
    data = (DRAFTS / "no-basis.txt").read_bytes()

    class Stdin:
        buffer = io.BytesIO(data)
    assert "missing-basis" in rules_of(lint_file("-", stdin=Stdin(), today=TODAY))


@pytest.mark.parametrize("content, message", [
    (b"", "文件为空"),
    (b"  \n\t\n", "文件为空"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG 图片"),
    (b"PK\x03\x04" + b"\x00" * 100, "docx"),
    (b"abc\x00def\x00" * 50, "二进制"),
    (b"\x80\xff" * 100, "无法识别文件编码"),
])
def test_bad_files_get_a_clear_message(tmp_path, content, message):
    p = tmp_path / "draft.txt"
    p.write_bytes(content)
    with pytest.raises(InputError, match=message):
        lint_file(p)


def test_huge_file_is_refused(tmp_path):
    p = tmp_path / "huge.txt"
    p.write_bytes("事实：张某报销。".encode("utf-8") * (MAX_BYTES // 20))
    with pytest.raises(InputError, match="文件过大"):
        lint_file(p)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="文件不存在"):
        lint_file(tmp_path / "nope.md")
    with pytest.raises(InputError, match="文件夹"):
        lint_file(tmp_path)


def test_gb18030_file_is_read(tmp_path, built_kb):
    p = tmp_path / "gbk.txt"
    p.write_bytes((DRAFTS / "no-basis.txt").read_text(encoding="utf-8").encode("gb18030"))
    assert "missing-basis" in rules_of(lint_file(p, built_kb, today=TODAY))


def test_utf8_bom_and_utf16_are_read(tmp_path):
    text = (DRAFTS / "no-basis.txt").read_text(encoding="utf-8")
    for name, data in (("bom.txt", b"\xef\xbb\xbf" + text.encode("utf-8")), ("u16.txt", text.encode("utf-16"))):
        p = tmp_path / name
        p.write_bytes(data)
        assert "missing-basis" in rules_of(lint_file(p, today=TODAY)), name


def test_malformed_yaml_file_is_an_input_error(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("title: '***村\nfacts: [\n", encoding="utf-8")
    with pytest.raises(InputError, match="YAML 格式错误"):
        lint_file(p)
