"""xuncha.drafting.outline and `xuncha outline`: sections in order, role and focus handling, clues."""
import json

import pytest

from xuncha import InputError
from xuncha.drafting import outline, outline_markdown
from xuncha.drafting.outline import focuses_of, unit_type_of


def test_sections_in_order(built_kb):
    o = outline("村党支部书记", clues=["村干部把私家车加油票拿到村里报销"], kb=built_kb)
    keys = [s["key"] for s in o["sections"]]
    assert keys[0] == "opening" and keys[-2:] == ["clues", "discipline"]
    assert [k for k in keys if k.startswith("focus-")] == ["focus-juece", "focus-fubai", "focus-zuzhi"]  # sample list
    assert o["unit_type"] == "村（社区）" and o["checklist"] == "cun-shequ"


def test_focus_questions_come_from_the_checklist(built_kb):
    o = outline("村党支部书记", focus="fubai", kb=built_kb)
    sec = next(s for s in o["sections"] if s["key"] == "focus-fubai")
    item_ids = [i for it in sec["items"] for i in it["items"]]
    checklist = built_kb.get("cun-shequ")
    fubai_items = [i for s in checklist["structure"] if s["focus"] == "fubai" for p in s["points"] for i in p["items"]]
    assert item_ids and set(item_ids) <= set(fubai_items)
    first = sec["items"][0]
    assert first["question"].startswith("围绕「") and first["verify"] and first["follow_ups"]
    assert first["verify"][0] == built_kb.get(item_ids[0])["check"].rstrip("。")


def test_clue_follow_ups_do_not_repeat_the_clue(built_kb):
    clue = "村书记用集体资金报销私人加油费"
    o = outline("村党支部书记", clues=[clue], kb=built_kb)
    sec = next(s for s in o["sections"] if s["key"] == "clues")
    item = sec["items"][0]
    assert item["clue"] == clue and "cun-shequ-f01" in item["items"]
    assert "jilv-2023#111" in item["basis"]
    assert all("加油" not in q for q in item["questions"])  # never read the clue out to the interviewee
    assert "不透露反映人" in item["reminder"]


def test_discipline_reminders(built_kb):
    o = outline("镇长", unit="村", kb=built_kb)
    texts = [i["text"] for i in o["sections"][-1]["items"]]
    assert any("承诺" in t for t in texts) and any("线索来源" in t for t in texts)


@pytest.mark.parametrize("unit, role, expected", [
    (None, "村党支部书记", "村（社区）"), ("社区", "主任", "村（社区）"), (None, "镇财政所会计", "乡镇"),
    (None, "XX局财务股会计", "县直单位"), (None, "县属**公司董事长", "国有企业"), ("乡镇", "组织委员", "乡镇"),
])
def test_unit_type(unit, role, expected):
    assert unit_type_of(unit, role) == expected


def test_focus_by_role_and_by_name():
    assert focuses_of("村会计") == ["fubai", "zhenggai"]
    assert focuses_of("村党支部书记") == ["juece", "fubai", "zuzhi", "zhenggai"]
    assert focuses_of("镇长", ["整改", "决策部署"]) == ["zhenggai", "juece"]
    assert focuses_of("镇长", "fubai,zuzhi") == ["fubai", "zuzhi"]
    with pytest.raises(InputError, match="无法识别聚焦"):
        focuses_of("镇长", "天气")


def test_bad_arguments(built_kb):
    with pytest.raises(InputError, match="--role"):
        outline("  ", kb=built_kb)
    with pytest.raises(InputError, match="--unit"):
        outline("顾问", kb=built_kb)
    with pytest.raises(InputError, match="清单"):
        outline("局长", kb=built_kb)  # the sample corpus has only the village checklist


def test_markdown(built_kb):
    md = outline_markdown(outline("村党支部书记", clues=["低保优亲厚友"], kb=built_kb))
    assert md.startswith("# 谈话提纲：村党支部书记\n")
    heads = [line for line in md.splitlines() if line.startswith("## ")]
    assert heads[0] == "## 一、开场与暖场" and heads[-2] == "## 五、线索追问" and heads[-1] == "## 六、谈话纪律"
    assert "不得向谈话对象透露" in md


def test_cli_markdown_and_json(run, built_kb, tmp_corpus):
    code, out, err = run("outline", "--role", "村党支部书记", "--clue", "低保优亲厚友", root=tmp_corpus)
    assert code == 0 and out.startswith("# 谈话提纲：村党支部书记")
    code, out, _ = run("outline", "--role", "村会计", "--json", root=tmp_corpus)
    data = json.loads(out)
    assert code == 0 and data["focuses"] == ["fubai", "zhenggai"]
    assert [s["key"] for s in data["sections"]] == ["opening", "focus-fubai", "discipline"]  # no zhenggai in sample


def test_cli_output_file_is_not_overwritten(run, built_kb, tmp_corpus, tmp_path):
    out_file = tmp_path / "提纲.md"
    code, _, err = run("outline", "--role", "村党支部书记", "-o", out_file, root=tmp_corpus)
    assert code == 0 and out_file.read_text(encoding="utf-8").startswith("# 谈话提纲")
    code, _, err = run("outline", "--role", "村党支部书记", "-o", out_file, root=tmp_corpus)
    assert code == 2 and "已存在" in err
    code, _, _ = run("outline", "--role", "村党支部书记", "-o", out_file, "--force", root=tmp_corpus)
    assert code == 0


def test_cli_bad_focus_and_unknown_unit(run, built_kb, tmp_corpus):
    code, _, err = run("outline", "--role", "村党支部书记", "--focus", "天气", root=tmp_corpus)
    assert code == 2 and "无法识别聚焦「天气」" in err
    code, _, err = run("outline", "--role", "顾问", root=tmp_corpus)
    assert code == 2 and "--unit" in err


def test_real_checklists_cover_four_unit_types(real_kb):
    for role, cid in (("村党支部书记", "cun-shequ"), ("镇党委书记", "xiangzhen"), ("XX局局长", "xianzhi"),
                      ("县属**公司董事长", "guoqi")):
        o = outline(role, kb=real_kb)
        assert o["checklist"] == cid
        assert any(s["key"].startswith("focus-") and s["items"] for s in o["sections"])
