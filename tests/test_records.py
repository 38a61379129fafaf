"""One invalid fixture per failure mode (tests/data/invalid/*.yaml): each names its target path and the
message `xuncha check` must print."""
import re
from pathlib import Path

import pytest

from xuncha.corpus import check_corpus

INVALID = sorted((Path(__file__).parent / "data" / "invalid").glob("*.yaml"))


def _header(path):
    text = path.read_text(encoding="utf-8")
    meta = dict(re.findall(r"^# (target|expect|encode): (.+)$", text, re.M))
    body = "".join(l for l in text.splitlines(keepends=True) if not re.match(r"^# (target|expect|encode): ", l))
    return meta, body


def test_sample_corpus_is_valid(tmp_corpus):
    corpus, problems = check_corpus(tmp_corpus)
    assert problems == []
    assert corpus.counts()["article"] == 3


@pytest.mark.parametrize("fixture", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_fixture_is_reported(fixture, tmp_corpus, run):
    meta, body = _header(fixture)
    target = tmp_corpus / meta["target"]
    target.write_bytes(body.encode(meta.get("encode", "utf-8")))
    code, out, err = run("check", root=tmp_corpus)
    assert code == 1
    assert meta["expect"] in out, out
    assert meta["target"].split("/")[-1] in out
    assert "Traceback" not in out + err


def test_every_error_is_reported_at_once(tmp_corpus, run):
    for name in ("bad-enum", "dangling-article", "empty-file"):
        meta, body = _header(Path(__file__).parent / "data" / "invalid" / f"{name}.yaml")
        (tmp_corpus / meta["target"]).write_text(body, encoding="utf-8")
    code, out, _ = run("check", root=tmp_corpus)
    assert code == 1
    assert out.count("\n") >= 4 and "3 处错误" in out


def test_bom_is_a_warning_not_an_error(tmp_corpus, run):
    p = tmp_corpus / "findings" / "f-xz-chihe.yaml"
    p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())
    code, out, _ = run("check", root=tmp_corpus)
    assert code == 0
    assert "BOM" in out and "校验通过" in out
