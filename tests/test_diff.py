"""`xuncha diff`: 新旧对照 from the renumbering links, and from both official texts when imported."""
import json
import shutil
from pathlib import Path

import pytest

from xuncha.commands.importing import wrap
from xuncha.corpus import load_corpus
from xuncha.diff import diff_versions, inline_changes, match_score, similarity
from xuncha.errors import InputError, UnknownIdError
from xuncha.importer import import_files

DATA = Path(__file__).parent / "data" / "import"


@pytest.fixture
def kb_root(tmp_corpus):
    for p in (DATA / "corpus" / "regulations").glob("*.yaml"):
        shutil.copy(p, tmp_corpus / "regulations" / p.name)
    return tmp_corpus


@pytest.fixture
def both_imported(kb_root):
    import_files(kb_root, [DATA / "shifan-2019.txt", DATA / "shifan-2023.txt"])
    return kb_root


def rows_by_new(d):
    return {r["new"]: r for r in d["rows"] if r["new"] is not None}


def test_links_only_when_no_text_is_imported(tmp_corpus):
    d = diff_versions(load_corpus(tmp_corpus), "jilv-2018", "jilv-2023")
    r = rows_by_new(d)
    assert (r[113]["status"], r[113]["old"], r[113]["basis"], r[113]["link_verified"]) == ("renumbered", 103, "事实包", False)
    assert r[111]["status"] == "unknown" and r[111]["old"] is None
    assert d["summary"] == {"renumbered": 1, "unknown": 2} and not d["texts_compared"]
    assert any("正式文本未导入" in n for n in d["notes"])


def test_both_texts_imported(both_imported):
    d = diff_versions(load_corpus(both_imported), "shifan-2019", "shifan-2023")
    assert d["texts_compared"] and d["related"]
    r = rows_by_new(d)
    assert (r[1]["status"], r[1]["old"]) == ("modified", 1)
    assert (r[4]["status"], r[4]["old"]) == ("added", None)
    assert (r[7]["status"], r[7]["old"], r[7]["basis"]) == ("renumbered", 6, "文本相似度")   # an extended article
    assert (r[11]["old"], r[11]["basis"]) == (10, "事实包")            # rewritten: only the link knows
    assert (r[16]["old"], r[17]["old"]) == (14, 15)                    # the text corrects a wrong link
    assert r[18]["status"] == "added" and r[20]["old"] == 17
    removed = [x for x in d["rows"] if x["status"] == "removed"]
    assert [x["old"] for x in removed] == [16] and "吃请" in removed[0]["old_text"]
    assert d["summary"] == {"modified": 3, "renumbered": 13, "added": 4, "removed": 1}
    assert any("第17条对应旧版第14条" in n for n in d["notes"])
    # removed rows sit where the old article was
    order = [(x["old"], x["new"]) for x in d["rows"]]
    assert order.index((16, None)) == order.index((15, 17)) + 1


def test_unrelated_versions_compare_by_text(both_imported):
    import_files(both_imported, [DATA / "shifan-2023.txt"], as_id="xian-shifan-2023")
    d = diff_versions(load_corpus(both_imported), "shifan-2023", "xian-shifan-2023")
    assert not d["related"] and d["summary"] == {"unchanged": 20}
    assert any("不是前后版本关系" in n for n in d["notes"])


def test_argument_errors(tmp_corpus):
    c = load_corpus(tmp_corpus)
    with pytest.raises(InputError, match="顺序反了"):
        diff_versions(c, "jilv-2023", "jilv-2018")
    with pytest.raises(InputError, match="相同"):
        diff_versions(c, "jilv-2023", "jilv-2023")
    with pytest.raises(UnknownIdError) as e:
        diff_versions(c, "jilv-2017", "jilv-2023")
    assert "jilv-2018" in e.value.suggestions


def test_cli_side_by_side(run, both_imported):
    code, out, err = run("diff", "shifan-2019", "shifan-2023", "--width", "80", root=both_imported)
    assert code == 0
    lines = out.splitlines()
    assert lines[:3] == ["新旧对照：《巡察工作示范规则》 shifan-2019（2019年）→ shifan-2023（2023年修订）",
                         "比对依据：事实包的条号对应关系 + 两版正式文本的文字相似度",
                         "统计：修改 3 · 条号变化 13 · 新增 4 · 删除 1"]
    i = lines.index("第14条 → 第16条  条号变化，文字修改（相似度 76%）［文本相似度］  巡察干部不得超越权限办事")
    assert lines[i + 1].startswith("旧 shifan-2019 第十四条") and "│ 新 shifan-2023 第十六条" in lines[i + 1]
    assert "【，不得利用巡察工作便利谋取私利】" in "".join(lines[i + 2:i + 6]).replace(" ", "").replace("│", "").replace("】【", "")
    assert all(len(x) <= 80 for x in lines[3:])
    assert err.startswith("提示：事实包记新版第17条对应旧版第14条")


def test_cli_brief_and_json(run, tmp_corpus):
    code, out, _ = run("diff", "jilv-2018", "jilv-2023", "--brief", root=tmp_corpus)
    assert "第103条 → 第113条  条号变化［事实包，旧条号待核］  违规公款吃喝娱乐、公款送礼发卡" in out.splitlines()
    d = json.loads(run("diff", "jilv-2018", "jilv-2023", "--json", root=tmp_corpus)[1])
    assert d["old"]["id"] == "jilv-2018" and d["new"]["text_imported"] is False and len(d["rows"]) == 3


def test_cli_errors(run, tmp_corpus):
    code, _, err = run("diff", "jilv-2023", "jilv-2018", root=tmp_corpus)
    assert code == 1 and err == "xuncha: 顺序反了：jilv-2023 是 jilv-2018 之后的版本；请写 xuncha diff jilv-2018 jilv-2023\n"
    code, _, err = run("diff", "jilv-2018", root=tmp_corpus)
    assert code == 2


def test_inline_changes_line_by_line():
    old, new = inline_changes("甲款：\n（一）项一；\n（二）项二。", "甲款：\n（一）项一；\n（二）新增的项；\n（三）项二。")
    assert old == "甲款：\n（一）项一；\n（【二】）项二。"
    assert new == "甲款：\n（一）项一；\n【（二）新增的项；】\n（【三】）项二。"


def test_similarity_measures():
    assert similarity("巡察组实行组长负责制。", "巡察组实行组长负责制。") == 1.0
    assert similarity("", "文字") == 0.0
    short, longer = "巡察组实行组长负责制。", "巡察组实行组长负责制。组长根据每轮巡察任务确定，实行一次一授权。"
    assert similarity(short, longer) < 0.55 <= match_score(short, longer)


def test_wrap_keeps_marks_balanced_and_punctuation_off_line_starts():
    lines = wrap("甲乙丙丁【戊己庚辛壬癸】，子丑", 10)
    assert all(line.count("【") == line.count("】") for line in lines)
    assert not any(line.startswith("，") for line in lines)
    assert "".join(lines).replace("】【", "") == "甲乙丙丁【戊己庚辛壬癸】，子丑"
