"""Precision and recall of ``xuncha lint`` per rule over the labelled drafts in bench/drafts/.

    python3 -m bench.lint_quality            # the table
    python3 -m bench.lint_quality --misses   # also list every false positive and false negative
    python3 -m bench.lint_quality --json     # the figures as JSON

bench/drafts/labels.yaml names, for each draft, the rules it should trigger (``expect``); every other
rule should stay silent, except those listed under ``unsure`` (not counted). A rule "fires" on a draft
when it reports at least one issue of any severity. Counting is per draft and rule.

Also reported: error-level false positives (an error from a rule the draft should not trigger), on
the good drafts (``expect: []``) and overall. Drafts carry a ``set``: ``dev`` (written while the rules
were being built and tuned), ``heldout`` (written once the rules were drafted; its first run was
recorded, then it was used for a few fixes) and ``heldout2`` (written after the last change to the
rules and not used for tuning); figures are given per set and for the whole set. Relative times are resolved against a fixed date (``--today``)."""
import argparse
import json
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
DRAFTS = HERE / "drafts"
LABELS = DRAFTS / "labels.yaml"
TODAY = "2026-06-30"
SETS = {"dev": "dev", "heldout": "held-out 1", "heldout2": "held-out 2"}


def load_labels():
    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    files = {p.name for p in DRAFTS.iterdir() if p.is_file() and p.name != LABELS.name}
    missing = sorted(files - set(labels))
    extra = sorted(set(labels) - files)
    if missing or extra:
        raise SystemExit(f"labels.yaml 与 bench/drafts/ 不一致：未标注 {missing}，文件不存在 {extra}")
    return labels


def evaluate(kb, labels, today=TODAY):
    from xuncha.drafting import RULES, lint_file
    rows = []
    for name, lab in sorted(labels.items()):
        issues = lint_file(DRAFTS / name, kb, today=today)
        fired = {}
        for i in issues:
            fired.setdefault(i["rule"], set()).add(i["severity"])
        rows.append({"draft": name, "set": lab.get("set", "dev"), "expect": set(lab.get("expect") or []),
                     "unsure": set(lab.get("unsure") or []), "fired": fired, "issues": issues})
    for r in rows:
        bad = (r["expect"] | r["unsure"]) - set(RULES)
        if bad:
            raise SystemExit(f"{r['draft']}: 标注了不存在的规则 {sorted(bad)}")
    return rows


def score(rows, rules):
    out = {}
    for code in rules:
        tp = fp = fn = tn = 0
        for r in rows:
            if code in r["unsure"]:
                continue
            fired, want = code in r["fired"], code in r["expect"]
            tp += fired and want
            fp += fired and not want
            fn += want and not fired
            tn += not fired and not want
        out[code] = {"tp": tp, "fp": fp, "fn": fn, "tn": tn,
                     "precision": round(tp / (tp + fp), 3) if tp + fp else None,
                     "recall": round(tp / (tp + fn), 3) if tp + fn else None}
    return out


def error_fps(rows):
    good, overall = [], []
    for r in rows:
        for code, sevs in r["fired"].items():
            if "error" in sevs and code not in r["expect"] and code not in r["unsure"]:
                overall.append((r["draft"], code))
                if not r["expect"]:
                    good.append((r["draft"], code))
    return good, overall


def fmt(x):
    return "—" if x is None else f"{x:.2f}"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--misses", action="store_true", help="list false positives and false negatives")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--today", default=TODAY, help=f"date relative times resolve against (default {TODAY})")
    args = ap.parse_args(argv)

    from xuncha import KnowledgeBase
    from xuncha.drafting import RULES
    labels = load_labels()
    t0 = time.perf_counter()
    kb = KnowledgeBase.open(HERE.parent, notify=lambda m: print(m, file=sys.stderr))
    rows = evaluate(kb, labels, args.today)
    secs = time.perf_counter() - t0
    sets = {"all": rows, **{s: [r for r in rows if r["set"] == s] for s in SETS}}
    figures = {name: score(rs, RULES) for name, rs in sets.items() if rs}
    good_fp, all_fp = error_fps(rows)
    n_good = sum(1 for r in rows if not r["expect"])
    summary = {"drafts": len(rows), "good_drafts": n_good, **{k: len(sets[k]) for k in SETS},
               "error_fp_on_good": len(good_fp), "error_fp_overall": len(all_fp), "seconds": round(secs, 1),
               "today": args.today}
    if args.json:
        print(json.dumps({"summary": summary, "rules": figures}, ensure_ascii=False, indent=2))
        return 0
    print(f"标注集：{len(rows)} 份底稿（合格 {n_good} 份；" + "，".join(f"{v} {summary[k]} 份" for k, v in SETS.items())
          + f"），用时 {secs:.1f} 秒，today={args.today}")
    head = "| 规则 | 级别 | 应触发 | 精确率 | 召回率 | TP | FP | FN |"
    for name in ("all", *SETS):
        if name not in figures:
            continue
        print(f"\n[{dict(SETS, all='全部')[name]}]")
        print(head)
        print("|" + "---|" * 8)
        for code, f in figures[name].items():
            print(f"| {code} | {RULES[code].severity} | {f['tp'] + f['fn']} | {fmt(f['precision'])} | {fmt(f['recall'])} "
                  f"| {f['tp']} | {f['fp']} | {f['fn']} |")
    print(f"\n合格底稿上的错误级误报：{len(good_fp)}" + (f"（{good_fp}）" if good_fp else ""))
    print(f"全部底稿上的错误级误报：{len(all_fp)}" + (f"（{all_fp}）" if all_fp else ""))
    if args.misses:
        print("\n误报（FP）与漏报（FN）：")
        for r in rows:
            fp = sorted(set(r["fired"]) - r["expect"] - r["unsure"])
            fn = sorted(r["expect"] - set(r["fired"]))
            for code in fp:
                msgs = [i["message"] for i in r["issues"] if i["rule"] == code]
                print(f"  FP {r['draft']} {code}: {msgs[0]}")
            for code in fn:
                print(f"  FN {r['draft']} {code}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
