"""Checking digested article numbers against the imported official text."""
from pathlib import Path

from xuncha.importer.readers import read_file
from xuncha.importer.split import split_regulation
from xuncha.importer.verify import bigrams, check_articles
from xuncha.records import load_kind

DATA = Path(__file__).parent / "data" / "import"


def _texts():
    return {a.number: a.text for a in split_regulation(read_file(DATA / "shifan-2023.txt")).articles}


def _digests():
    regs, _ = load_kind(DATA / "corpus", "regulation")
    return regs["shifan-2023"]["articles"]


def test_matching_and_mismatching_articles():
    checks = {c.number: c for c in check_articles(_digests(), _texts())}
    assert {n: c.status for n, c in checks.items()} == {3: "相符", 11: "相符", 15: "相符", 17: "不符", 18: "相符"}
    assert checks[17].message == "第17条 要点与原文不符，请核对（原文第16条更接近「巡察干部的纪律」）"
    assert checks[17].best == 16 and checks[17].score < checks[17].best_score
    assert checks[15].already_verified and not checks[3].already_verified


def test_article_missing_from_the_text():
    texts = _texts()
    del texts[18]
    c = [c for c in check_articles(_digests(), texts) if c.number == 18][0]
    assert c.status == "缺失" and c.message == "第18条 导入的文本中没有这一条，请核对"


def test_shifted_numbers_are_all_reported():
    """A digest written against the old numbering: every article points one further on."""
    texts = _texts()
    shifted = {n + 1: t for n, t in texts.items()}
    checks = check_articles(_digests(), shifted)
    bad = [c for c in checks if c.status == "不符"]
    assert len(bad) >= 4


def test_nothing_in_common():
    c = check_articles([{"number": 1, "topic": "公车私用", "keywords": ["公务用车"], "digest": "车辆管理"}],
                       {1: "本规则自发布之日起施行。", 2: "巡察工作坚持党的领导。"})[0]
    assert c.status == "不符" and c.best is None


def test_bigrams_ignore_punctuation_and_latin():
    assert bigrams("公车，私用 abc") == {"公车", "私用"}
