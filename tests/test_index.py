import os
import shutil

from xuncha import KnowledgeBase
from xuncha.index import current_generation


def test_index_built_on_first_use(tmp_corpus):
    kb = KnowledgeBase.open(tmp_corpus, notify=None)
    assert kb.rebuilt
    assert (tmp_corpus / "index" / "CURRENT").exists()
    assert kb.meta["counts"]["article"] == 3


def test_fresh_index_is_not_rebuilt(tmp_corpus, built_kb):
    kb = KnowledgeBase.open(tmp_corpus, notify=None)
    assert not kb.rebuilt


def test_stale_index_is_rebuilt_and_sees_the_change(tmp_corpus, built_kb):
    before = current_generation(tmp_corpus / "index")
    p = tmp_corpus / "regulations" / "jilv-2023.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("比对用车登记", "比对用车登记和高速通行费记录"), encoding="utf-8")
    messages = []
    kb = KnowledgeBase.open(tmp_corpus, notify=messages.append)
    assert kb.rebuilt and any("语料已变更" in m for m in messages)
    assert current_generation(tmp_corpus / "index") != before
    assert kb.search("高速通行费")[0]["id"] == "jilv-2023#117"


def test_corrupt_index_is_detected_and_rebuilt(tmp_corpus, built_kb):
    gen = current_generation(tmp_corpus / "index")
    built_kb.close()
    for f in gen.iterdir():
        if f.suffix in (".seg", ".toc") or f.name.endswith(".trm"):
            f.write_bytes(b"garbage")
    messages = []
    kb = KnowledgeBase.open(tmp_corpus, notify=messages.append)
    assert any("损坏" in m for m in messages)
    assert kb.search("公款吃喝")[0]["id"] == "jilv-2023#113"


def test_half_deleted_index_is_rebuilt(tmp_corpus, built_kb):
    gen = current_generation(tmp_corpus / "index")
    built_kb.close()
    shutil.rmtree(gen)
    kb = KnowledgeBase.open(tmp_corpus, notify=None)
    assert kb.rebuilt
    assert kb.search("公款吃喝")


def test_build_failure_keeps_previous_generation(tmp_corpus, built_kb, monkeypatch):
    import pytest

    from xuncha import index as ix
    before = current_generation(tmp_corpus / "index")

    def boom(*a, **k):
        raise RuntimeError("killed")
    monkeypatch.setattr(ix, "_write", boom)
    with pytest.raises(RuntimeError):
        KnowledgeBase(tmp_corpus, notify=None).rebuild(force=True)
    assert current_generation(tmp_corpus / "index") == before
    assert not [p for p in os.listdir(tmp_corpus / "index") if p.startswith(".building-")]
