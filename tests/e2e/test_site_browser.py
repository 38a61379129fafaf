"""The built site in a real browser: headless Chromium (Debian's `chromium`) driven by Playwright.

Serves the site on 127.0.0.1, types Chinese queries into the search box, checks the results link to the
right article anchors, opens one, and records every request the page makes: none may leave localhost.
Screenshots are kept in test-artifacts/. The site also has to search when opened from a folder (file://)."""
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from test_site_build import REPO, built_site, entries  # noqa: F401  (session fixtures: one build for both files)

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = REPO / "test-artifacts"
QUERIES = ("公务用车", "三重一大")


def _chromium():
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        try:
            subprocess.run("apt-get update -qq && apt-get install -y -qq chromium", shell=True, env=env,
                           capture_output=True, timeout=900)
        except subprocess.TimeoutExpired:
            pass
    return CHROMIUM if Path(CHROMIUM).exists() else None


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    sync_api = pytest.importorskip("playwright.sync_api", reason="未安装 playwright（pip install playwright）")
    exe = _chromium()
    if exe is None:
        pytest.skip(f"没有 {CHROMIUM}，且无法用 apt-get install chromium 安装（需要 root 和 Debian 软件源）")
    with sync_api.sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(str(tmp_path_factory.mktemp("chromium-profile")), executable_path=exe,
                                                   headless=True, args=ARGS, viewport={"width": 1280, "height": 900})
        yield ctx
        ctx.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(built_site):  # noqa: F811
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(built_site)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/"
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def page(browser, server):
    """A fresh tab that records every request and refuses any that would leave this machine."""
    pg = browser.new_page()
    pg.requests = []

    def route(r):
        pg.requests.append(r.request.url)
        host = urlsplit(r.request.url).hostname
        if urlsplit(r.request.url).scheme in ("http", "https", "ws", "wss") and host not in ("127.0.0.1", "localhost"):
            r.abort()
        else:
            r.continue_()
    pg.route("**/*", route)
    yield pg
    pg.close()


def external(requests):
    return [u for u in requests if urlsplit(u).scheme not in ("file", "data", "blob", "about")
            and urlsplit(u).hostname not in ("127.0.0.1", "localhost")]


def search(pg, query, timeout=15000):
    box = pg.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.type(query)
    box.press("End")  # a key event makes the search run even if its index was still loading while typing
    pg.wait_for_selector(".md-search-result__item", timeout=timeout)
    pg.wait_for_timeout(300)
    return pg.eval_on_selector_all(".md-search-result__link", "els => els.map(e => e.href)")


def target(href, base):
    """'http://127.0.0.1:p/regulations/x.html?h=..#a113' -> ('regulations/x.html', 'a113')."""
    u = urlsplit(href)
    path = unquote(u.path)[len(urlsplit(base).path):] if base.startswith("http") else unquote(u.path)
    return path.lstrip("/"), unquote(u.fragment)


def expected_anchors(entries, query):  # noqa: F811
    """(page, anchor) of every article, provision or section whose own text mentions the query."""
    out = set()
    for e in entries.values():
        if e["kind"] in ("article", "provision", "section"):
            text = " ".join([e["topic"], e["title"], e["digest"], e["look_for"], " ".join(e["keywords"])])
            if query in text:
                anchor = f"a{e['article']}" if e["kind"] == "article" else e["id"].split("#")[1]
                out.add((f"regulations/{e['regulation']}.html", anchor))
    return out


@pytest.mark.parametrize("query", QUERIES)
def test_search_finds_the_right_articles_and_opens_one(page, server, entries, query):  # noqa: F811
    expected = expected_anchors(entries, query)
    assert expected, f"the corpus should mention {query}"
    page.goto(server + "index.html")
    assert "巡察知识库" in page.title()
    hrefs = search(page, query)
    hits = [h for h in hrefs if target(h, server) in expected]
    assert hits, f"{query}: no result links to an article that mentions it; got {[target(h, server) for h in hrefs][:10]}"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"search-{query}.png"))

    links = page.locator(".md-search-result__link")
    visible = [i for i, h in enumerate(hrefs) if h in hits and links.nth(i).is_visible()]
    assert visible, f"{query}: the matching results are all folded away"
    path, anchor = target(hrefs[visible[0]], server)
    links.nth(visible[0]).click()
    page.wait_for_url(re.compile(re.escape(anchor) + "$"))
    assert unquote(urlsplit(page.url).path).endswith(path)
    section = page.locator(f"[id='{anchor}']")
    assert section.count() == 1 and section.is_visible()
    body = page.locator("article").inner_text()
    assert query in body
    page.screenshot(path=str(ARTIFACTS / f"article-{query}.png"))
    assert not external(page.requests), f"requests outside localhost: {external(page.requests)}"
    assert any(u.endswith("search/search_index.json") for u in page.requests)


def test_search_finds_words_from_the_middle_of_article_text(page, server, built_site):  # noqa: F811
    """A word that occurs only inside an article's text (no title has it) still finds that article."""
    data = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    titles = "".join(d["title"].replace("\u200b", "") for d in data["docs"])
    counts = {}
    for d in data["docs"]:
        for tok in set(d["text"].split("\u200b")):
            counts[tok] = counts.get(tok, 0) + 1
    word = loc = None
    for d in data["docs"]:
        if not re.search(r"regulations/.+#a\d+$", d["location"]):
            continue
        toks = d["text"].split("\u200b")
        for tok in toks[len(toks) // 3: 2 * len(toks) // 3]:
            if re.fullmatch(r"[\u4e00-\u9fff]{3,}", tok) and tok not in titles and counts[tok] <= 3:
                word, loc = tok, d["location"]
                break
        if word:
            break
    assert word, "no article has a distinctive word in the middle of its text"
    page.goto(server + "index.html")
    hrefs = search(page, word)
    assert loc in {"#".join(target(h, server)) for h in hrefs}, f"{word}: {loc} not among {hrefs[:8]}"
    assert not external(page.requests)


def test_site_searches_when_opened_from_a_folder(browser, built_site):  # noqa: F811
    pg = browser.new_page()
    requests = []
    pg.on("request", lambda r: requests.append(r.url))
    pg.goto((built_site / "index.html").as_uri())
    hrefs = search(pg, "三重一大")
    assert any("regulations/" in h for h in hrefs)
    assert all(u.startswith(("file:", "data:", "blob:", "about:")) for u in requests), external(requests)
    pg.close()
