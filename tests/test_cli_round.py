import json


def test_round_lists_every_stage_in_order(run, real_index):
    code, out, _ = run("round", "--json", index_dir=real_index)
    assert code == 0
    plan = json.loads(out)
    orders = [s["order"] for s in plan]
    assert orders == sorted(orders) and len(plan) >= 6
    names = [s["name"] for s in plan]
    assert names[0].startswith("准备") and any(n.startswith("整改") for n in names)
    liaojie = next(s for s in plan if s["id"] == "m-stage-liaojie")
    assert "m-geren-tanhua" in [m["id"] for m in liaojie["methods"]]
    assert liaojie["checklist_item_count"] > 0 and liaojie["outputs"]


def test_round_human_output(run, real_index):
    code, out, _ = run("round", index_dir=real_index)
    assert code == 0 and "法定方式" in out and "形成文书" in out and "未经核实" in out


def test_round_on_sample_corpus(run, tmp_corpus):
    code, out, _ = run("round", "--json", root=tmp_corpus)
    plan = json.loads(out)
    assert [s["id"] for s in plan] == ["m-stage-liaojie"]
    assert plan[0]["methods"][0]["id"] == "m-diaoyue-ziliao"
    assert {i["id"] for i in plan[0]["checklist_items"]} == {"cun-shequ-j01", "cun-shequ-f01"}
