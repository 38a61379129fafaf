"""`xuncha import`: the whole path from a file to search, show and the overlay, through the CLI."""
import json
import shutil
from pathlib import Path

import pytest
import yaml

from test_import_readers import make_docx, make_pdf, pdf_pages_from_text
from xuncha import InputError, KnowledgeBase
from xuncha.importer import ImportFailed, import_files, list_imports, remove_import
from xuncha.importer import store

HERE = Path(__file__).parent
DATA = HERE / "data" / "import"
SEEDS = HERE.parent.parent / "shared" / "seeds"


@pytest.fixture
def kb_root(tmp_corpus):
    """The sample corpus plus the invented 巡察工作示范规则 (2019 and 2023), in a private copy."""
    for p in (DATA / "corpus" / "regulations").glob("*.yaml"):
        shutil.copy(p, tmp_corpus / "regulations" / p.name)
    return tmp_corpus


def overlay(root, rid, sub="regulations"):
    return yaml.safe_load((root / "local" / sub / f"{rid}.yaml").read_text(encoding="utf-8"))


def test_import_prints_summary_and_mismatches(run, kb_root):
    code, out, err = run("import", DATA / "shifan-2023.txt", "--no-index", root=kb_root)
    assert code == 0, err
    assert out.splitlines() == [
        "导入 shifan-2023.txt → shifan-2023《巡察工作示范规则》（正式文本；识别依据：标题和日期行）",
        "  结构：5 章 2 节 20 条（款 23，项 9），附则 2 条",
        "  要点核对：语料收录的 5 条中，相符 4 条，需核对 1 条",
        "  第17条 要点与原文不符，请核对（原文第16条更接近「巡察干部的纪律」）",
        "  可加 --mark-verified 把与要点相符的 3 条标记为条号已核实。",
        "已写入 local/regulations/shifan-2023.yaml（本机，不入库）",
    ]
    data = overlay(kb_root, "shifan-2023")
    assert data["kind"] == "regulation_text" and len(data["articles"]) == 20
    assert not any(a.get("number_verified") for a in data["articles"])


def test_official_text_shows_up_in_show_search_and_verification(run, kb_root):
    code, out, err = run("import", DATA / "shifan-2023.txt", "--mark-verified", root=kb_root)
    assert code == 0, err
    assert "条号核实：shifan-2023 已将 3 条标记为已核实（第3条、第11条、第18条；依据 shifan-2023.txt，SHA-256" in out
    data = overlay(kb_root, "shifan-2023")
    a3 = data["articles"][2]
    assert a3["number_verified"] is True and a3["verified_source"]["file"] == "shifan-2023.txt"
    assert len(a3["verified_source"]["sha256"]) == 64
    assert not data["articles"][16].get("number_verified")          # 第17条 did not match: never marked
    code, out, _ = run("show", "shifan-2023#3", "--json", root=kb_root)
    e = json.loads(out)
    assert e["text"].startswith("市委巡察工作对象包括：\n（一）") and e["number_verified"] and e["verified_by_import"]
    assert e["citation"] == "《巡察工作示范规则》（2023年修订）第三条"
    e17 = json.loads(run("show", "shifan-2023#17", "--json", root=kb_root)[1])
    assert not e17["number_verified"] and e17["citation"].endswith("（条号待核）")
    e6 = json.loads(run("show", "shifan-2023#6", "--json", root=kb_root)[1])     # no digest: text only
    assert e6["text"].startswith("巡察工作领导小组下设办公室") and e6["digest"] == ""
    code, out, _ = run("search", "邮政信箱", "--json", root=kb_root)
    assert json.loads(out)[0]["id"] == "shifan-2023#10"


