import json


def test_search_prints_citation_and_status(run, tmp_corpus):
    code, out, err = run("search", "公款吃喝", root=tmp_corpus)
    assert code == 0
    assert "《中国共产党纪律处分条例》（2023年修订）第一百一十三条" in out
    assert "现行有效" in out and "条号已核实" in out
    assert "Traceback" not in err


def test_search_json_contract(run, tmp_corpus):
    code, out, _ = run("search", "--json", "第113条", root=tmp_corpus)
    assert code == 0
    hits = json.loads(out)
    assert isinstance(hits, list) and hits
    h = hits[0]
    for key in ("id", "kind", "title", "score", "snippet", "regulation", "article"):
        assert key in h
    assert h["regulation"] == "jilv-2023" and h["article"] == 113 and isinstance(h["article"], int)


def test_search_json_for_other_kinds(run, tmp_corpus):
    code, out, _ = run("search", "--json", "--kind", "finding", "加油费", root=tmp_corpus)
    hits = json.loads(out)
    assert hits and all(h["kind"] == "finding" for h in hits)
    assert all({"id", "kind", "title", "score", "snippet"} <= set(h) for h in hits)


def test_search_unverified_shown_as_pending(run, tmp_corpus):
    _, out, _ = run("search", "第117条", root=tmp_corpus)
    assert "条号待核" in out


def test_search_nothing_found(run, tmp_corpus):
    code, out, err = run("search", "qqqzzz", root=tmp_corpus)
    assert code == 0 and out == "" and "未找到" in err


def test_search_bad_limit(run, tmp_corpus):
    code, _, err = run("search", "--limit", "x", "公款", root=tmp_corpus)
    assert code == 2 and "不是整数" in err


def test_search_unknown_kind(run, tmp_corpus):
    code, _, err = run("search", "--kind", "law", "公款", root=tmp_corpus)
    assert code == 2 and "无效的选项" in err


def test_search_rebuilds_stale_index_with_message(run, tmp_corpus):
    run("search", "公款", root=tmp_corpus)
    p = tmp_corpus / "findings" / "f-xz-chihe.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("酒席9次", "酒席9次、KTV消费2次"), encoding="utf-8")
    code, out, err = run("search", "KTV", root=tmp_corpus)
    assert code == 0 and "语料已变更" in err and "f-xz-chihe" in out


def test_search_with_broken_corpus_reports_and_keeps_index(run, tmp_corpus):
    run("search", "公款", root=tmp_corpus)
    gen = (tmp_corpus / "index" / "CURRENT").read_text()
    (tmp_corpus / "findings" / "f-broken.yaml").write_text("id: f-broken\n", encoding="utf-8")
    code, _, err = run("search", "公款", root=tmp_corpus)
    assert code == 1 and "f-broken.yaml" in err and "索引未更改" in err
    assert (tmp_corpus / "index" / "CURRENT").read_text() == gen
