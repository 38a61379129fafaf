"""The corpus must agree with the facts pack in ../shared/facts: every regulation and article, its number,
chapter, topic, dates and verification flag. When the pack grows (numbers get verified), this test says
exactly what to update. The product itself never reads ../shared."""
import pytest
import yaml

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

FACTS = SHARED / "facts" / "regulations.yaml"
VERIFIED = {"high", "medium"}

pytestmark = pytest.mark.skipif(not FACTS.exists(), reason="../shared/facts is not beside the repository")


@pytest.fixture(scope="module")
def facts():
    return {r["id"]: r for r in yaml.load(FACTS.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["regulations"]}


@pytest.fixture(scope="module")
def corpus():
    out = {}
    for p in (REPO / "regulations").glob("*.yaml"):
        d = yaml.load(p.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        out[d["id"]] = d
    return out


def test_same_regulations(facts, corpus):
    assert sorted(facts) == sorted(corpus)


def test_regulation_metadata(facts, corpus):
    bad = []
    for rid, f in facts.items():
        c = corpus[rid]
        for key in ("title", "short_title", "version_label", "kind", "issuer", "status", "superseded_by", "article_count"):
            if c.get(key) != f.get(key):
                bad.append(f"{rid}.{key}: corpus {c.get(key)!r} != facts {f.get(key)!r}")
        fd = {k: (str(v) if v is not None else None) for k, v in f["dates"].items()}
        if c["dates"] != fd:
            bad.append(f"{rid}.dates: corpus {c['dates']} != facts {fd}")
        if c["dates_verified"] != (f["dates_confidence"] in VERIFIED):
            bad.append(f"{rid}.dates_verified should be {f['dates_confidence'] in VERIFIED}")
        if c["supersedes"] != (f["supersedes"] or []):
            bad.append(f"{rid}.supersedes: {c['supersedes']} != {f['supersedes']}")
        chapters_f = [(s.get("part"), s.get("chapter"), None if s.get("articles") is None else str(s["articles"])) for s in f["structure"] or []]
        chapters_c = [(s.get("part"), s.get("chapter"), s.get("articles")) for s in c["structure"]]
        if chapters_f != chapters_c:
            bad.append(f"{rid}.structure differs from the facts")
    assert not bad, "\n".join(bad)


def test_articles_match_facts(facts, corpus):
    bad = []
    for rid, f in facts.items():
        c_arts = {a["number"]: a for a in corpus[rid]["articles"]}
        f_arts = {a["no"]: a for a in f["articles"] or []}
        for n in sorted(set(c_arts) - set(f_arts)):
            bad.append(f"{rid}#{n}: in the corpus but not in the facts (never invent an article number)")
        for n in sorted(set(f_arts) - set(c_arts)):
            bad.append(f"{rid}#{n}: in the facts ({f_arts[n]['topic']}) but missing from the corpus")
        for n in sorted(set(f_arts) & set(c_arts)):
            fa, ca = f_arts[n], c_arts[n]
            if ca["topic"] != fa["topic"]:
                bad.append(f"{rid}#{n}.topic: {ca['topic']!r} != facts {fa['topic']!r}")
            if ca.get("chapter") != fa["chapter"]:
                bad.append(f"{rid}#{n}.chapter: {ca.get('chapter')!r} != facts {fa['chapter']!r}")
            if ca["number_verified"] != (fa["confidence"] in VERIFIED):
                bad.append(f"{rid}#{n}.number_verified should be {fa['confidence'] in VERIFIED} (facts confidence {fa['confidence']})")
            if not set(fa["keywords"]) <= set(ca["keywords"]):
                bad.append(f"{rid}#{n}.keywords lack {sorted(set(fa['keywords']) - set(ca['keywords']))}")
            fp, cp = fa.get("previous"), ca.get("previous")
            if bool(fp) != bool(cp) or (fp and (fp["regulation"], fp["no"]) != (cp["regulation"], cp["number"])):
                bad.append(f"{rid}#{n}.previous: {cp} != facts {fp}")
            elif fp and cp["verified"] != (fp.get("confidence", fa["confidence"]) in VERIFIED):
                bad.append(f"{rid}#{n}.previous.verified is wrong")
            if bool(ca.get("new_in_version")) != bool(fa.get("new_in_version")):
                bad.append(f"{rid}#{n}.new_in_version differs")
    assert not bad, "\n".join(bad[:60]) + (f"\n… {len(bad) - 60} more" if len(bad) > 60 else "")


def test_provisions_and_sections_match_facts(facts, corpus):
    bad = []
    for rid, f in facts.items():
        cp = corpus[rid]["provisions"]
        fp = f["provisions"] or []
        if [p["topic"] for p in cp] != [p["topic"] for p in fp]:
            bad.append(f"{rid}: provisions differ from the facts (topics or order)")
        for p, q in zip(cp, fp):
            if p["verified"] != (q["confidence"] in VERIFIED):
                bad.append(f"{rid}#{p['id']}.verified should be {q['confidence'] in VERIFIED}")
        cs = [(s["number"], s["title"], s["verified"]) for s in corpus[rid]["sections"]]
        fs = [(s["no"], s["title_or_topic"], s["confidence"] in VERIFIED) for s in f["sections"] or []]
        if cs != fs:
            bad.append(f"{rid}: sections differ from the facts")
    assert not bad, "\n".join(bad)


def test_every_text_entry_has_a_digest(corpus):
    for rid, c in corpus.items():
        for el in c["articles"] + c["provisions"] + c["sections"]:
            assert len(el["digest"]) >= 20 and len(el["look_for"]) >= 20, (rid, el.get("number") or el.get("id"))
            assert "TODO" not in el["digest"] + el["look_for"]


def test_provisions_never_carry_an_article_number(corpus):
    import re
    for rid, c in corpus.items():
        for p in c["provisions"]:
            assert not re.search(r"第[0-9一二三四五六七八九十百]+条", p["digest"] + p["look_for"]), f"{rid}#{p['id']}"
