"""Bad corpus data: every problem is reported at once, naming the file and the field; the command exits
non-zero and the index is left exactly as it was.

Each case below damages a private copy of the sample corpus in one way and says which line of
``xuncha check`` must appear (file, field, message). One test runs each case alone, one injects all of
them at once into a single corpus and runs real ``xuncha check`` / ``xuncha search`` processes, and a
property-based test feeds random mutations of valid records to the validator."""
import os
import random
import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xuncha import CorpusError, KnowledgeBase
from xuncha.corpus import check_corpus

from .conftest import COUNTS, fresh_copy, no_traceback, run_xuncha, scaled, snapshot


def _edit(root, rel, old, new):
    p = root / rel
    text = p.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


def _write(root, rel, data):
    p = root / rel
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


FINDING = (
    "schema_version: 1\nid: {id}\ntitle: '**镇测试问题'\nunit_type: 乡镇\nfocus: fubai\ndiscipline: 工作纪律\n"
    "subject: '**镇'\ntime: 2022年\nfacts: 测试事实：本项目自拟的示例事实，仅用于可靠性测试。\n"
    "qualification: 测试定性：本项目自拟的示例定性，仅用于可靠性测试。\nbasis: [jilv-2023#111]\nseed: '001'\n")


def _laughs():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    return FINDING.format(id="f-laughs").replace("facts: 测试事实：本项目自拟的示例事实，仅用于可靠性测试。\n", "") + "\n".join(lines) + "\nfacts: *a8\n"


