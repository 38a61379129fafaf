"""personal-info: names (POS tagger + patterns), phone, ID-card and bank-card numbers; masked forms pass."""
import pytest

from xuncha.drafting import lint
from xuncha.drafting.names import find_names
from xuncha.drafting.rules.privacy import find_numbers, id_checksum_ok, luhn_ok


def names(text):
    return [(n, conf) for _, _, n, conf in find_names(text)]


@pytest.mark.parametrize("text, expected", [
    ("经查，村党支部书记王建华在2022年3月报销加油费。", [("王建华", "high")]),
    ("村会计刘秀英经手。", [("刘秀英", "high")]),  # jieba splits 刘/秀英
    ("镇长周立新、副镇长陈晓东多次参加宴请。", [("周立新", "high"), ("陈晓东", "high")]),
    ("由村委会主任何文斌买单。", [("何文斌", "high")]),  # 主任何 glued by the segmenter
    ("党员欧阳明辉未按期交纳党费。", [("欧阳明辉", "high")]),
    ("为户主马文华等3户申报补助。", [("马文华", "high")]),
    ("赵晓军（村委会主任）签字同意。", [("赵晓军", "high")]),
    ("经查，王建华在任职期间多次收受礼金。", [("王建华", "medium")]),
])
def test_names_are_found(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize("text", [
    "张某、李某某和王**等人参与，XX局局长赵XX知情，***村党支部书记***签字。",
    "白云村、向阳村、和平社区、马家沟村、王庄镇的项目均已验收。",
    "任用干部时，万元以上支出未经集体研究，林地流转费用未公示，于是群众多次上访。",
    "内容雷同、廉政谈话走过场，惠民政策落实打折扣，晋升和荣誉评选不公开。",
    "共收到3张发票，2张收据。局长安排部署，书记高度重视。",
    "会计师事务所出具的审计报告中列明了问题。",
])
def test_no_false_names(text):
    assert names(text) == []


def test_id_checksum_and_luhn():
    assert id_checksum_ok("610423198503152812")
    assert id_checksum_ok("43052419920708613X".replace("X", "9"))
    assert not id_checksum_ok("610423198503152813")
    assert luhn_ok("6228480212345678909") and not luhn_ok("6228480212345678900")


@pytest.mark.parametrize("text, kind, severity", [
    ("反映人电话13912345678。", "手机号", "error"),
    ("反映人电话139-1234-5678。", "手机号", "error"),
    ("家中座机0913-3216547。", "固定电话号码", "error"),
    ("其身份证号610423198503152812。", "身份证号", "error"),
    ("编号610423198503152813。", "疑似身份证号", "warning"),  # bad check digit, no context
    ("身份证610423198503152813。", "身份证号", "error"),  # bad check digit, but labelled
    ("转入卡号6228480212345678909。", "银行卡号", "error"),
    ("存入其个人账户（账号：6217001234567890122）", "银行卡号", "error"),
    ("转入账号 6222 0000 1111 2222 333。", "银行卡号", "error"),
])
def test_numbers_are_found(text, kind, severity):
    found = find_numbers(text)
    assert [(k, s) for _, _, k, s in found] == [(kind, severity)]


@pytest.mark.parametrize("text", [
    "反映人电话139****5678，卡号**** **** **** 1234。",
    "2022年3月至2023年6月共报销1.26万元，凭证号20230615001。",
    "涉及金额123456.78元，合同编号2023-0456。",
])
def test_no_false_numbers(text):
    assert find_numbers(text) == []


def test_rule_reports_offsets_and_masking_hint():
    text = "【事实】2023年4月，***村报账员刘秀英把补贴转入本人银行卡（卡号6228480212345678909）。"
    issues = [i for i in lint(text, rules=["personal-info"])]
    got = {text[i["start"]:i["end"]]: i for i in issues}
    assert set(got) == {"刘秀英", "6228480212345678909"}
    assert "刘某" in got["刘秀英"]["hint"]
    assert all(i["severity"] == "error" for i in issues)
