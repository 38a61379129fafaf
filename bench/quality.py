"""Search quality on bench/queries.yaml: xuncha's ranking (``KnowledgeBase.cite``) against a plain baseline.

    python3 -m bench.quality              # the table (both rankings, whole set, by type, dev/held-out halves)
    python3 -m bench.quality --misses     # also list the queries whose answer is not first (dev half only)
    python3 -m bench.quality --json       # the figures as JSON

Baseline, built in the same run over the same entries: Whoosh with jieba's stock ``ChineseAnalyzer``
(default dictionary, no domain words), the same five text fields, BM25F with Whoosh's defaults, the
query's tokens OR-ed over all fields: no synonyms, no field boosts, no article-reference parsing, no
links from findings. Both rankings return articles, provisions and sections only.

Metrics: recall@k = share of queries with an acceptable id in the first k; MRR@10 = mean of 1/rank of
the first acceptable id (0 when it is not in the first 10). Queries alternate between a *dev* half
(even positions, the one looked at while tuning) and a *held-out* half (odd positions)."""
import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "queries.yaml"
CITE_KINDS = ("article", "provision", "section")
TYPES = ("problem", "slang", "abbr", "ref", "trad", "typo")


def load_queries(path=QUERIES):
    items = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    out = []
    for i, it in enumerate(items):
        if not isinstance(it, dict) or not str(it.get("q", "")).strip() or not it.get("ids"):
            raise SystemExit(f"{path}: 第 {i + 1} 条缺少 q 或 ids")
        if it.get("type") not in TYPES:
            raise SystemExit(f"{path}: 第 {i + 1} 条的 type 应为 {'/'.join(TYPES)}")
        out.append({"q": str(it["q"]), "ids": list(it["ids"]), "type": it["type"],
                    "split": "dev" if i % 2 == 0 else "held-out"})
    return out


def first_rank(ranked, accepted):
    for i, rid in enumerate(ranked[:10], 1):
        if rid in accepted:
            return i
    return None


def metrics(ranks):
    n = len(ranks) or 1
    return {"n": len(ranks),
            "recall@1": sum(1 for r in ranks if r == 1) / n,
            "recall@5": sum(1 for r in ranks if r and r <= 5) / n,
            "mrr@10": sum(1 / r for r in ranks if r) / n}


class Baseline:
    """Plain Whoosh + jieba ChineseAnalyzer + BM25F over the knowledge base's entries."""

    def __init__(self, entries, folder):
        import logging

        import jieba
        from jieba.analyse import ChineseAnalyzer
        from whoosh import index
        from whoosh.fields import ID, STORED, TEXT, Schema

        from xuncha.fields import entry_fields
        jieba.setLogLevel(logging.WARNING)
        self.analyzer = ChineseAnalyzer()
        self.fields = ("title", "keywords", "body", "context", "text")
        schema = Schema(id=ID(stored=True, unique=True), kind=ID(stored=True), data=STORED(),
                        **{f: TEXT(analyzer=self.analyzer) for f in self.fields})
        t0 = time.perf_counter()
        self.ix = index.create_in(str(folder), schema)
        w = self.ix.writer()
        for e in sorted(entries.values(), key=lambda e: e["id"]):
            doc = entry_fields(e)
            w.add_document(id=doc["id"], kind=doc["kind"], **{f: doc[f] for f in self.fields})
        w.commit()
        self.build_seconds = time.perf_counter() - t0
        self.searcher = self.ix.searcher()

    def rank(self, query, limit=10):
        from whoosh import query as Q
        words = {t.text for t in self.analyzer(query)}
        if not words:
            return []
        q = Q.Or([Q.Term(f, w) for w in sorted(words) for f in self.fields])
        kinds = Q.Or([Q.Term("kind", k) for k in CITE_KINDS])
        return [h["id"] for h in self.searcher.search(q, filter=kinds, limit=limit)]

    def close(self):
        self.searcher.close()


def evaluate(rank_fn, queries):
    rows = []
    for it in queries:
        ranked = rank_fn(it["q"])
        rows.append(dict(it, ranked=ranked[:10], rank=first_rank(ranked, set(it["ids"]))))
    return rows


def summary(rows):
    out = {"all": metrics([r["rank"] for r in rows])}
    for t in TYPES:
        sub = [r["rank"] for r in rows if r["type"] == t]
        if sub:
            out[t] = metrics(sub)
    for s in ("dev", "held-out"):
        out[s] = metrics([r["rank"] for r in rows if r["split"] == s])
    return out