# name -> (damage(root), [(file, field fragment or None, message fragment)], level)
# level "error": check exits 1 and the index must not change; "warning"/"ok": accepted (with a note).
# Every error case damages a file of its own, so that all of them can be applied to one corpus at once.
CASES = {
    "malformed-yaml": (lambda r: _write(r, "findings/f-malformed.yaml", FINDING.format(id="f-malformed").replace(
                           "unit_type: 乡镇", "unit_type: 乡镇\n  oops: [未闭合")),
                       [("findings/f-malformed.yaml", "行", "YAML 格式错误")], "error"),
    "unquoted-mask": (lambda r: _write(r, "findings/f-mask.yaml", FINDING.format(id="f-mask").replace("subject: '**镇'", "subject: **镇")),
                      [("findings/f-mask.yaml", "行", "加引号")], "error"),
    "wrong-type-integer": (lambda r: _edit(r, "methods/m-diaoyue-ziliao.yaml", "order: 7", "order: 七"),
                           [("methods/m-diaoyue-ziliao.yaml", "order", "类型应为整数")], "error"),
    "wrong-type-list": (lambda r: _write(r, "findings/f-wrongtype.yaml", FINDING.format(id="f-wrongtype").replace(
                            "basis: [jilv-2023#111]", "basis: jilv-2023#111")),
                        [("findings/f-wrongtype.yaml", "basis", "类型应为列表")], "error"),
    "duplicate-id": (lambda r: _write(r, "findings/f-cun-jiayoufei.yml", FINDING.format(id="f-cun-jiayoufei")),
                     [("findings/f-cun-jiayoufei.yml", "id", "重复")], "error"),
    "misnamed-copy": (lambda r: _write(r, "findings/f-xz-chihe-copy.yaml", FINDING.format(id="f-xz-chihe")),
                      [("findings/f-xz-chihe-copy.yaml", "id", "不一致")], "error"),
    "duplicate-key": (lambda r: _write(r, "findings/f-dupkey.yaml", FINDING.format(id="f-dupkey").replace(
                          "focus: fubai", "focus: fubai\nfocus: zuzhi")),
                      [("findings/f-dupkey.yaml", "行", "重复的键")], "error"),
    "dangling-article": (lambda r: _edit(r, "findings/f-xz-chihe.yaml", "jilv-2023#113", "jilv-2023#999"),
                         [("findings/f-xz-chihe.yaml", "basis", "jilv-2023#999")], "error"),
    "dangling-method": (lambda r: _edit(r, "findings/f-cun-jiayoufei.yaml", "methods: [m-diaoyue-ziliao]", "methods: [m-meiyou]"),
                        [("findings/f-cun-jiayoufei.yaml", "methods", "m-meiyou")], "error"),
    "gbk-encoding": (lambda r: _write(r, "findings/f-gbk.yaml", FINDING.format(id="f-gbk").encode("gbk")),
                     [("findings/f-gbk.yaml", None, "不是 UTF-8")], "error"),
    "utf16-encoding": (lambda r: _write(r, "findings/f-utf16.yaml", FINDING.format(id="f-utf16").encode("utf-16")),
                       [("findings/f-utf16.yaml", None, "UTF-8")], "error"),
    "empty-file": (lambda r: _write(r, "findings/f-empty.yaml", b""), [("findings/f-empty.yaml", None, "文件为空")], "error"),
    "blank-file": (lambda r: _write(r, "findings/f-blank.yaml", " \n\t\n"), [("findings/f-blank.yaml", None, "文件为空")], "error"),
    "binary-file": (lambda r: _write(r, "findings/f-binary.yaml", bytes(random.Random(8).randrange(256) for _ in range(4096))),
                    [("findings/f-binary.yaml", None, "")], "error"),
    "nul-byte": (lambda r: _write(r, "findings/f-nul.yaml", FINDING.format(id="f-nul") + "\x00"),
                 [("findings/f-nul.yaml", None, "NUL")], "error"),
    "not-a-mapping": (lambda r: _write(r, "findings/f-list.yaml", "- 一\n- 二\n"), [("findings/f-list.yaml", None, "键值映射")], "error"),
    "python-tag": (lambda r: _write(r, "findings/f-tag.yaml", FINDING.format(id="f-tag") + "x: !!python/object/apply:os.getpid []\n"),
                   [("findings/f-tag.yaml", "行", "YAML")], "error"),
    "billion-laughs": (lambda r: _write(r, "findings/f-laughs.yaml", _laughs()), [("findings/f-laughs.yaml", None, "锚点")], "error"),
    "deep-nesting": (lambda r: _write(r, "findings/f-deep.yaml", FINDING.format(id="f-deep") + "x: " + "[" * 50000 + "]" * 50000 + "\n"),
                     [("findings/f-deep.yaml", None, "嵌套")], "error"),
    "self-reference": (lambda r: _write(r, "findings/f-loop.yaml", FINDING.format(id="f-loop") + "x: &l [*l]\n"),
                       [("findings/f-loop.yaml", None, "嵌套")], "error"),
    "number-key": (lambda r: _write(r, "findings/f-numkey.yaml", FINDING.format(id="f-numkey") + "2022: x\n"),
                   [("findings/f-numkey.yaml", "行", "不是文本")], "error"),
    "complex-key": (lambda r: _write(r, "findings/f-cplx.yaml", FINDING.format(id="f-cplx") + "? [a, b]\n: x\n"),
                    [("findings/f-cplx.yaml", "行", "不是文本")], "error"),
    "huge-file": (lambda r: _write(r, "findings/f-huge.yaml", FINDING.format(id="f-huge") + "# " + "公" * (2 * 2**20) + "\n"),
                  [("findings/f-huge.yaml", None, "文件过大")], "error"),
    "undecodable-name": (lambda r: (r / "findings" / os.fsdecode(b"f-\xff\xfe.yaml")).write_text(FINDING.format(id="f-x"), encoding="utf-8"),
                         [("findings/f-\ufffd\ufffd.yaml", "id", "不一致")], "error"),
    "bom": (lambda r: _write(r, "findings/f-xz-chihe.yaml", b"\xef\xbb\xbf" + (r / "findings/f-xz-chihe.yaml").read_bytes()),
            [("findings/f-xz-chihe.yaml", None, "BOM")], "warning"),
    "unquoted-date": (lambda r: _edit(r, "regulations/jilv-2023.yaml", "effective: '2024-01-01'", "effective: 2024-01-01"),
                      [], "ok"),
}
ERROR_CASES = [k for k, v in CASES.items() if v[2] == "error"]


def _line_for(out, file, field, message):
    for line in out.splitlines():
        where, _, msg = line.partition(": ")
        path, _, fld = where.partition("#")
        if path == file and (field is None or field in fld) and message in msg:
            return line
    return None


