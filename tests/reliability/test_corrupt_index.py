"""A corrupt or half-deleted index is detected and rebuilt with a message, never a traceback.

Every file of a built generation (found at run time, so new index files are covered too) is deleted,
emptied, cut in half, has bytes flipped, or is overwritten with random bytes; CURRENT is deleted,
emptied, filled with garbage or pointed elsewhere; whole folders go missing. After each, ``xuncha search``
and ``xuncha show`` must answer correctly and say that the index was rebuilt."""
import os
import random
import shutil

import pytest

from xuncha import KnowledgeBase
from xuncha.index import current_generation

from .conftest import COUNTS, assert_index_usable, fresh_copy, no_traceback


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    root = fresh_copy(tmp_path_factory.mktemp("pristine") / "kb")
    KnowledgeBase.open(root, notify=None).close()
    return root


def _gen_files(root):
    return sorted(p.name for p in current_generation(root / "index").iterdir() if p.is_file())


def _damage_file(p, how, rnd):
    data = p.read_bytes()
    if how == "delete":
        p.unlink()
    elif how == "empty":
        p.write_bytes(b"")
    elif how == "half":
        p.write_bytes(data[: len(data) // 2])
    elif how == "flip":
        b = bytearray(data)
        if not b:
            b = bytearray(b"\x00")
        for _ in range(8):
            i = rnd.randrange(len(b))
            b[i] ^= 0xFF
        p.write_bytes(bytes(b))
    elif how == "random":
        p.write_bytes(os.urandom(max(len(data), 16)))
    elif how == "append":
        p.write_bytes(data + b"\x00garbage")


FILE_DAMAGE = ["delete", "empty", "half", "flip", "random", "append"]
CURRENT_DAMAGE = {
    "current-deleted": lambda ix: (ix / "CURRENT").unlink(),
    "current-empty": lambda ix: (ix / "CURRENT").write_bytes(b""),
    "current-garbage": lambda ix: (ix / "CURRENT").write_bytes(os.urandom(40)),
    "current-names-nothing": lambda ix: (ix / "CURRENT").write_text("gen-20000101-000000-1-abcdef", encoding="utf-8"),
    "current-escapes": lambda ix: (ix / "CURRENT").write_text("../../regulations", encoding="utf-8"),
    "current-dot": lambda ix: (ix / "CURRENT").write_text(".", encoding="utf-8"),
    "generation-deleted": lambda ix: shutil.rmtree(current_generation(ix)),
    "generation-emptied": lambda ix: [p.unlink() for p in current_generation(ix).iterdir()],
    "generation-is-a-file": lambda ix: (shutil.rmtree(g := current_generation(ix)), g.write_bytes(b"x")),
    "index-deleted": lambda ix: shutil.rmtree(ix),
    "index-is-a-file": lambda ix: (shutil.rmtree(ix), ix.write_bytes(b"")),
}


def _cases(pristine):
    gen = current_generation(pristine / "index")
    return [(f, how) for f in _gen_files(pristine) for how in FILE_DAMAGE
            if (gen / f).stat().st_size or how not in ("empty", "half")]  # an empty file cannot be emptied


def _expect_answer(run, root, damaged_current=False):
    code, out, err = run("search", "公款吃喝", root=root)
    no_traceback(out, err)
    assert code == 0 and out.splitlines()[0].startswith("1.") and "jilv-2023#113" in out.split("\n\n")[0], out + err
    assert "索引" in err and ("重建" in err or "建立" in err), err
    code, out2, err2 = run("show", "jilv-2023#113", root=root)
    no_traceback(out2, err2)
    assert code == 0 and "违规公款吃喝" in out2 and err2 == ""
    assert_index_usable(root)
    return err


def test_every_file_of_a_generation_damaged_in_every_way(pristine, tmp_path, run):
    rnd = random.Random(11)
    cases = _cases(pristine)
    assert len(cases) >= 5 * len(FILE_DAMAGE)
    for name, how in cases:
        root = tmp_path / f"{name}-{how}"
        shutil.copytree(pristine, root)
        gen = current_generation(root / "index")
        _damage_file(gen / name, how, rnd)
        err = _expect_answer(run, root)
        assert current_generation(root / "index").name != gen.name, f"{name} {how}: not rebuilt ({err})"
        COUNTS["index_damage_cases"] += 1
        shutil.rmtree(root)


@pytest.mark.parametrize("case", list(CURRENT_DAMAGE))
def test_damaged_pointer_or_missing_folders(pristine, tmp_path, run, case):
    root = tmp_path / "kb"
    shutil.copytree(pristine, root)
    CURRENT_DAMAGE[case](root / "index")
    if case == "index-is-a-file":
        code, out, err = run("search", "公款吃喝", root=root)
        no_traceback(out, err)
        assert code == 1 and "无法写入索引目录" in err and "XUNCHA_INDEX_DIR" in err
    else:
        _expect_answer(run, root)
        assert (root / "regulations" / "jilv-2023.yaml").exists()
    COUNTS["index_damage_cases"] += 1


def test_reader_holding_a_generation_survives_its_deletion(pristine, tmp_path):
    """An open KnowledgeBase (a notebook) keeps answering after its generation is pruned by rebuilds."""
    root = tmp_path / "kb"
    shutil.copytree(pristine, root)
    kb = KnowledgeBase.open(root, notify=None)
    first = kb.search("公款吃喝")
    held = current_generation(root / "index")
    other = KnowledgeBase(root, notify=None)
    for _ in range(3):
        other.rebuild(force=True)
    other.close()
    assert not held.exists()
    try:
        assert [h["id"] for h in kb.search("公款吃喝")] == [h["id"] for h in first]
        assert kb.get("jilv-2023#113")["id"] == "jilv-2023#113"
        assert kb.resolve("纪律处分条例第113条") == "jilv-2023#113"
    finally:
        kb.close()
    COUNTS["index_damage_cases"] += 1
