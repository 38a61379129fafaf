"""xuncha.site: the Markdown pages generated from the corpus, without running MkDocs."""
import json
import re

import markdown
import pytest

from xuncha.analysis import load_domain_terms
from xuncha.cli import build_parser
from xuncha.corpus import load_corpus
from xuncha.errors import XunchaError
from xuncha.records import SCHEMA_DIR
from xuncha.site import (Site, _subcommands, cli_reference, command_paths, esc, expand_schema_marks, jieba_userdict, mkdocs_command,
                         rel_link, schema_table, site_entries)

MD_EXT = ["attr_list", "tables", "admonition", "md_in_html"]


@pytest.fixture
def sample(tmp_corpus):
    corpus = load_corpus(tmp_corpus)
    return corpus, Site(site_entries(corpus))


def render(md):
    return markdown.markdown(md, extensions=MD_EXT)


def html_ids(html):
    return set(re.findall(r'\sid="([^"]+)"', html))


def test_every_record_has_a_page(sample):
    corpus, site = sample
    pages = site.pages()
    for rid in corpus.regulations:
        assert f"regulations/{rid}.md" in pages
    for kind, folder in (("checklists", "checklists"), ("findings", "findings"), ("methods", "methods")):
        for rid in getattr(corpus, kind):
            assert f"{folder}/{rid}.md" in pages, rid
    for index in ("regulations", "checklists", "findings", "methods"):
        assert f"{index}/index.md" in pages


def test_every_article_provision_section_and_item_has_its_anchor(sample):
    corpus, site = sample
    pages = site.pages()
    for e in corpus.entries.values():
        if e["kind"] == "article":
            page, anchor = f"regulations/{e['regulation']}.md", f"a{e['article']}"
        elif e["kind"] in ("provision", "section"):
            page, anchor = f"regulations/{e['regulation']}.md", e["id"].split("#")[1]
        elif e["kind"] == "checklist_item":
            page, anchor = f"checklists/{e['checklist']}.md", e["id"]
        else:
            continue
        assert anchor in html_ids(render(pages[page])), e["id"]


def test_article_shows_citation_flag_status_and_backlinks(sample):
    _, site = sample
    html = render(site.pages()["regulations/jilv-2023.md"])
    sec = html[html.index('id="a113"'):]
    sec = sec[:sec.index("<h3", 10)] if "<h3" in sec[10:] else sec
    entry = site.e["jilv-2023#113"]
    assert entry["citation"] in sec and entry["digest"] in sec and entry["look_for"] in sec
    assert "条号已核实" in sec and "现行有效" in sec
    for item in entry["cited_by"]["checklist_items"]:
        assert f'href="../checklists/cun-shequ.md#{item}"' in sec
    for f in entry["cited_by"]["findings"]:
        assert f'href="../findings/{f}.md"' in sec


def test_unverified_article_number_is_flagged(sample):
    _, site = sample
    unverified = [e for e in site.e.values() if e["kind"] == "article" and not e["number_verified"]]
    assert unverified, "the sample corpus should hold an article whose number is unverified"
    e = unverified[0]
    html = render(site.pages()[f"regulations/{e['regulation']}.md"])
    sec = html[html.index(f'id="a{e["article"]}"'):]
    assert "条号待核" in sec[:400]
    assert "（条号待核）" in e["citation"] and e["citation"] in sec


def test_superseded_version_points_to_the_new_one(sample):
    _, site = sample
    md = site.pages()["regulations/jilv-2018.md"]
    assert "已被修订" in md and "](jilv-2023.md)" in md


def test_finding_links_to_its_basis_anchors(sample):
    corpus, site = sample
    f = corpus.findings["f-cun-jiayoufei"]
    md = site.pages()["findings/f-cun-jiayoufei.md"]
    for b in f["basis"]:
        reg, _, num = b.partition("#")
        frag = f"a{num}" if num.isdigit() else num
        assert f"(../regulations/{reg}.md#{frag})" in md
    assert f["subject"].startswith("***") and "\\*\\*\\*" + f["subject"][3:] in md  # masks escaped, not bold
    assert f["subject"] in render(md)


def test_masked_names_render_literally():
    assert render(esc("***村党支部书记在**镇")) == "<p>***村党支部书记在**镇</p>"
    assert render(esc("1. 不是列表 <b>x</b> [链接](y)")) == "<p>1. 不是列表 &lt;b&gt;x&lt;/b&gt; [链接](y)</p>"


def test_rel_link():
    assert rel_link("regulations/a.md", "regulations/a.md", "a1") == "a.md#a1"
    assert rel_link("findings/f.md", "regulations/a.md", "p01") == "../regulations/a.md#p01"
    assert rel_link("index.md", "methods/m.md") == "methods/m.md"