@pytest.mark.parametrize("case", list(CASES))
def test_each_bad_file_is_reported_with_file_and_field(case, sample, run):
    damage, expected, level = CASES[case]
    before = snapshot(sample / "index")
    damage(sample)
    COUNTS["corpus_inputs"] += 1
    code, out, err = run("check", root=sample)
    no_traceback(out, err)
    for file, field, message in expected:
        assert _line_for(out, file, field, message), f"no line for {file}#{field} «{message}» in:\n{out}"
    if level == "error":
        assert code == 1
        assert re.search(r"校验未通过：\d+ 处错误", out)
        code, out, err = run("search", "公款吃喝", root=sample)  # a search must not rebuild from bad data
        no_traceback(out, err)
        assert code == 1 and "索引未更改" in err
        assert snapshot(sample / "index") == before
    else:
        assert code == 0 and "校验通过" in out
        code, out, err = run("search", "公款吃喝", root=sample)
        assert code == 0 and "jilv-2023#113" in out


def test_every_error_at_once_in_real_processes(tmp_path):
    """All damage together: one `xuncha check` lists every file, `xuncha search` refuses to rebuild, the
    index is byte-for-byte unchanged."""
    root = fresh_copy(tmp_path / "kb")
    KnowledgeBase.open(root, notify=None).close()
    before = snapshot(root / "index")
    for name in ERROR_CASES:
        CASES[name][0](root)
    expected = [e for name in ERROR_CASES for e in CASES[name][1]]
    COUNTS["corpus_inputs"] += len(expected)

    r = run_xuncha(root, "check")
    no_traceback(r.stdout, r.stderr)
    assert r.returncode == 1
    missing = [e for e in expected if not _line_for(r.stdout, *e)]
    assert not missing, f"not reported: {missing}\n{r.stdout}"
    n = int(re.search(r"校验未通过：(\d+) 处错误", r.stdout).group(1))
    assert n >= len(expected)

    r = run_xuncha(root, "search", "公款吃喝")
    no_traceback(r.stdout, r.stderr)
    assert r.returncode == 1 and r.stdout == ""
    assert f"语料校验未通过：{n} 处问题" in r.stderr and "索引未更改" in r.stderr
    assert snapshot(root / "index") == before

    r = run_xuncha(root, "index", "--force")
    assert r.returncode == 1 and "索引未更改" in r.stderr
    assert snapshot(root / "index") == before


# ---- property-based: random damage to valid records ---------------------------------------------

def _values():
    scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
                        st.text(max_size=30), st.sampled_from(["jilv-2023#113", "***村", "2024-01-01", "~", "yes", ""]))
    return st.recursive(scalars, lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
                        max_leaves=12)


_RECORDS = ["findings/f-xz-chihe.yaml", "methods/m-diaoyue-ziliao.yaml", "regulations/jilv-2023.yaml",
            "checklists/cun-shequ.yaml"]


@st.composite
def damaged_file(draw):
    rel = draw(st.sampled_from(_RECORDS))
    how = draw(st.sampled_from(["set", "drop", "add", "raw-text", "raw-bytes", "truncate"]))
    return rel, how, draw(st.text(max_size=12)), draw(_values()), draw(st.binary(max_size=400)), draw(st.floats(0, 1))


@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory):
    return fresh_copy(tmp_path_factory.mktemp("fuzz") / "kb")


@settings(max_examples=scaled(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(damaged_file())
def test_random_damage_never_crashes_the_validator(fuzz_root, case):
    rel, how, key, value, raw, frac = case
    path = fuzz_root / rel
    original = path.read_bytes()
    try:
        data = yaml.safe_load(original.decode("utf-8"))
        if how == "set":
            data[sorted(data)[int(frac * (len(data) - 1))]] = value
        elif how == "drop":
            data.pop(sorted(data)[int(frac * (len(data) - 1))])
        elif how == "add":
            data[key or "x"] = value
        if how in ("set", "drop", "add"):
            path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        elif how == "raw-text":
            path.write_text(key + original.decode("utf-8")[: int(frac * len(original))], encoding="utf-8")
        elif how == "raw-bytes":
            path.write_bytes(raw)
        else:
            path.write_bytes(original[: int(frac * len(original))])
        COUNTS["corpus_inputs"] += 1
        corpus, problems = check_corpus(fuzz_root)
        errors = [p for p in problems if p.level == "error"]
        for p in problems:
            assert p.path and p.message and str(p).startswith(p.path)
        if errors:
            assert corpus is None
            with pytest.raises(CorpusError) as exc:
                from xuncha.corpus import load_corpus
                load_corpus(fuzz_root)
            assert len(exc.value.problems) == len(errors)
        else:
            assert corpus is not None
    finally:
        path.write_bytes(original)
