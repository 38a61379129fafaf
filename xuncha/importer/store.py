"""Write overlay files whole or not at all: every file goes to a temporary name next to its target, is
read back and validated, and only then are all of them renamed into place (one ``os.replace`` each).
A crash or an error before the renames leaves the overlay exactly as it was."""
import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path

import yaml

from ..errors import IndexBusyError
from ..paths import LOCAL_DIR

README = """本目录由 xuncha import 生成，保存本单位导入的正式文本和学习材料。

它已被 .gitignore 排除：内容只留在本机，不会提交，也不会随项目发布。
regulations/<编号>.yaml  一部法规的正式文本（逐条）
materials/<编号>.yaml    一份学习材料（逐节）
删除某个文件即撤销该次导入（也可用 xuncha import --remove 编号）。格式说明见 docs/导入正式文本.md。
"""
MAX_OVERLAY_BYTES = 5 * 1024 * 1024   # the loader's limit for one YAML file (records.MAX_FILE_BYTES)


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper, value):
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def dump(data, header=""):
    """A mapping -> YAML text (Chinese kept as is, multi-line texts as literal blocks)."""
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6, default_flow_style=False)
    return "".join(f"# {h}\n" for h in header.splitlines()) + body


def local_dir(root):
    return Path(root) / LOCAL_DIR


@contextmanager
def locked(root, wait=30):
    """Hold ``local/.lock`` so two imports into the same knowledge base do not interleave."""
    import fcntl
    import time
    d = local_dir(root)
    d.mkdir(parents=True, exist_ok=True)
    fh = open(d / ".lock", "a+")
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise IndexBusyError(f"另一个导入正在进行，等待 {wait} 秒仍未完成；请稍后再试")
                time.sleep(0.1)
        yield d
    finally:
        try:
            fcntl.flock(fh, fcntl.LOCK_UN)
        finally:
            fh.close()


def _fsync_dir(d):
    try:
        fd = os.open(d, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_all(root, files, validate):
    """``files``: [(relative path under root, text)]. ``validate(tmp_path, rel)`` raises if a written
    file is not good; then nothing is renamed. Returns the written paths."""
    root = Path(root)
    temps = []
    with locked(root) as d:
        readme = d / "README.txt"
        if not readme.exists():
            readme.write_text(README, encoding="utf-8")
        try:
            for rel, text in files:
                target = root / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.parent / f".{target.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp"
                with open(tmp, "w", encoding="utf-8") as fh:
                    fh.write(text)
                    fh.flush()
                    os.fsync(fh.fileno())
                temps.append((tmp, target, rel))
            for tmp, _, rel in temps:
                validate(tmp, rel)
            _replace_all(temps)
            for parent in {t.parent for _, t, _ in temps}:
                _fsync_dir(parent)
        finally:
            for tmp, _, _ in temps:
                if tmp.exists():
                    tmp.unlink()
    return [t for _, t, _ in temps]


def _replace_all(temps):
    """Rename every temporary file into place; if one rename fails, put back what was there before."""
    done = []   # (target, backup or None)
    try:
        for tmp, target, _ in temps:
            backup = None
            if target.exists():
                backup = target.parent / f".{target.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.bak"
                try:
                    os.link(target, backup)
                except OSError:   # no hard links on this file system
                    shutil.copy2(target, backup)
            try:
                os.replace(tmp, target)
            except BaseException:
                if backup is not None:
                    backup.unlink()
                raise
            done.append((target, backup))
    except BaseException:
        for target, backup in reversed(done):
            if backup is not None:
                os.replace(backup, target)
            else:
                target.unlink()
        raise
    for _, backup in done:
        if backup is not None:
            backup.unlink()


def remove(root, rel):
    """Delete one overlay file (under the lock). Returns True if it existed."""
    with locked(root):
        p = Path(root) / rel
        if p.exists():
            p.unlink()
            _fsync_dir(p.parent)
            return True
        return False