def test_stage_diagram_follows_stage_order(sample):
    corpus, site = sample
    svg = site.stage_svg("methods/index.md")
    stages = sorted((m for m in corpus.methods.values() if m["category"] == "stage"), key=lambda m: m["order"])
    hrefs = re.findall(r'<a href="([^"]+)"', svg)
    assert hrefs == [f"{m['id']}.html" for m in stages]
    assert svg.startswith("<svg") and "<script" not in svg and "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "m-stage" in site.pages()["methods/index.md"] and '<div class="xc-round" markdown="0">' in site.pages()["methods/index.md"]


def test_stage_diagram_on_the_real_corpus_is_ordered_and_linked(real_kb):
    site = Site(site_entries(real_kb.corpus), use_directory_urls=True)
    stages = site.stages
    assert len(stages) >= 6 and [s["order"] for s in stages] == sorted(s["order"] for s in stages)
    svg = site.stage_svg("methods/index.md")
    assert re.findall(r'<a href="([^"]+)"', svg) == [f"{s['id']}/" for s in stages]
    names = re.findall(r'class="xc-round__name">([^<]+)<', svg)
    assert [n.rstrip("…")[:2] for n in names] == [s["name"][:2] for s in stages]


def test_local_texts_stay_off_the_site_unless_asked(tmp_corpus):
    corpus = load_corpus(tmp_corpus)
    corpus.entries["jilv-2023#113"]["text"] = "本机导入的正式文本测试句。"
    corpus.regulations["local-2024"] = dict(corpus.regulations["sanzhong-2010"], id="local-2024", _local=True)
    shown = site_entries(corpus)
    assert shown["jilv-2023#113"]["text"] is None and "local-2024" not in shown
    assert "本机导入的正式文本测试句" not in Site(shown).pages()["regulations/jilv-2023.md"]
    page = Site(site_entries(corpus, local_texts=True)).pages()["regulations/jilv-2023.md"]
    assert "本机导入的正式文本测试句" in page and "正式文本" in page


def test_jieba_userdict_holds_every_domain_term_in_jieba_format():
    text = jieba_userdict(load_domain_terms())
    lines = text.splitlines()
    assert not any(line.startswith("#") for line in lines)
    words = [line.split()[0] for line in lines]
    assert all(re.fullmatch(r"\S+ \d+", line) for line in lines)
    assert set(words) == set(load_domain_terms()) and "三重一大" in words


def test_jieba_userdict_keeps_domain_terms_whole(tmp_path):
    import jieba
    path = tmp_path / "dict.txt"
    path.write_text(jieba_userdict(load_domain_terms()), encoding="utf-8")
    tk = jieba.Tokenizer()
    tk.load_userdict(str(path))
    assert "三重一大" in list(tk.cut("贯彻落实三重一大决策制度"))


def test_schema_tables_list_every_field():
    for path in SCHEMA_DIR.glob("*.schema.json"):
        kind = path.name.split(".")[0]
        schema = json.loads(path.read_text(encoding="utf-8"))
        table = schema_table(kind)
        for name in schema["properties"]:
            assert f"| `{name}` |" in table, (kind, name)
    assert "| `articles[].number` |" in schema_table("regulation")
    assert "<!--" not in expand_schema_marks("前\n<!-- xuncha:schema finding -->\n后")
    with pytest.raises(XunchaError):
        schema_table("nosuchkind")


def test_cli_reference_documents_every_subcommand():
    parser = build_parser()
    page = cli_reference(parser)
    paths = command_paths(parser)
    assert ("search",) in paths and ("site", "build") in paths and ("site", "serve") in paths
    for path in paths:
        assert f"\n## xuncha {' '.join(path)} {{#" in page or f"\n### xuncha {' '.join(path)} {{#" in page \
            or f"\n#### xuncha {' '.join(path)} {{#" in page, path
        sub = parser
        for name in path:
            sub = {n: p for n, _, p in _subcommands(sub)}[name]
        first_option = next((a.option_strings[-1] for a in sub._actions if a.option_strings and a.dest != "help"), None)
        if first_option:
            assert first_option in page, (path, first_option)


def test_mkdocs_command_builds_strict_with_the_corpus_root(tmp_corpus, tmp_path):
    argv, env = mkdocs_command(tmp_corpus, "build", site_dir=tmp_path / "out")
    assert argv[1:4] == ["-m", "mkdocs", "build"] and "--strict" in argv
    assert argv[argv.index("-d") + 1] == str((tmp_path / "out").resolve())
    assert env["XUNCHA_ROOT"] == str(tmp_corpus.resolve())
    argv, _ = mkdocs_command(tmp_corpus, "serve")
    assert argv[argv.index("-a") + 1] == "127.0.0.1:8000"
