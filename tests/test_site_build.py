"""The real site: `mkdocs build --strict` over the shipped corpus, every record on it, Chinese search
index, no external URL, and a bad record stopping the build with the validator's messages."""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from xuncha.cli import build_parser
from xuncha.corpus import check_corpus, load_corpus
from xuncha.site import command_paths, site_entries

REPO = Path(__file__).resolve().parent.parent
LOCAL_HOSTS = {"localhost", "127.0.0.1", "0.0.0.0", "[::1]", "::1", ""}
# URLs that occur in Material for MkDocs' own files but are never requested by this site. Each is
# either text (a licence comment, a console message) or loaded only in a case the tests rule out.
INERT_URLS = {
    "https://api.github.com/": "仓库信息组件：只在设置了 repo_url 时运行（test_no_repository_or_mermaid_widgets）",
    "https://${e}/api/v4/projects/": "GitLab 仓库信息组件：同样只在设置了 repo_url 时运行",
    "https://unpkg.com/mermaid": "只在页面有 mermaid 图时加载（同上，本站没有）",
    "https://unpkg.com/resize-observer-polyfill": "只在浏览器缺少 ResizeObserver 时加载（2020 年后的浏览器都有）",
    "https://clipboardjs.com/": "许可证注释",
    "http://lunrjs.com": "许可证注释",
    "http://tartarus.org/~martin/PorterStemmer": "许可证注释",
    "https://fontawesome.com": "图标许可证注释",
    "https://bit.ly/2s3ChXG": "检索出错时控制台警告中的文字",
}
XML_NAMESPACES = ("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink", "http://www.w3.org/1999/xhtml",
                  "http://www.w3.org/1998/Math/MathML", "http://www.sitemaps.org/schemas/sitemap/0.9")
URL_RE = re.compile(r"""https?://[^\s"'`<>)\\]*""")
# protocol-relative (//fonts.example.com/...) only where a URL can start: after a quote, ( or =
PROTO_REL_RE = re.compile(r"""(?<=["'(=])//[a-z0-9-]+(?:\.[a-z0-9-]+)+[^\s"'`<>)\\]*""", re.I)


