import json


def test_show_article_json_contract(run, tmp_corpus):
    code, out, _ = run("show", "--json", "jilv-2023#113", root=tmp_corpus)
    assert code == 0
    e = json.loads(out)
    for key in ("id", "regulation", "article", "citation", "topic", "digest", "status", "number_verified", "text"):
        assert key in e
    assert e["article"] == 113 and e["text"] is None and e["status"] == "现行有效"


def test_show_human(run, tmp_corpus):
    code, out, _ = run("show", "jilv-2023#117", root=tmp_corpus)
    assert code == 0
    assert "第一百一十七条（条号待核）" in out and "要点" in out and "巡察关注点" in out


def test_show_by_reference(run, tmp_corpus):
    code, out, _ = run("show", "纪律处分条例第113条", root=tmp_corpus)
    assert code == 0 and "jilv-2023#113" in out


def test_show_finding_and_item(run, tmp_corpus):
    code, out, _ = run("show", "f-cun-jiayoufei", "cun-shequ-f01", root=tmp_corpus)
    assert code == 0 and "3860元" in out and "查看村级报销凭证" in out


def test_show_unknown_id(run, tmp_corpus):
    code, out, err = run("show", "jilv-2023#999", root=tmp_corpus)
    assert code == 1 and out == ""
    assert "找不到编号为「jilv-2023#999」的记录" in err and "Traceback" not in err
