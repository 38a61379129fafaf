def test_check_passes_on_sample(run, tmp_corpus):
    code, out, _ = run("check", root=tmp_corpus)
    assert code == 0
    assert "校验通过：法规 4 部，条文 3 条" in out


def test_check_passes_on_shipped_corpus(run):
    code, out, err = run("check")
    assert code == 0, out + err
    assert "校验通过" in out


def test_check_json(run, tmp_corpus):
    import json
    (tmp_corpus / "findings" / "f-empty.yaml").write_text("", encoding="utf-8")
    code, out, _ = run("check", "--json", root=tmp_corpus)
    assert code == 1
    probs = json.loads(out)
    assert probs[0]["path"] == "findings/f-empty.yaml" and probs[0]["level"] == "error"


def test_index_command(run, tmp_corpus):
    code, out, _ = run("index", root=tmp_corpus)
    assert code == 0 and "索引已就绪" in out and "条文 3" in out


def test_help_is_chinese(run):
    code, out, _ = run("--help")
    assert code == 0 and "巡察知识库" in out
