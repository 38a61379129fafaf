"""MkDocs hook: the knowledge base's pages, generated from the corpus at build time.

- on_config: validates the corpus with the same validator as ``xuncha check`` (a bad record stops the
  build with every problem listed), writes the jieba user dictionary for the search plugin from
  ``xuncha/data/domain_terms.txt`` (the Whoosh index's dictionary) and fills in the nav sections.
- on_files: adds a virtual page for every regulation, checklist, finding and method, the four index
  pages and the CLI reference (from ``--help``). Nothing is written into docs/.
- on_page_markdown: ``<!-- xuncha:schema KIND -->`` in a hand-written page becomes the field table of
  that record kind, read from its JSON schema (so 数据说明 cannot drift from the schemas).
- on_post_build: removes the search language packs of languages the site does not use.
- on_serve: ``mkdocs serve`` also rebuilds when a record changes.

The corpus is the folder holding mkdocs.yml, or $XUNCHA_ROOT."""
import logging
import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

try:
    import xuncha  # noqa: F401
except ImportError:  # a checkout that was not installed
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from xuncha.analysis import load_domain_terms
from xuncha.corpus import check_corpus
from xuncha.paths import KIND_DIRS
from xuncha.errors import XunchaError
from xuncha.site import Site, cli_reference, expand_schema_marks, jieba_userdict, site_entries

log = logging.getLogger("mkdocs.hooks.xuncha_site")
CLI_PAGE = "CLI参考.md"
_state = {}


def corpus_root(config):
    env = os.environ.get("XUNCHA_ROOT")
    return Path(env).resolve() if env else Path(config.config_file_path).resolve().parent


@event_priority(100)  # before the search plugin loads the jieba dictionary
def on_config(config):
    root = corpus_root(config)
    corpus, problems = check_corpus(root)
    if corpus is None:
        errors = [str(p) for p in problems if p.level == "error"]
        raise PluginError(f"语料校验未通过（{root}），站点未构建：{len(errors)} 处问题\n" + "\n".join(errors)
                          + "\n请逐条修改后运行 xuncha check，再重新构建。")
    for p in problems:  # warnings of the validator (a BOM, a stray file): shown, never fatal
        log.info(str(p))
    opts = config.extra.get("xuncha") or {}
    _state["root"] = root
    _state["entries"] = site_entries(corpus, local_texts=bool(opts.get("local_texts")))

    cache = Path(config.config_file_path).resolve().parent / "build" / "site-cache"
    cache.mkdir(parents=True, exist_ok=True)
    userdict = cache / "jieba_userdict.txt"
    userdict.write_text(jieba_userdict(load_domain_terms()), encoding="utf-8")
    for name, plugin in config.plugins.items():
        if name.split("/")[-1] == "search" and "jieba_dict_user" in plugin.config:
            plugin.config.jieba_dict_user = str(userdict)

    sections = Site(_state["entries"]).nav()
    if config.nav:
        config.nav = _expand_nav(config.nav, sections)
    return config


def _expand_nav(items, sections):
    out = []
    for item in items:
        if isinstance(item, dict):
            (title, value), = item.items()
            if isinstance(value, str) and value in sections:
                value = [value, *sections[value]]
            elif isinstance(value, list):
                value = _expand_nav(value, sections)
            out.append({title: value})
        else:
            out.append(item)
    return out


def on_files(files, config):
    pages = Site(_state["entries"], use_directory_urls=config.use_directory_urls).pages()
    pages[CLI_PAGE] = cli_reference()
    for uri, markdown in pages.items():
        old = files.get_file_from_path(uri)
        if old is not None:
            log.warning(f"docs/{uri} 与由语料生成的页面重名，已被生成页面取代；请删除或改名该文件")
            files.remove(old)
        files.append(File.generated(config, uri, content=markdown))
    return files


def on_page_markdown(markdown, page, config, files):
    """Hand-written pages may hold ``<!-- xuncha:schema KIND -->``: replaced by that schema's field table."""
    try:
        return expand_schema_marks(markdown)
    except XunchaError as e:
        raise PluginError(f"{page.file.src_uri}: {e}") from e


def on_post_build(config):
    """Drop the search language packs this site never loads (only the configured languages are used);
    they are third-party files full of links in comments, and dead weight on a USB stick."""
    langs = set()
    for name, plugin in config.plugins.items():
        if name.split("/")[-1] == "search":
            langs = set(plugin.config.get("lang") or [])
    lunr = Path(config.site_dir) / "assets" / "javascripts" / "lunr"
    if not langs or not lunr.is_dir():
        return
    for f in (lunr / "min").glob("lunr.*.min.js"):
        lang = f.name.split(".")[1]
        if len(lang) == 2 and lang not in langs:
            f.unlink()
    for seg, needs in (("tinyseg.js", {"ja"}), ("wordcut.js", {"th", "hi"})):
        if not langs & needs and (lunr / seg).exists():
            (lunr / seg).unlink()


def on_serve(server, config, builder):
    root = _state.get("root") or corpus_root(config)
    for sub in (*KIND_DIRS.values(), "local"):
        if (root / sub).is_dir():
            server.watch(str(root / sub))
    return server
