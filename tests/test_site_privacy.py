"""Imported official texts stay off the site unless an office asks for them (extra.xuncha.local_texts)."""
import shutil
from pathlib import Path

from xuncha.corpus import load_corpus
from xuncha.importer import import_files  # noqa: F401  (the import feature must exist)
from xuncha.site import site_entries

FIXTURE = Path(__file__).parent / "data" / "import" / "shifan-2023.txt"


def test_text_only_articles_are_not_on_the_default_site(tmp_corpus, run):
    code, _, err = run("import", str(FIXTURE), "--as", "jilv-2023", "--partial", "--no-index", root=tmp_corpus)
    assert code == 0, err
    corpus = load_corpus(tmp_corpus)
    with_texts = corpus.entries
    default = site_entries(corpus)
    extra = {i for i, e in with_texts.items() if e["kind"] == "article" and e.get("text")}
    assert extra, "the import should have added official texts"
    assert not any(default.get(i, {}).get("text") for i in extra)
    assert {i for i in with_texts if i.startswith("jilv-2023#")} - {i for i in default if i.startswith("jilv-2023#")}
    assert set(i for i in default if i.startswith("jilv-2023#")) == {"jilv-2023#111", "jilv-2023#113", "jilv-2023#117"}
    assert site_entries(corpus, local_texts=True) is corpus.entries