def test_local_regulation_is_searchable_and_citable(run, kb_root):
    code, out, err = run("import", DATA / "banfa-pdftext.txt", "--as", "xian-banfa-2022", root=kb_root)
    assert code == 0, err
    assert out.startswith("导入 banfa-pdftext.txt → xian-banfa-2022《**县巡察工作实施办法》（本地法规，新建；识别依据：--as 指定）\n"
                          "  结构：12 条（款 12，项 3），附则 2 条\n  提示：已去除页眉、页脚和页码 5 行\n")
    e = json.loads(run("show", "xian-banfa-2022#12", "--json", root=kb_root)[1])
    assert e["article"] == 12 and e["text"] == "本办法自印发之日起施行，由县委巡察工作领导小组办公室负责解释。"
    assert e["citation"] == "《**县巡察工作实施办法》（2022年）第十二条"
    reg = json.loads(run("show", "xian-banfa-2022", "--json", root=kb_root)[1])
    assert reg["local"] and reg["issuer"] == "中共**县委" and len(reg["articles"]) == 12
    hits = json.loads(run("search", "六十日内完成集中整改", "--json", root=kb_root)[1])
    assert hits[0]["id"] == "xian-banfa-2022#8"
    hits = json.loads(run("search", "实施办法第5条", "--json", root=kb_root)[1])
    assert hits[0]["id"] == "xian-banfa-2022#5"
    assert run("check", root=kb_root)[0] == 0


def test_unknown_regulation_without_as(run, kb_root):
    code, out, err = run("import", DATA / "banfa-pdftext.txt", root=kb_root)
    assert code == 1 and out == ""
    assert err.splitlines()[0].startswith("xuncha: banfa-pdftext.txt 第 1 行：语料中没有《**县巡察工作实施办法》")
    assert err.splitlines()[-1] == "未写入任何内容。"
    assert not (kb_root / "local" / "regulations").exists()


@pytest.mark.parametrize("name,expected", [
    ("jump.txt", "xuncha: jump.txt 第 14 行：条号不连续：第十条之后是第十二条，缺少第十一条"),
    ("truncated.txt", "xuncha: truncated.txt 第 6 行：文件在第三条中间结束"),
    ("notice.txt", "xuncha: notice.txt：没有找到任何条文"),
])
def test_bad_regulation_files(run, kb_root, name, expected):
    code, out, err = run("import", DATA / name, root=kb_root)
    assert code == 1 and err.startswith(expected), err
    assert not list((kb_root / "local").rglob("*.yaml")) if (kb_root / "local").exists() else True


def test_bad_pdfs_through_the_cli(run, kb_root, tmp_path):
    import io
    import pypdf
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(make_pdf([[]], image_only=True))
    w = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(make_pdf([["第一条　内容。"]]))))
    w.encrypt("secret")
    locked = tmp_path / "locked.pdf"
    with open(locked, "wb") as fh:
        w.write(fh)
    code, out, err = run("import", scan, locked, DATA / "shifan-2023.txt", root=kb_root)
    assert code == 1
    lines = err.splitlines()
    assert lines[0].startswith("xuncha: scan.pdf：这是扫描件")
    assert lines[1].startswith("xuncha: locked.pdf：PDF 有密码保护")
    assert lines[-1] == "未导入任何文件（一次导入要么全部写入，要么一个也不写）。"
    assert not (kb_root / "local" / "regulations").exists()       # the good file was not written either


def test_pdf_and_gb18030_and_docx_give_the_same_articles(kb_root, tmp_path):
    text = (DATA / "shifan-2023.txt").read_text(encoding="utf-8")
    pdf = tmp_path / "rule.pdf"
    pdf.write_bytes(make_pdf(pdf_pages_from_text(text)))
    gbk = tmp_path / "rule-gbk.txt"
    gbk.write_bytes(text.encode("gb18030"))
    docx = make_docx(text.split("\n"), tmp_path / "rule.docx")
    base = import_files(kb_root, [DATA / "shifan-2023.txt"], dry_run=True)[0].data["articles"]
    for f in (pdf, gbk, docx):
        plan = import_files(kb_root, [f], dry_run=True)[0]
        assert plan.id == "shifan-2023"
        assert [a["text"] for a in plan.data["articles"]] == [a["text"] for a in base], f.name


