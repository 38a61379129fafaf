"""Issue 9: the method library — coverage of the round, links and search."""
import yaml

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

STANDARD = ["听取", "列席", "个别谈话", "来信", "个人有关事项", "知情人", "调阅", "座谈会", "民主测评", "下属", "专项检查", "协助"]
PRACTICES = ["问题底稿", "巡中调度", "组办会商", "一人一纲", "双反馈", "回头看", "巡镇延村", "人才库", "承诺"]


def _methods():
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((REPO / "methods").glob("*.yaml"))]


def test_at_least_thirty_methods_cover_every_stage_method_and_practice():
    ms = _methods()
    assert len(ms) >= 30
    names = " ".join(m["name"] for m in ms if m["category"] in ("method", "practice"))
    for word in STANDARD + PRACTICES:
        assert word in names, word
    stages = sorted(m["order"] for m in ms if m["category"] == "stage")
    assert stages == list(range(1, len(stages) + 1)) and len(stages) >= 6


def test_every_non_stage_method_belongs_to_a_stage():
    ms = _methods()
    stage_ids = {m["id"] for m in ms if m["category"] == "stage"}
    for m in ms:
        if m["category"] != "stage":
            assert set(m.get("stages") or []) & stage_ids, m["id"]


def test_unverified_methods_say_so():
    for m in _methods():
        if not m["verified"]:
            assert m.get("unverified_note"), m["id"]


def test_method_search_in_the_field(real_kb):
    hits = real_kb.search("怎么调阅资料才不助长留痕主义", kind="method", limit=3)
    assert hits[0]["id"] == "m-diaoyue-ziliao"
    assert real_kb.search("谈话提纲怎么写", kind="method", limit=3)[0]["id"] in ("m-yiren-yigang", "m-geren-tanhua")


def test_methods_are_linked_both_ways(real_kb):
    m = real_kb.get("m-diaoyue-ziliao")
    assert m["used_by"]["checklist_items"], "checklist items should point at the method"
    art_ids = m.get("articles") or []
    for a in art_ids:
        assert "m-diaoyue-ziliao" in real_kb.get(a)["cited_by"]["methods"]
