"""Speed on the shipped corpus and on a synthetic corpus ten times its size.

    python3 -m bench.speed                # everything (the x10 build takes a few minutes)
    python3 -m bench.speed --no-scale     # shipped corpus only
    python3 -m bench.speed --json

For each corpus: the full index build from a new process (``xuncha index --force``, wall time and the
builder's own figure), warm latency through the library with the index open (``KnowledgeBase.search``
and ``.cite`` over every query in bench/queries.yaml, first time each query is seen, p50/p95/max), and
cold ``xuncha search`` / ``xuncha cite`` wall time from new processes (median of --runs runs, cycling
through four kinds of query). Indexes are built into temporary folders; the repository's index/ is not
touched. The machine's load average is printed: on a busy machine wall times grow, so compare the CPU
figures (user + system time of the child processes) too.

The x10 corpus: nine renamed copies of every regulation, checklist, finding and method (ids and the
references between them rewritten, so each copy is a valid, separately linked knowledge base)."""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.quality import load_queries

REPO = Path(__file__).resolve().parent.parent
COLD_QUERIES = ["公车私用", "村支书用村集体的钱报销自家小车的加油费", "纪律处分条例第一百零三条", "优亲后友"]
KIND_DIRS = ("regulations", "checklists", "findings", "methods")


def pct(values, p):
    v = sorted(values)
    if not v:
        return float("nan")
    k = (len(v) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def xuncha_cmd():
    exe = shutil.which("xuncha")
    return [exe] if exe else [sys.executable, "-m", "xuncha"]


def run_child(args, env):
    """(wall seconds, child cpu seconds, completed process) for one new process."""
    before = os.times()
    t0 = time.perf_counter()
    cp = subprocess.run(xuncha_cmd() + args, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu, cp


def child_env(index_dir):
    env = dict(os.environ, XUNCHA_INDEX_DIR=str(index_dir), NO_COLOR="1")
    env.pop("XUNCHA_ROOT", None)
    return env


def build(root, index_dir):
    wall, cpu, cp = run_child(["--root", str(root), "index", "--force", "--json"], child_env(index_dir))
    if cp.returncode != 0:
        raise SystemExit(f"建立索引失败（{root}）：{cp.stderr.strip()[-500:]}")
    meta = json.loads(cp.stdout)
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "builder_s": meta.get("build_seconds"),
            "documents": meta.get("documents"), "vocabulary": meta.get("vocabulary")}


def warm(root, index_dir, queries):
    """Per-query latency with the index open; each of search and cite gets a freshly opened knowledge base
    (empty caches), so every query is timed the first time that instance sees it."""
    from xuncha import KnowledgeBase
    out = {}
    for name in ("search", "cite"):
        kb = KnowledgeBase.open(root, index_dir=index_dir, notify=None)
        fn = getattr(kb, name)
        for q in ("巡察", "整改", "党费"):  # open files and first-use tables, with queries outside the set
            fn(q)
        times, cpu = [], []
        for q in queries:
            t0, c0 = time.perf_counter(), time.process_time()
            fn(q, limit=10)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        out[name] = {"n": len(times), "p50_ms": round(pct(times, 50), 2), "p95_ms": round(pct(times, 95), 2),
                     "max_ms": round(max(times), 2), "cpu_p95_ms": round(pct(cpu, 95), 2)}
        kb.close()
    return out


def cold(root, index_dir, runs, command="search", pyc_dir=None):
    """Cold runs. ``pyc_dir``: let the children cache bytecode there (PYTHONPYCACHEPREFIX), as an installed
    package does; without it they inherit this environment (which may forbid .pyc files)."""
    env = child_env(index_dir)
    if pyc_dir:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pyc_dir)
    run_child(["--root", str(root), command, COLD_QUERIES[0]], env)  # make sure the index is fresh
    walls, cpus = [], []
    for i in range(runs):
        wall, cpu, cp = run_child(["--root", str(root), command, COLD_QUERIES[i % len(COLD_QUERIES)]], env)
        if cp.returncode != 0:
            raise SystemExit(f"xuncha {command} 失败：{cp.stderr.strip()[-300:]}")
        walls.append(wall)
        cpus.append(cpu)
    return {"runs": runs, "median_s": round(statistics.median(walls), 3), "min_s": round(min(walls), 3),
            "max_s": round(max(walls), 3), "cpu_median_s": round(statistics.median(cpus), 3)}


