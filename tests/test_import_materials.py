"""Splitting study materials by heading hierarchy, on an invented handout and on the real seed documents."""
import re
from pathlib import Path

import pytest

from xuncha.importer import ImportFileError
from xuncha.importer.materials import split_material
from xuncha.importer.readers import Line, Source, read_file

HERE = Path(__file__).parent
DATA = HERE / "data" / "import"
SEEDS = HERE.parent.parent / "shared" / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


def src_of(text, styles=None):
    lines = [Line(f"第 {i} 行", t, style=(styles or {}).get(i, "")) for i, t in enumerate(text.split("\n"), 1)]
    return Source(Path("m.txt"), "m.txt", "txt", "0" * 64, 1, lines)


def test_handout_levels_and_paths():
    doc = split_material(read_file(DATA / "handout.txt"))
    assert doc.title == "巡察谈话工作要点（培训讲义）"
    by_title = {s["title"]: s for s in doc.sections}
    assert by_title["（一）熟悉情况"]["path"] == ["一、谈话前的准备"] and by_title["（一）熟悉情况"]["level"] == 2
    assert by_title["（一）熟悉情况"]["text"].startswith("谈话前要把")
    shi = by_title["二是约定暗号"]
    assert shi["path"] == ["一、谈话前的准备", "（二）分工配合"] and shi["level"] == 3
    assert by_title["1. 先易后难"]["path"] == ["二、谈话中的方法"]
    assert by_title["三、谈话后的整理"]["level"] == 1
    assert doc.sections[0]["title"].endswith("（开头部分）")


def test_top_level_is_the_first_marker_kind_seen():
    doc = split_material(src_of("讲话稿\n（一）第一点。正文甲。\n1. 细目。正文乙。\n（二）第二点。正文丙。"))
    assert [(s["title"], s["level"]) for s in doc.sections] == [("（一）第一点", 1), ("1. 细目", 2), ("（二）第二点", 1)]


def test_word_heading_styles():
    doc = split_material(src_of("讲义\n谈话准备\n准备正文。\n谈话方法\n方法正文。", styles={2: "Heading 1", 4: "Heading 1"}))
    assert [s["title"] for s in doc.sections] == ["谈话准备", "谈话方法"]


def test_inline_enumeration_needs_two_in_order():
    doc = split_material(src_of("题目\n一、要求\n这一是非常重要的。不能分开。"))
    assert [s["title"] for s in doc.sections] == ["一、要求"]


def test_no_headings_is_one_section_with_warning():
    doc = split_material(src_of("一段没有任何层级标题的长文字，讲巡察工作的体会。\n第二段文字。"))
    assert len(doc.sections) == 1 and any("没有识别到标题层级" in w for w in doc.warnings)
    assert any("--title" in w for w in doc.warnings)


def test_title_only_is_refused():
    with pytest.raises(ImportFileError):
        split_material(src_of("只有一个标题"))


def test_regulation_imported_as_material_is_warned():
    doc = split_material(read_file(DATA / "shifan-2023.txt"))
    assert any("去掉 --material" in w for w in doc.warnings)


@pytest.mark.skipif(not SEED_FILES, reason="../shared/seeds 不存在（只有在项目工作区里才有种子文档）")
@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_seed_documents_split_without_losing_text(path):
    src = read_file(path)
    doc = split_material(src)
    assert len(doc.sections) >= 4
    assert all(s["title"] and s["text"] for s in doc.sections)
    top = [s for s in doc.sections if s["level"] == 1 or (s["level"] and not s["path"])]
    assert top, "at least one top-level heading (一、…) is found"
    squash = lambda t: re.sub(r"\s", "", t)
    body = squash(src.text())
    kept = sum(len(squash(s["text"])) for s in doc.sections)
    assert kept >= 0.9 * (len(body) - len(squash(doc.title))), "almost no text is lost"
    for s in doc.sections:
        assert squash(s["text"]) in body