def test_html_import(run, kb_root, tmp_path):
    text = (DATA / "shifan-2023.txt").read_text(encoding="utf-8")
    body = "".join(f"<p>{line}</p>" for line in text.split("\n"))
    page = tmp_path / "rule.html"
    page.write_text(f"<html><head><title>示范规则_某网站</title></head><body><div>首页 &gt; 制度</div>{body}"
                    "<div>责任编辑：***</div><div>网站地图</div></body></html>", encoding="utf-8")
    plan = import_files(kb_root, [page], dry_run=True)[0]
    assert plan.id == "shifan-2023" and plan.data["articles"][-1]["text"].endswith("同时废止。")


def test_dry_run_writes_nothing_and_json(run, kb_root):
    code, out, err = run("import", DATA / "shifan-2023.txt", "--dry-run", "--json", root=kb_root)
    assert code == 0
    d = json.loads(out)
    assert d["written"] is False and d["imports"][0]["mismatches"] == [
        "第17条 要点与原文不符，请核对（原文第16条更接近「巡察干部的纪律」）"]
    assert not (kb_root / "local" / "regulations").exists()


def test_reimport_keeps_earlier_verification_of_the_same_text(run, kb_root):
    run("import", DATA / "shifan-2023.txt", "--mark-verified", "--no-index", root=kb_root)
    first = overlay(kb_root, "shifan-2023")["articles"][2]["verified_source"]
    code, out, _ = run("import", DATA / "shifan-2023.txt", "--no-mark", "--no-index", root=kb_root)
    assert "替换原有导入" in out and "保留此前对同一文本的核实 3 条" in out
    assert overlay(kb_root, "shifan-2023")["articles"][2]["verified_source"] == first


def test_list_and_remove(run, kb_root):
    run("import", DATA / "shifan-2019.txt", "--no-index", root=kb_root)
    run("import", "--material", DATA / "handout.txt", "--no-index", root=kb_root)
    items = json.loads(run("import", "--list", "--json", root=kb_root)[1])
    assert [(i["kind"], i["id"], i["count"]) for i in items] == [("regulation", "shifan-2019", 17), ("material", "mat-handout", 9)]
    code, out, _ = run("import", "--remove", "mat-handout", "--no-index", root=kb_root)
    assert code == 0 and out == "已删除 local/materials/mat-handout.yaml。\n"
    code, _, err = run("import", "--remove", "mat-handout", root=kb_root)
    assert code == 1 and "本地没有编号为「mat-handout」的导入内容" in err


def test_as_with_several_files_and_no_files(run, kb_root):
    code, _, err = run("import", DATA / "shifan-2019.txt", DATA / "shifan-2023.txt", "--as", "shifan-2023", root=kb_root)
    assert code == 2 and "--as 只能用于一个文件" in err
    code, _, err = run("import", root=kb_root)
    assert code == 2 and "请指定要导入的文件" in err


def test_two_files_for_the_same_regulation(kb_root, tmp_path):
    copy = tmp_path / "again.txt"
    shutil.copy(DATA / "shifan-2023.txt", copy)
    with pytest.raises(Exception) as e:
        import_files(kb_root, [DATA / "shifan-2023.txt", copy])
    assert "都会导入为「shifan-2023」" in str(e.value)


