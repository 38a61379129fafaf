"""xuncha lint: output lines, exit codes (0 clean, 1 errors, 2 bad input), --json, stdin, --list-rules."""
import io
import json
import sys
from pathlib import Path

import pytest

DRAFTS = Path(__file__).parent / "data" / "drafts"


@pytest.fixture
def kbroot(built_kb, tmp_corpus):
    return tmp_corpus


def test_clean_draft_exits_0(run, kbroot):
    code, out, err = run("lint", DRAFTS / "good.md", root=kbroot)
    assert code == 0
    assert out == f"{DRAFTS / 'good.md'}：未发现问题。\n"


def test_errors_exit_1_with_location_rule_and_hint(run, kbroot):
    path = DRAFTS / "no-basis.txt"
    code, out, err = run("lint", path, "--today", "2025-06-30", root=kbroot)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == f"{path}:4:11: 错误 [missing-basis] 只写了「违反了有关规定」，没有引用具体的党规党纪条款"
    assert lines[1].startswith("    提示：在「依据」部分写明条款")
    assert lines[-1] == f"{path}：错误 1，警告 0，提示 0。"


def test_warnings_only_exit_0(run, kbroot):
    code, out, _ = run("lint", DRAFTS / "vague-subject.md", root=kbroot)
    assert code == 0 and "警告 [missing-subject]" in out


def test_json_output(run, kbroot):
    code, out, _ = run("lint", DRAFTS / "pii.txt", "--json", "--today", "2025-06-30", root=kbroot)
    assert code == 1
    data = json.loads(out)
    assert data and {"rule", "severity", "message", "start", "end", "hint", "file"} <= set(data[0])
    text = (DRAFTS / "pii.txt").read_text(encoding="utf-8")
    assert {text[d["start"]:d["end"]] for d in data if d["rule"] == "personal-info"} >= {"13912345678", "王建华"}


def test_stdin(run, kbroot, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((DRAFTS / "no-basis.txt").read_bytes()), encoding="utf-8"))
    code, out, _ = run("lint", "-", root=kbroot)
    assert code == 1 and out.startswith("<标准输入>:4:11: 错误 [missing-basis]")


def test_several_files(run, kbroot):
    code, out, _ = run("lint", DRAFTS / "good.yaml", DRAFTS / "no-basis.txt", root=kbroot)
    assert code == 1
    assert f"{DRAFTS / 'good.yaml'}：未发现问题。" in out and "[missing-basis]" in out


def test_rules_option(run, kbroot):
    code, out, _ = run("lint", DRAFTS / "pii.txt", "--rules", "missing-time", root=kbroot)
    assert code == 0 and "未发现问题" in out
    code, _, err = run("lint", DRAFTS / "pii.txt", "--rules", "nope", root=kbroot)
    assert code == 2 and "没有这条规则：nope" in err


def test_list_rules(run):
    code, out, _ = run("lint", "--list-rules")
    assert code == 0
    codes = [line.split()[0] for line in out.splitlines()]
    assert codes == ["missing-basis", "unknown-article", "weak-basis", "missing-subject", "missing-time",
                     "missing-fact-detail", "vague-wording", "personal-info", "no-political-angle"]


@pytest.mark.parametrize("content, message", [
    (b"", "文件为空"),
    (b"\x00\x01\x02\x03" * 100, "二进制"),
    (b"\x80\xff" * 100, "无法识别文件编码"),
    (b"%PDF-1.4\n" + b"\x00" * 10, "PDF 文档"),
])
def test_bad_input_exits_2_with_one_line(run, kbroot, tmp_path, content, message):
    p = tmp_path / "d.txt"
    p.write_bytes(content)
    code, out, err = run("lint", p, root=kbroot)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"xuncha: {p}：") and message in err
    assert "Traceback" not in err


def test_huge_file_exits_2(run, kbroot, tmp_path):
    p = tmp_path / "huge.md"
    p.write_bytes(b"a" * (2 * 1024 * 1024))
    code, _, err = run("lint", p, root=kbroot)
    assert code == 2 and "文件过大" in err


def test_missing_file_and_no_file(run, kbroot, tmp_path):
    code, _, err = run("lint", tmp_path / "nope.md", root=kbroot)
    assert code == 2 and "文件不存在" in err
    code, _, err = run("lint", root=kbroot)
    assert code == 2 and "缺少参数 FILE" in err


def test_gb18030_is_read_with_a_notice(run, kbroot, tmp_path):
    p = tmp_path / "gbk.txt"
    p.write_bytes((DRAFTS / "no-basis.txt").read_text(encoding="utf-8").encode("gb18030"))
    code, out, err = run("lint", p, root=kbroot)
    assert code == 1 and "[missing-basis]" in out
    assert "GB18030" in err


def test_malformed_yaml_exits_2(run, kbroot, tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("title: a\nfacts: b: c\n", encoding="utf-8")
    code, _, err = run("lint", p, root=kbroot)
    assert code == 2 and "YAML 格式错误（第 2 行" in err


def test_bad_today_exits_2(run, kbroot):
    code, _, err = run("lint", DRAFTS / "good.md", "--today", "昨天", root=kbroot)
    assert code == 2 and "YYYY-MM-DD" in err