def mkdocs_build(site_dir, root=None, strict=True):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("XUNCHA_ROOT", None)
    if root:
        env["XUNCHA_ROOT"] = str(root)
    argv = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(REPO / "mkdocs.yml"), "-d", str(site_dir)]
    return subprocess.run(argv + (["--strict"] if strict else []), env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The shipped corpus built once per test session (shared with tests/e2e)."""
    site = tmp_path_factory.getbasetemp() / "xuncha-site"
    if not (site / ".built").exists():
        shutil.rmtree(site, ignore_errors=True)
        res = mkdocs_build(site)
        assert res.returncode == 0, f"mkdocs build --strict failed:\n{res.stdout}\n{res.stderr}"
        (site / ".built").write_text("ok")
    return site


@pytest.fixture(scope="session")
def entries():
    return site_entries(load_corpus(REPO))


def ids_in(path):
    return set(re.findall(r'\sid="([^"]+)"', path.read_text(encoding="utf-8")))


def test_every_record_has_its_page_and_anchor(built_site, entries):
    missing = []
    for e in entries.values():
        k = e["kind"]
        if k in ("regulation", "checklist", "finding", "method"):
            page = built_site / {"regulation": "regulations", "checklist": "checklists", "finding": "findings",
                                 "method": "methods"}[k] / f"{e['id']}.html"
            if not page.exists() or e["id"] not in page.read_text(encoding="utf-8"):
                missing.append(e["id"])
        elif k in ("article", "provision", "section", "checklist_item"):
            page = built_site / (f"regulations/{e['regulation']}.html" if k != "checklist_item" else f"checklists/{e['checklist']}.html")
            anchor = f"a{e['article']}" if k == "article" else e["id"].split("#")[1] if k != "checklist_item" else e["id"]
            if anchor not in ids_in(page):
                missing.append(e["id"])
    assert not missing, f"{len(missing)} records without their page or anchor: {missing[:10]}"


def test_hand_written_pages_and_sections_are_built(built_site):
    for page in ("index.html", "快速上手.html", "检索指南.html", "数据说明.html", "部署.html", "CLI参考.html",
                 "regulations/index.html", "checklists/index.html", "findings/index.html", "methods/index.html"):
        assert (built_site / page).is_file(), page
    data = (built_site / "数据说明.html").read_text(encoding="utf-8")
    assert "xuncha:schema" not in data and "<code>number_verified</code>" in data  # field tables came from the schemas


def test_method_section_has_the_generated_stage_diagram(built_site, entries):
    html = (built_site / "methods" / "index.html").read_text(encoding="utf-8")
    stages = sorted((e for e in entries.values() if e["kind"] == "method" and e["category"] == "stage"), key=lambda e: e["order"])
    svg = html[html.index("<svg class=\"xc-round__svg\""):html.index("</svg>", html.index("xc-round__svg"))]
    assert re.findall(r'<a href="([^"]+)"', svg) == [f"{s['id']}.html" for s in stages]
    for s in stages:
        assert (built_site / "methods" / f"{s['id']}.html").is_file()


def test_cli_reference_page_documents_every_command(built_site):
    html = (built_site / "CLI参考.html").read_text(encoding="utf-8")
    for path in command_paths(build_parser()):
        assert f'id="xuncha-{"-".join(path)}"' in html, f"xuncha {' '.join(path)} is missing from the CLI reference"


def test_chinese_search_index(built_site):
    data = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    cfg = data["config"]
    assert cfg["lang"] == ["zh"] and "\\u200b" in cfg["separator"]
    assert re.split(cfg["separator"].replace("\\u200b", "\u200b"), "三重\u200b一大") == ["三重", "一大"]
    # jieba ran with the domain dictionary: its terms are whole tokens inside article text
    texts = [d["text"] for d in data["docs"] if re.search(r"#a\d+$", d["location"])]
    assert texts and sum("\u200b三重一大\u200b" in t for t in texts) >= 1
    assert any("\u200b公务用车\u200b" in t for t in texts)
    # the offline plugin inlined the same index for opening from a folder
    js = (built_site / "search" / "search_index.js").read_text(encoding="utf-8")
    assert js.startswith("var __index = ") and json.loads(js[len("var __index = "):]) == data


def test_jieba_dictionary_is_generated_from_the_domain_terms():
    from xuncha.analysis import load_domain_terms
    words = [line.split()[0] for line in (REPO / "build" / "site-cache" / "jieba_userdict.txt").read_text(encoding="utf-8").splitlines()]
    assert words and set(words) == set(load_domain_terms())


def _external(url):
    host = urlsplit(url if "://" in url else "http:" + url).hostname or ""
    return host not in LOCAL_HOSTS and not url.startswith(XML_NAMESPACES)


def test_no_external_urls_in_the_built_site(built_site):
    found = {}
    for path in built_site.rglob("*"):
        if path.suffix not in (".html", ".js", ".css", ".json", ".xml", ".svg"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for m in (*URL_RE.finditer(text), *PROTO_REL_RE.finditer(text)):
            url = m.group(0)
            if _external(url) and not url.startswith(tuple(INERT_URLS)):
                found.setdefault(path.relative_to(built_site).as_posix(), set()).add(url[:100])
    assert not found, f"external URLs in the built site: {found}"
    html = "".join(p.read_text(encoding="utf-8") for p in built_site.rglob("*.html"))
    for forbidden in ("fonts.googleapis", "fonts.gstatic", "googletagmanager", "google-analytics", "unpkg.com", "cdn.jsdelivr"):
        assert forbidden not in html, forbidden
    assert "assets/vendor/iframe-worker/shim.js" in (built_site / "index.html").read_text(encoding="utf-8")


def test_no_repository_or_mermaid_widgets(built_site):
    """The conditions under which Material's bundle would load one of INERT_URLS never occur."""
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert 'data-md-component="source"' not in html and 'class="mermaid"' not in html, page


def test_unused_search_language_packs_are_dropped(built_site):
    lunr = built_site / "assets" / "javascripts" / "lunr" / "min"
    assert (lunr / "lunr.zh.min.js").exists() and (lunr / "lunr.stemmer.support.min.js").exists()
    assert not (lunr / "lunr.de.min.js").exists()


def test_bad_record_fails_the_build_with_the_validators_messages(tmp_corpus, tmp_path):
    f = tmp_corpus / "findings" / "f-cun-jiayoufei.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("jilv-2023#", "jilv-2023#9", 1), encoding="utf-8")
    _, problems = check_corpus(tmp_corpus)
    errors = [str(p) for p in problems if p.level == "error"]
    assert errors
    res = mkdocs_build(tmp_path / "site", root=tmp_corpus, strict=False)
    out = res.stdout + res.stderr
    assert res.returncode != 0 and "语料校验未通过" in out
    for e in errors:
        assert e in out
    assert not (tmp_path / "site" / "index.html").exists()


def test_site_build_command_on_another_corpus(run, tmp_corpus, tmp_path):
    code, out, err = run("site", "build", "--site-dir", tmp_path / "s", "--no-strict", root=tmp_corpus)
    assert code == 0, err
    assert "网站已构建到" in out
    assert (tmp_path / "s" / "regulations" / "sanzhong-2010.html").is_file()
    assert not (tmp_path / "s" / "regulations" / "dangzhang-2022.html").exists()  # only that corpus's records


def test_site_command_without_mkdocs_config(run, tmp_path, monkeypatch):
    import xuncha.site as site_mod
    monkeypatch.setattr(site_mod, "__file__", str(tmp_path / "pkg" / "site.py"))
    code, out, err = run("site", "build", root=tmp_path)
    assert code == 1 and "找不到 mkdocs.yml" in err and "Traceback" not in err