def test_material_import_and_search(run, kb_root):
    code, out, err = run("import", "--material", DATA / "handout.txt", root=kb_root)
    assert code == 0, err
    assert out.splitlines()[:2] == ["导入 handout.txt → mat-handout《巡察谈话工作要点（培训讲义）》（学习材料）",
                                    "  分节：9 节（开头 1，第1级 1，第2级 4，第3级 3），共 243 字"]
    hits = json.loads(run("search", "主谈人", "--kind", "material", "--json", root=kb_root)[1])
    assert hits and hits[0]["id"].startswith("mat-handout#") and hits[0]["kind"] == "material"
    e = json.loads(run("show", hits[0]["id"], "--json", root=kb_root)[1])
    assert e["material_title"] == "巡察谈话工作要点（培训讲义）" and e["heading_path"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds 不存在（只有在项目工作区里才有种子文档）")
def test_seed_documents_as_materials(run, kb_root):
    seeds = sorted(SEEDS.glob("*.txt"))
    code, out, err = run("import", "--material", *seeds, "--json", root=kb_root)
    assert code == 0, err
    d = json.loads(out)
    assert len(d["imports"]) == len(seeds) and all(i["counts"]["节"] >= 4 for i in d["imports"])
    hits = json.loads(run("search", "谈话", "--kind", "material", "--limit", "20", "--json", root=kb_root)[1])
    assert {h["id"].split("#")[0] for h in hits} & {i["id"] for i in d["imports"]}
    assert run("check", root=kb_root)[0] == 0


def test_material_bad_as_id(run, kb_root):
    code, _, err = run("import", "--material", DATA / "handout.txt", "--as", "Bad ID", root=kb_root)
    assert code == 1 and "材料编号用小写拼音" in err


def test_index_notices_overlay_changes(kb_root):
    kb = KnowledgeBase.open(kb_root, notify=None)
    assert kb.get("shifan-2023#3")["text"] is None
    kb.close()
    import_files(kb_root, [DATA / "shifan-2023.txt"])
    notes = []
    kb = KnowledgeBase.open(kb_root, notify=notes.append)
    assert notes == ["语料已变更，正在重建索引…"]
    assert kb.get("shifan-2023#3")["text"].startswith("市委巡察工作对象包括")
    kb.close()


def test_failed_rename_rolls_back_the_batch(kb_root, monkeypatch):
    import_files(kb_root, [DATA / "shifan-2019.txt"])
    before = (kb_root / "local" / "regulations" / "shifan-2019.yaml").read_bytes()
    real = store.os.replace
    calls = []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(src, dst)
    monkeypatch.setattr(store.os, "replace", flaky)
    with pytest.raises(InputError, match="无法写入 local/（No space left on device）"):
        import_files(kb_root, [DATA / "shifan-2019.txt", DATA / "shifan-2023.txt"], mark=True)
    monkeypatch.setattr(store.os, "replace", real)
    assert (kb_root / "local" / "regulations" / "shifan-2019.yaml").read_bytes() == before
    assert not (kb_root / "local" / "regulations" / "shifan-2023.yaml").exists()
    assert not [p for p in (kb_root / "local" / "regulations").iterdir() if p.name.startswith(".")]


def test_validation_failure_writes_nothing(kb_root, monkeypatch):
    from xuncha.importer import plan as plan_mod
    monkeypatch.setattr(plan_mod, "read_yaml", lambda p, rel: (None, []))
    with pytest.raises(Exception) as e:
        import_files(kb_root, [DATA / "shifan-2023.txt"])
    assert "已放弃写入" in str(e.value)
    assert not list((kb_root / "local" / "regulations").glob("*"))


def test_library_batch_error_lists_every_file(kb_root):
    with pytest.raises(ImportFailed) as e:
        import_files(kb_root, [DATA / "jump.txt", DATA / "notice.txt", DATA / "shifan-2023.txt"])
    assert [x.file for x in e.value.errors] == ["jump.txt", "notice.txt"]
    assert list_imports(kb_root) == []
    with pytest.raises(Exception):
        remove_import(kb_root, "shifan-2023")


def test_broken_overlay_file_is_reported_by_check(run, kb_root):
    import_files(kb_root, [DATA / "shifan-2019.txt"])
    p = kb_root / "local" / "regulations" / "shifan-2019.yaml"
    data = yaml.safe_load(p.read_text(encoding="utf-8"))
    data["articles"][0]["number"] = "一"
    data["articles"][1]["colour"] = "红"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out, _ = run("check", root=kb_root)
    assert code == 1
    assert "local/regulations/shifan-2019.yaml#articles[#1].number: 类型应为整数" in out
    assert "local/regulations/shifan-2019.yaml#articles[第2条].colour: 未知字段" in out


def test_overlay_file_named_differently_from_its_id(run, kb_root):
    import_files(kb_root, [DATA / "shifan-2019.txt"])
    d = kb_root / "local" / "regulations"
    (d / "shifan-2019.yaml").rename(d / "other-2019.yaml")
    code, out, _ = run("check", root=kb_root)
    assert code == 1 and "编号「shifan-2019」与文件名「other-2019」不一致" in out


def test_repo_local_folder_is_untouched(kb_root):
    repo_local = HERE.parent / "local"
    before = sorted(p.name for p in repo_local.rglob("*")) if repo_local.exists() else None
    import_files(kb_root, [DATA / "shifan-2019.txt"])
    after = sorted(p.name for p in repo_local.rglob("*")) if repo_local.exists() else None
    assert before == after


def test_json_errors_for_programs(run, kb_root):
    code, out, err = run("import", DATA / "jump.txt", "--json", root=kb_root)
    assert code == 1
    d = json.loads(out)
    assert d["written"] is False and d["errors"][0]["file"] == "jump.txt" and d["errors"][0]["line"] == "第 14 行"


class _TTYInput:
    def __init__(self, answer):
        self.answer = answer

    def isatty(self):
        return True

    def readline(self):
        return self.answer


@pytest.mark.parametrize("answer,marked", [("y\n", 3), ("\n", 0)])
def test_interactive_offer_to_mark(run, kb_root, monkeypatch, answer, marked):
    import sys
    monkeypatch.setattr(sys, "stdin", _TTYInput(answer))
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, _ = run("import", DATA / "shifan-2023.txt", "--no-index", root=kb_root)
    assert code == 0 and "是否把与要点相符的 3 条标记为条号已核实" in out
    assert sum(1 for a in overlay(kb_root, "shifan-2023")["articles"] if a.get("number_verified")) == marked


def test_fewer_articles_than_the_regulation_has(run, kb_root, tmp_path):
    text = (DATA / "shifan-2023.txt").read_text(encoding="utf-8")
    short = tmp_path / "short.txt"
    short.write_text(text[: text.index("第十九条")], encoding="utf-8")
    code, _, err = run("import", short, root=kb_root)
    assert code == 1
    assert err.startswith("xuncha: short.txt 第 58 行：只有 18 条，而《巡察工作示范规则》（2023年修订）共 20 条：文件可能被截断，或不是这一版本")
    code, out, err = run("import", short, "--partial", "--no-index", root=kb_root)
    assert code == 0, err
    assert "提示：共 18 条，与语料记录的 20 条不一致；请核对版本" in out
    assert len(overlay(kb_root, "shifan-2023")["articles"]) == 18


def test_partial_excerpt_with_a_gap(run, kb_root):
    code, out, err = run("import", DATA / "jump.txt", "--partial", "--no-index", root=kb_root)
    assert code == 0, err
    assert "提示：第 14 行：第十条之后是第十二条，缺少第十一条（节选）" in out
    assert [a["number"] for a in overlay(kb_root, "shifan-2023")["articles"]][-3:] == [10, 12, 13]


def test_augmented_regulation_keeps_the_shipped_record(kb_root):
    from xuncha.corpus import load_corpus
    import_files(kb_root, [DATA / "shifan-2023.txt"])
    reg = load_corpus(kb_root).regulations["shifan-2023"]
    assert [a["number"] for a in reg["articles"]] == list(range(1, 21))
    assert [a["number"] for a in reg["_shipped"]["articles"]] == [3, 11, 15, 17, 18]
    assert all(a.get("text_only") for a in reg["articles"] if a["number"] not in (3, 11, 15, 17, 18))
