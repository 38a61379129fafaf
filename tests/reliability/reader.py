"""A reader process for the concurrency test: searches a knowledge base over and over until a deadline
(or until the file STOP exists) and prints one JSON line with what it saw.
Run as ``python reader.py ROOT SECONDS MODE STOP``.

MODE ``fresh`` opens a new KnowledgeBase for every query (like separate CLI runs, exercising the open
path while generations are swapped and pruned); ``held`` keeps one open the whole time (like a notebook);
``cli`` runs real ``xuncha search`` processes."""
import json
import subprocess
import sys
import time

PAUSE = 0.03
QUERIES = [("公款吃喝", "jilv-2023#113"), ("报销私人加油费", "jilv-2023#111"), ("纪律处分条例第113条", "jilv-2023#113"),
           ("jilv-2023#111", "jilv-2023#111"), ("调阅资料", "m-diaoyue-ziliao"), ("公车私用", "jilv-2023#117")]


def main(root, seconds, mode, stop):
    from pathlib import Path
    from xuncha import KnowledgeBase
    stats = {"mode": mode, "searches": 0, "errors": [], "empty": 0, "wrong_top": [], "messages": [], "generations": []}
    held = KnowledgeBase.open(root, notify=stats["messages"].append) if mode == "held" else None
    print("ready", flush=True)
    deadline = time.monotonic() + seconds
    i = 0
    while time.monotonic() < deadline and not Path(stop).exists():
        q, top = QUERIES[i % len(QUERIES)]
        i += 1
        try:
            if mode == "cli":
                r = subprocess.run([sys.executable, "-m", "xuncha", "--root", root, "search", q],
                                   capture_output=True, text=True, timeout=300)
                if r.returncode != 0 or "Traceback" in r.stderr:
                    stats["errors"].append(f"exit {r.returncode}: {r.stderr[-300:]}")
                    continue
                ids = [line.split("编号 ")[1].split(" ")[0] for line in r.stdout.splitlines() if "编号 " in line]
                if r.stderr.strip():
                    stats["messages"].append(r.stderr.strip()[-200:])
            else:
                kb = held or KnowledgeBase.open(root, notify=stats["messages"].append)
                try:
                    ids = [h["id"] for h in kb.search(q)]
                    gen = kb._opened.gen.name
                finally:
                    if kb is not held:
                        kb.close()
                if gen not in stats["generations"]:
                    stats["generations"].append(gen)
        except Exception as e:  # the test fails on any of these
            stats["errors"].append(f"{type(e).__name__}: {e}")
            continue
        stats["searches"] += 1
        time.sleep(PAUSE)  # people type between searches; and the writers need the CPU on a 2-core runner
        if not ids:
            stats["empty"] += 1
        elif ids[0] != top:
            stats["wrong_top"].append((q, ids[:3]))
    if held:
        held.close()
    print(json.dumps(stats, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4])