def use_jieba_at_query_time(kb):
    """Experiment: segment queries with jieba (the index's segmenter: search mode, domain dictionary and
    corpus keywords) instead of matching them against the index vocabulary. Returns jieba's load time."""
    from xuncha import analysis
    keywords = set()
    for e in kb.corpus.entries.values():
        keywords.update(e.get("keywords") or [])
        if e.get("kind") == "regulation":
            keywords.update((e["title"], e["short_title"]))
    t0 = time.perf_counter()
    analysis.add_words(keywords)
    analysis.segmenter()
    load = time.perf_counter() - t0

    def match(self, text):
        return [(t, s, e) for t, s, e in analysis.index_terms(text) if len(t) >= 2 and t in self.vocab]
    analysis.QueryAnalyzer._match = match
    return load


def run(root=None, segmenter="vocab"):
    from xuncha import KnowledgeBase
    queries = load_queries()
    kb = KnowledgeBase.open(root, notify=None)
    jieba_load = use_jieba_at_query_time(kb) if segmenter == "jieba" else None
    t0 = time.perf_counter()
    ours = evaluate(lambda q: [h["id"] for h in kb.cite(q, limit=10)], queries)
    ours_ms = (time.perf_counter() - t0) * 1000 / len(queries)
    tmp = Path(tempfile.mkdtemp(prefix="xuncha-baseline-"))
    try:
        base = Baseline(kb.corpus.entries, tmp)
        plain = evaluate(base.rank, queries)
        base.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    kb.close()
    return {"queries": len(queries), "segmenter": segmenter, "jieba_load_s": jieba_load,
            "cite_ms_per_query": round(ours_ms, 2), "xuncha": summary(ours), "baseline": summary(plain),
            "rows": {"xuncha": ours, "baseline": plain}}


def _fmt(m):
    return f"{m['recall@1']:.3f}  {m['recall@5']:.3f}  {m['mrr@10']:.3f}"


def report(res, misses=False, out=sys.stdout):
    x, b = res["xuncha"], res["baseline"]
    ratio = x["all"]["mrr@10"] / b["all"]["mrr@10"] if b["all"]["mrr@10"] else float("inf")
    print(f"检索质量评测：{res['queries']} 条查询（bench/queries.yaml），只看条文/规定/部分", file=out)
    if res.get("segmenter") == "jieba":
        print(f"查询切词：jieba（加载 {res['jieba_load_s']:.2f} 秒），每条 cite 平均 {res['cite_ms_per_query']} ms", file=out)
    else:
        print(f"查询切词：索引词表匹配（不加载 jieba），每条 cite 平均 {res['cite_ms_per_query']} ms", file=out)
    print(f"{'':14}{'xuncha（现行排序）':<24}基线（jieba ChineseAnalyzer + BM25F）", file=out)
    print(f"{'':14}{'R@1    R@5    MRR@10':<28}R@1    R@5    MRR@10", file=out)
    for key in ["all", *TYPES, "dev", "held-out"]:
        if key in x:
            label = {"all": "全部"}.get(key, key)
            print(f"{label:<10}{x[key]['n']:>4}  {_fmt(x[key]):<28}{_fmt(b[key])}", file=out)
    print(f"MRR@10 之比（xuncha / 基线）：{ratio:.2f}", file=out)
    t = x["all"]
    ok = t["mrr@10"] >= 0.85 and t["recall@5"] >= 0.95 and ratio >= 1.3
    print(f"目标（MRR@10 ≥ 0.85，R@5 ≥ 0.95，≥ 1.3 倍基线）：{'达到' if ok else '未达到'}", file=out)
    if misses:
        print("\n开发集中未排第一的查询（rank / 查询 / 可接受 / 前三）：", file=out)
        for r in res["rows"]["xuncha"]:
            if r["split"] == "dev" and r["rank"] != 1:
                print(f"  {r['rank']}  {r['q']}  {r['ids'][:3]}  {r['ranked'][:3]}", file=out)
    return ok


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m bench.quality", description="检索质量评测（见模块说明）")
    ap.add_argument("--root", help="知识库目录（默认自动查找）")
    ap.add_argument("--misses", action="store_true", help="列出开发集中答案未排第一的查询")
    ap.add_argument("--json", action="store_true", help="输出 JSON")
    ap.add_argument("--query-segmenter", choices=("vocab", "jieba"), default="vocab",
                    help="对照实验：查询用索引词表匹配（默认，即产品做法）或用 jieba 切词")
    args = ap.parse_args(argv)
    res = run(args.root, args.query_segmenter)
    if args.json:
        slim = {k: v for k, v in res.items() if k != "rows"}
        print(json.dumps(slim, ensure_ascii=False, indent=1))
        return 0
    report(res, misses=args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