def scaled_copy(dst, factor=10):
    """Write ``factor`` copies of the shipped corpus under ``dst`` (the original plus renamed copies)."""
    import yaml
    dst = Path(dst)
    for d in KIND_DIRS:
        (dst / d).mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "pyproject.toml", dst / "pyproject.toml")
    if (REPO / "notebooks").is_dir():  # methods name the notebooks that train them; the check wants them present
        (dst / "notebooks").mkdir(exist_ok=True)
        for nb in (REPO / "notebooks").glob("*.ipynb"):
            shutil.copy(nb, dst / "notebooks" / nb.name)
    files = {d: sorted((REPO / d).glob("*.yaml")) for d in KIND_DIRS}
    reg_ids = [p.stem for p in files["regulations"]]
    cl_items = {}
    for p in files["checklists"]:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
        cl_items[p.stem] = [it["id"] for fo in data["focuses"] for pt in fo["points"] for it in pt["items"]]
    for k in range(factor):
        mapping = {}
        if k:
            for rid in reg_ids:
                name, year = rid.rsplit("-", 1)
                mapping[rid] = f"{name}x{k}-{year}"
            for cid, items in cl_items.items():
                mapping[cid] = f"{cid}x{k}"
                for it in items:
                    mapping[it] = f"{cid}x{k}" + it[len(cid):]
            for d in ("findings", "methods"):
                for p in files[d]:
                    mapping[p.stem] = f"{p.stem}-x{k}"
        pattern = re.compile("(?<![A-Za-z0-9-])(" + "|".join(sorted(map(re.escape, mapping), key=len, reverse=True))
                             + ")(?![A-Za-z0-9-])") if mapping else None
        for d in KIND_DIRS:
            for p in files[d]:
                text = p.read_text(encoding="utf-8")
                if pattern:
                    text = pattern.sub(lambda m: mapping[m.group(1)], text)
                (dst / d / f"{mapping.get(p.stem, p.stem)}.yaml").write_text(text, encoding="utf-8")
    return dst


