"""Check each digested article against the imported official text: does 第N条 say what the digest says?

The digest (topic, keywords and, with less weight, the summary) is compared with the official text of
every imported article by shared Chinese character pairs, weighted by how rare each pair is in this
regulation. An article whose own text scores much lower than another article's (or shares almost
nothing) is reported: 「第117条 要点与原文不符，请核对」, with the better-matching article if any."""
import math
import re
from collections import Counter
from dataclasses import dataclass

_RUN = re.compile(r"[\u3400-\u9fff]+")
MIN_OWN = 0.12        # below this the article shares almost nothing with its digest
RATIO = 0.6           # another article scoring this much better means the number is likely off
MIN_OTHER = 0.3


def bigrams(text):
    out = set()
    for run in _RUN.findall(text or ""):
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    return out


@dataclass
class Check:
    number: int
    topic: str
    status: str           # 相符 | 不符 | 缺失
    score: float
    best: int = None      # the article that matches the digest better, if any
    best_score: float = 0.0
    already_verified: bool = False

    @property
    def message(self):
        if self.status == "缺失":
            return f"第{self.number}条 导入的文本中没有这一条，请核对"
        if self.status == "不符":
            hint = f"（原文第{self.best}条更接近「{self.topic}」）" if self.best else ""
            return f"第{self.number}条 要点与原文不符，请核对{hint}"
        return f"第{self.number}条 相符"

    def as_dict(self):
        return {"number": self.number, "topic": self.topic, "status": self.status, "score": round(self.score, 3),
                "best": self.best, "best_score": round(self.best_score, 3), "already_verified": self.already_verified,
                "message": self.message}


def _signal(a):
    sig = Counter()
    for b in bigrams(a.get("topic")) | bigrams(" ".join(a.get("keywords") or [])):
        sig[b] = 1.0
    for b in bigrams(a.get("digest")):
        sig[b] = max(sig[b], 0.4)
    return sig


def check_articles(digest_articles, texts):
    """``digest_articles``: the shipped record's articles; ``texts``: {number: official text}.
    Returns [Check] in article order."""
    grams = {n: bigrams(t) for n, t in texts.items()}
    df = Counter()
    for g in grams.values():
        df.update(g)
    total = len(grams) or 1
    out = []
    for a in digest_articles:
        n = a["number"]
        if n not in texts:
            out.append(Check(n, a["topic"], "缺失", 0.0, already_verified=a.get("number_verified", False)))
            continue
        sig = _signal(a)
        weights = {b: w * math.log((total + 1) / (df[b] + 0.5)) for b, w in sig.items() if df[b]}
        denom = sum(weights.values()) or 1.0

        def score(m):
            return sum(w for b, w in weights.items() if b in grams[m]) / denom
        own = score(n) if weights else 0.0
        best, best_score = None, 0.0
        for m in grams:
            if m != n:
                s = score(m)
                if s > best_score:
                    best, best_score = m, s
        better = best_score >= MIN_OTHER and own < RATIO * best_score
        status = "不符" if (better or own < MIN_OWN) else "相符"
        out.append(Check(n, a["topic"], status, own, best if better else None, best_score,
                         already_verified=a.get("number_verified", False)))
    return out
