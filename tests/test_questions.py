"""xuncha.drafting.questions and `xuncha questions`: labels, hints, input handling, exit codes."""
import json

import pytest

from xuncha.drafting import classify_questions


@pytest.mark.parametrize("question, label", [
    ("请介绍一下村里的报销审批是怎么走的？", "open"),
    ("请谈谈班子成员之间是怎么分工配合的。", "open"),
    ("这个项目的施工方是怎么确定的？", "open"),
    ("村里是否建立了财务管理制度？", "closed"),
    ("你们村去年开了几次支委会？", "closed"),
    ("低保名单是谁确定的？", "closed"),
    ("你是不是负责村里的财务？", "closed"),
    ("你是不是用村里的钱给自己的车加油了？", "leading"),
    ("为什么要挪用低保资金？", "leading"),
    ("这件事大家都知道，你也清楚吧？", "leading"),
    ("有人举报你把门面房租给了亲戚，是真的吗？", "discloses-source"),
    ("会计说这笔钱是你让报的，你怎么解释？", "discloses-source"),
    ("群众反映你优亲厚友，你有什么要说的？", "discloses-source"),
    ("张某已经交代了，你还不说吗？", "discloses-source"),
    ("只要你把情况说清楚，我们就不会追究你的责任。", "promises-outcome"),
    ("你放心，说了就没事。", "promises-outcome"),
])
def test_labels(question, label):
    assert classify_questions([question])[0]["label"] == label


def test_result_fields_and_line_numbers():
    text = "# 谈话问题\n\n1. 请介绍一下分工情况。\n2、有人反映你收了红包，是不是？\n- 村里是否公开财务？\n"
    res = classify_questions(text)
    assert [(r["line"], r["text"]) for r in res] == [(3, "请介绍一下分工情况。"), (4, "有人反映你收了红包，是不是？"),
                                                      (5, "村里是否公开财务？")]
    src = res[1]
    assert src["label"] == "discloses-source" and src["label_cn"] == "泄露来源" and src["severity"] == "error"
    assert "leading" in src["labels"] or "closed" in src["labels"]
    assert "不要说出谁反映" in src["hint"]
    assert res[0]["hint"] == ""


def test_cli(run, tmp_path):
    p = tmp_path / "q.txt"
    p.write_text("1. 请介绍一下村里的报销流程。\n2. 有人举报你挪用资金，你承认吗？\n", encoding="utf-8")
    code, out, _ = run("questions", p)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "  1. [开放式] 请介绍一下村里的报销流程。"
    assert lines[1] == "  2. [泄露来源] 有人举报你挪用资金，你承认吗？"
    assert lines[-1] == "共 2 个问题：开放式 1，泄露来源 1。"
    code, out, _ = run("questions", p, "--json")
    assert [d["label"] for d in json.loads(out)] == ["open", "discloses-source"]


def test_cli_clean_list_exits_0(run, tmp_path):
    p = tmp_path / "q.txt"
    p.write_text("请谈谈您的分工。\n村里是否公开财务？\n", encoding="utf-8")
    assert run("questions", p)[0] == 0


@pytest.mark.parametrize("content, message", [
    (b"", "文件为空"), (b"\x00\x01" * 50, "二进制"), (b"# only a heading\n\n---\n", "没有找到问题"),
])
def test_cli_bad_input(run, tmp_path, content, message):
    p = tmp_path / "q.txt"
    p.write_bytes(content)
    code, _, err = run("questions", p)
    assert code == 2 and message in err and "Traceback" not in err