def measure(root, queries, runs, label):
    tmp = Path(tempfile.mkdtemp(prefix="xuncha-speed-"))
    try:
        print(f"[{label}] 建立索引…", file=sys.stderr, flush=True)
        b = build(root, tmp / "index")
        print(f"[{label}] 热查询…", file=sys.stderr, flush=True)
        w = warm(root, tmp / "index", queries)
        print(f"[{label}] 冷启动…", file=sys.stderr, flush=True)
        c = cold(root, tmp / "index", runs)
        cc = cold(root, tmp / "index", max(4, runs // 2), "cite")
        out = {"build": b, "warm": w, "cold_search": c, "cold_cite": cc}
        if os.environ.get("PYTHONDONTWRITEBYTECODE"):
            out["cold_search_pyc"] = cold(root, tmp / "index", runs, pyc_dir=tmp / "pyc")
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def environment():
    import platform

    import whoosh
    where = Path(whoosh.__file__).resolve().parent.parent
    dist = "whoosh-reloaded" if _has_dist("whoosh-reloaded") else "Whoosh"
    if not str(where).endswith("site-packages"):
        dist = f"Whoosh（{where}）"
    return {"python": platform.python_version(), "whoosh": f"{dist} {whoosh.versionstring()}",
            "cpus": os.cpu_count(), "load_avg": [round(x, 2) for x in os.getloadavg()],
            "no_pyc": bool(os.environ.get("PYTHONDONTWRITEBYTECODE"))}


def _has_dist(name):
    from importlib.metadata import PackageNotFoundError, version
    try:
        version(name)
        return True
    except PackageNotFoundError:
        return False


IMPORTS = {
    "空解释器": "pass",
    "Whoosh 原样导入后再导入 xuncha": "import whoosh.index, whoosh.searching, whoosh.reading, xuncha",
    "xuncha（精简导入 Whoosh）": "import xuncha, whoosh.index, whoosh.searching, whoosh.reading",
}


def import_times(runs):
    """Median wall time of a new interpreter doing only these imports."""
    out = {}
    for label, code in IMPORTS.items():
        walls = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            walls.append(time.perf_counter() - t0)
        out[label] = round(statistics.median(walls), 3)
    return out


def report(res, out=sys.stdout):
    env = res["environment"]
    print(f"环境：Python {env['python']}，{env['whoosh']}，{env['cpus']} 核，开始时负载 {env['load_avg']}，"
          f"结束时负载 {res.get('load_end')}" + ("；PYTHONDONTWRITEBYTECODE 已设置（子进程每次重新编译 .py）"
                                               if env.get("no_pyc") else ""), file=out)
    if res.get("imports"):
        print("新进程只做导入（中位数）：" + "；".join(f"{k} {v} 秒" for k, v in res["imports"].items()), file=out)
    for label in ("shipped", "x10"):
        r = res.get(label)
        if not r:
            continue
        b, w, c, cc = r["build"], r["warm"], r["cold_search"], r["cold_cite"]
        name = "现有语料" if label == "shipped" else "语料 ×10（合成副本）"
        print(f"\n{name}：{b['documents']} 条记录，词表 {b['vocabulary']} 个词", file=out)
        print(f"  建立索引（新进程）：{b['wall_s']} 秒（CPU {b['cpu_s']} 秒；建库自报 {b['builder_s']} 秒）", file=out)
        for k, lab in (("search", "search"), ("cite", "cite")):
            x = w[k]
            print(f"  热查询 {lab}（{x['n']} 条，每条首次）：p50 {x['p50_ms']} ms，p95 {x['p95_ms']} ms，最慢 {x['max_ms']} ms"
                  f"（CPU p95 {x['cpu_p95_ms']} ms）", file=out)
        rows = [(c, "xuncha search"), (cc, "xuncha cite")]
        if r.get("cold_search_pyc"):
            rows.append((r["cold_search_pyc"], "xuncha search，允许字节码缓存"))
        for x, lab in rows:
            print(f"  冷启动 {lab}（{x['runs']} 次）：中位数 {x['median_s']} 秒（最快 {x['min_s']}，最慢 {x['max_s']}；"
                  f"CPU 中位数 {x['cpu_median_s']} 秒）", file=out)
    if res.get("shipped") and res.get("x10"):
        s, t = res["shipped"], res["x10"]
        print("\n×10 增长倍数：建库 {:.1f}×，热查询 search p95 {:.1f}×，cite p95 {:.1f}×，冷启动 search {:.2f}×".format(
            t["build"]["wall_s"] / s["build"]["wall_s"], t["warm"]["search"]["p95_ms"] / s["warm"]["search"]["p95_ms"],
            t["warm"]["cite"]["p95_ms"] / s["warm"]["cite"]["p95_ms"],
            t["cold_search"]["median_s"] / s["cold_search"]["median_s"]), file=out)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m bench.speed", description="速度评测（见模块说明）")
    ap.add_argument("--runs", type=int, default=12, help="冷启动测几次（默认 12，取中位数）")
    ap.add_argument("--no-scale", action="store_true", help="不测 ×10 语料")
    ap.add_argument("--json", action="store_true", help="输出 JSON")
    args = ap.parse_args(argv)
    queries = [q["q"] for q in load_queries()]
    res = {"environment": environment(), "imports": import_times(args.runs),
           "shipped": measure(REPO, queries, args.runs, "现有语料")}
    if not args.no_scale:
        tmp = Path(tempfile.mkdtemp(prefix="xuncha-x10-"))
        try:
            scaled_copy(tmp / "kb", 10)
            res["x10"] = measure(tmp / "kb", queries, args.runs, "语料 ×10")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    res["load_end"] = [round(x, 2) for x in os.getloadavg()]
    if args.json:
        print(json.dumps(res, ensure_ascii=False, indent=1))
    else:
        report(res)
    return 0


if __name__ == "__main__":
    sys.exit(main())
