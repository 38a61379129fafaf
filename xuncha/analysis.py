"""Chinese text analysis, shared by the index (Whoosh), queries and the site search.

Index time: text is normalised, then segmented by jieba in search mode with the domain dictionary
(``data/domain_terms.txt``) plus every keyword in the corpus, so 三重一大 or 一岗双责 stay whole while their
parts are indexed too. Query time does not load jieba at all (its dictionary load costs more than a whole
search): a query is matched against the index's own vocabulary, which holds every term a query could
ever hit. Both sides share :func:`normalize`."""
import marshal
import re
import sys
import unicodedata
from pathlib import Path


def _import_whoosh_lean():
    """Import Whoosh without the modules it loads but never uses here. Whoosh pulls in ``urllib.request``
    (for a download helper) and English stemming variations (hundreds of regexes); whoosh-reloaded also
    the ``cached_property`` package (which imports asyncio): together about a third of a cold
    ``xuncha search`` (docs/搜索质量与性能.md). While Whoosh's own modules load, those names point at
    small stand-ins (lazy functions, ``functools.cached_property``); they are removed again at once, so
    any later import gets the real module. If anything goes wrong the stand-ins are dropped and Whoosh is
    imported the ordinary way."""
    import functools
    import types
    stubs = {}
    if "urllib.request" not in sys.modules:
        def urlretrieve(*args, **kw):
            import importlib
            return importlib.import_module("urllib.request").urlretrieve(*args, **kw)
        stubs["urllib.request"] = types.ModuleType("urllib.request")
        stubs["urllib.request"].urlretrieve = urlretrieve
    if "cached_property" not in sys.modules:
        stubs["cached_property"] = types.ModuleType("cached_property")
        stubs["cached_property"].cached_property = functools.cached_property
    if "whoosh.lang.morph_en" not in sys.modules:  # English word variations: hundreds of regexes, unused
        def variations(word):
            import importlib
            return importlib.import_module("whoosh.lang.morph_en").variations(word)
        stubs["whoosh.lang.morph_en"] = types.ModuleType("whoosh.lang.morph_en")
        stubs["whoosh.lang.morph_en"].variations = variations
    try:
        sys.modules.update(stubs)
        import whoosh.analysis  # noqa: F401
        import whoosh.compat  # noqa: F401
        import whoosh.query  # noqa: F401
        import whoosh.reading  # noqa: F401
    except Exception:
        for name in list(sys.modules):
            if name == "whoosh" or name.startswith("whoosh."):
                del sys.modules[name]
    finally:
        for name, mod in stubs.items():
            if sys.modules.get(name) is mod:
                del sys.modules[name]


_import_whoosh_lean()
from whoosh.analysis import Token, Tokenizer  # noqa: E402

from .numerals import arabize_refs

DATA = Path(__file__).parent / "data"
DOMAIN_TERMS = DATA / "domain_terms.txt"
SYNONYMS = DATA / "synonyms.yaml"
ANALYZER_VERSION = "1"
MAX_QUERY_CHARS = 2000
MAX_TERM_LEN = 10

STOP = set("的 了 和 与 及 或 在 是 对 等 有 被 把 将 并 而 之 其 中 为 以 于 由 从 向 就 都 也 又 还 这 那 各 该 个 上 下".split())
_CTRL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202f\ufeff]")
_WORD = re.compile(r"[a-z0-9]+(?:[.\-][a-z0-9]+)*")
_t2s = None
_recent = {}         # text -> index_terms(text), the last RECENT_TEXTS texts
RECENT_TEXTS = 32


def set_t2s(table):
    """Install the traditional->simplified character table (built with the index from zhconv)."""
    global _t2s
    _t2s = table or None
    _recent.clear()


def normalize(text):
    """NFKC (full-width -> half-width), traditional -> simplified, lower case, 第一百零三条 -> 第103条."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", _CTRL.sub(" ", text))
    if _t2s:
        text = "".join(_t2s.get(c, c) for c in text)
    return arabize_refs(text.lower())


def is_cjk(ch):
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def load_domain_terms():
    terms = []
    for line in DOMAIN_TERMS.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            terms.append(line.split()[0])
    return terms


def load_synonyms():
    import yaml
    groups = yaml.safe_load(SYNONYMS.read_text(encoding="utf-8")) or []
    return [[normalize(str(t)) for t in g] for g in groups]


# ---- index time -------------------------------------------------------------------------------

_segmenter = None
_extra_words = set()


def add_words(words):
    """Extra whole words for the segmenter (the corpus's keywords). Call before indexing."""
    new = {normalize(w) for w in words if w and len(w) >= 2} - _extra_words
    if new:
        _extra_words.update(new)
        _recent.clear()
        if _segmenter is not None:
            for w in new:
                _segmenter.add_word(w, 20000)


def segmenter():
    global _segmenter
    if _segmenter is None:
        import logging

        import jieba
        jieba.setLogLevel(logging.WARNING)
        tk = jieba.Tokenizer()
        tk.initialize()
        for w in load_domain_terms():
            tk.add_word(normalize(w), 50000)
        for w in _extra_words:
            tk.add_word(w, 20000)
        _segmenter = tk
    return _segmenter


def index_terms(text):
    """Terms with character offsets in the *normalised* text: [(term, start, end)].

    The last few results are remembered: the index builder segments each field once to collect the
    vocabulary and Whoosh segments it again to index it, so the second call is free."""
    hit = _recent.get(text)
    if hit is not None:
        return hit
    out = _index_terms(text)
    if len(_recent) >= RECENT_TEXTS:
        _recent.pop(next(iter(_recent)))
    _recent[text] = out
    return out


def _index_terms(text):
    text = normalize(text)
    out = []
    for word, start, end in segmenter().tokenize(text, mode="search", HMM=True):
        w = word.strip()
        if not w:
            continue
        if len(w) == 1 and (w in STOP or not (is_cjk(w) or w.isalnum())):
            continue
        if not any(is_cjk(c) or c.isalnum() for c in w):
            continue
        out.append((w, start, end))
    return out


class ChineseTokenizer(Tokenizer):
    """Whoosh tokenizer over :func:`index_terms`. Pickled into the index schema; jieba loads lazily."""

    def __eq__(self, other):
        return other.__class__ is self.__class__

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        terms = index_terms(value) if tokenize else [(value, 0, len(value))]
        for pos, (w, s, e) in enumerate(terms):
            t.text = w
            t.boost = 1.0
            if keeporiginal:
                t.original = w
            t.stopped = False
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar, t.endchar = start_char + s, start_char + e
            yield t


def ChineseAnalyzer():
    return ChineseTokenizer()


# ---- query time -------------------------------------------------------------------------------

PART_WEIGHT = 0.5    # a shorter index term inside a matched word (公款 inside 公款吃喝)
ALT_WEIGHT = 0.3     # a word that overlaps the best segmentation (上报 in 账上报销)
SYN_WEIGHT = 0.5     # a synonym or expansion from data/synonyms.yaml standing in for the query's word
TYPO_WEIGHT = 0.5    # an index term one character away from a run the query spelt differently
NUM_WEIGHT = 0.8     # the same words with the other numeral system (3人 / 三人)
MIN_TYPO_LEN = 4     # shorter runs have too many one-character neighbours (副所长 -> 副局长)
MAX_TYPO_LEN = 6
MAX_TYPO_WINDOWS = 300  # a pasted page has no more typos worth the time than this
_CN_COUNT = re.compile("([零〇一二两三四五六七八九十百千]+)(?=[个人名年月日天次项条万元户笔份套辆间家岁届轮])")
_AR_COUNT = re.compile("([0-9]{1,4})(?=[个人名年月日天次项条万元户笔份套辆间家岁届轮])")


def _distinct(concepts):
    """A word repeated in a long description counts once (its first place is kept)."""
    seen, out = set(), []
    for c in concepts:
        key = (c["text"], c["source"], tuple(sorted(c["members"])))
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


class QueryAnalyzer:
    """Turns a query into *concepts*: groups of weighted index terms that stand for one word of the query
    (the word, the index terms inside it, its synonyms, a spelling fix). Ranking counts each concept once,
    so a word with many synonyms does not outweigh a precise one. No segmenter is loaded: the query is
    matched against the index vocabulary, and the best segmentation is the one with the fewest pieces."""

    def __init__(self, vocab, synonyms=()):
        self.vocab = vocab
        self.synonyms = [[m for m in g if m] for g in synonyms if g]
        self._by_len = None
        self._sorted = {}

    # -- matching --------------------------------------------------------------------------------
    def _match(self, text):
        """All vocabulary terms occurring in ``text``: [(term, start, end)] (single characters excluded)."""
        found = []
        n = len(text)
        vocab = self.vocab
        for i in range(n):
            if not is_cjk(text[i]):
                continue
            for L in range(min(MAX_TERM_LEN, n - i), 1, -1):
                sub = text[i:i + L]
                if sub in vocab:
                    found.append((sub, i, i + L))
        for m in _WORD.finditer(text):
            if m.group() in vocab:
                found.append((m.group(), m.start(), m.end()))
        return found

    @staticmethod
    def _best_path(text, found):
        """The segmentation of ``text`` into matched words and single characters with the fewest pieces
        (ties: the longer first word). Returns the matched words on it as a set of (term, start, end)."""
        n = len(text)
        ends = {}
        for t in found:
            ends.setdefault(t[2], []).append(t)
        INF = float("inf")
        cost = [0] + [INF] * n
        back = [None] * (n + 1)
        for i in range(1, n + 1):
            ch = text[i - 1]
            cost[i] = cost[i - 1] + (1 if is_cjk(ch) or ch.isalnum() else 0)
            for t in ends.get(i, ()):
                c = cost[t[1]] + 1
                if c < cost[i] or (c == cost[i] and back[i] and t[1] < back[i][1]):
                    cost[i], back[i] = c, t
        path, i = set(), n
        while i > 0:
            if back[i]:
                path.add(back[i])
                i = back[i][1]
            else:
                i -= 1
        return path

    def _word_members(self, text, scale, origin=None, found=None):
        """{term: (weight, origin)} for a word or phrase: its best segmentation at ``scale``, parts lower."""
        found = self._match(text) if found is None else found
        path = self._best_path(text, found)
        out = {}
        for t, s, e in found:
            w = scale if (t, s, e) in path else scale * PART_WEIGHT
            if w > out.get(t, (0, None))[0]:
                out[t] = (w, origin)
        return out

    # -- the public answer -----------------------------------------------------------------------
    def concepts(self, query):
        """[{'text', 'start', 'end', 'source': query|alt|synonym|typo|numeral, 'members': {term: (weight, origin)}}]
        ``origin`` is None for the query's own words, else a label such as 公车→公务用车."""
        q = normalize(query)[:MAX_QUERY_CHARS]
        concepts = self._concepts(q, 1.0, "query")
        covered = {t for c in concepts for t in c["members"]}
        for alt in self._numeral_variants(q):
            for c in self._concepts(alt, NUM_WEIGHT, "numeral"):
                c["members"] = {t: v for t, v in c["members"].items() if t not in covered}
                c["start"] = c["end"] = -1  # positions in the variant, not in the query
                if c["members"]:
                    concepts.append(c)
        concepts = _distinct(concepts)
        self._add_synonyms(q, concepts)
        self._add_typos(q, concepts)
        if not concepts:
            for i, ch in enumerate(q):
                if is_cjk(ch) and ch in self.vocab and ch not in STOP:
                    concepts.append({"text": ch, "start": i, "end": i + 1, "source": "query",
                                     "members": {ch: (1.0, None)}})
            concepts = _distinct(concepts)
        return concepts

    def terms(self, query):
        """{term: weight}: every term of every concept with its highest weight."""
        weights = {}
        for c in self.concepts(query):
            for t, (w, _) in c["members"].items():
                if w > weights.get(t, 0):
                    weights[t] = w
        return weights

    def _concepts(self, q, scale, source):
        found = self._match(q)
        path = self._best_path(q, found)
        by_start = {}
        for t in found:
            by_start.setdefault(t[1], []).append(t)

        def inside(s, e):
            """Matched terms strictly shorter than [s, e) and within it (terms are at most MAX_TERM_LEN long)."""
            return [x for i in range(s, e) for x in by_start.get(i, ()) if x[2] <= e and x[2] - x[1] < e - s]

        def contained(t):
            return any(x[2] >= t[2] and x[2] - x[1] > t[2] - t[1]
                       for i in range(max(0, t[1] - MAX_TERM_LEN), t[1] + 1) for x in by_start.get(i, ()))
        words = sorted(path, key=lambda t: t[1])
        maximal = [t for t in found if t not in path and not contained(t)]
        out = []
        for (t, s, e), w, src in [(x, scale, source) for x in words] + [(x, scale * ALT_WEIGHT, "alt") for x in maximal]:
            members = {t: (w, None)}
            for t2, _, _ in inside(s, e):
                if t2 not in members:
                    members[t2] = (w * PART_WEIGHT, None)
            out.append({"text": t, "start": s, "end": e, "source": src, "members": members})
        return out

    def _add_synonyms(self, q, concepts):
        for group in self.synonyms:
            hits = [m for m in group if m in q]
            if not hits:
                continue
            m = max(hits, key=len)
            s = q.index(m)
            e = s + len(m)
            target = None
            best = 0
            for c in concepts:
                overlap = min(e, c["end"]) - max(s, c["start"])
                if c["source"] == "query" and overlap > best:
                    target, best = c, overlap
            if target is None:
                target = {"text": m, "start": s, "end": e, "source": "synonym", "members": {}}
                concepts.append(target)
            for other in group:
                if other in q:
                    continue
                label = f"{m}→{other.split()[0]}"
                for piece in other.split():
                    if piece in self.vocab:
                        members = {piece: SYN_WEIGHT}
                    else:  # not an index term as a whole: its words count for less
                        path = self._best_path(piece, self._match(piece))
                        members = {t: SYN_WEIGHT * PART_WEIGHT for t, _, _ in path}
                    for t, w in members.items():
                        if w > target["members"].get(t, (0, None))[0]:
                            target["members"][t] = (w, label)

    # -- spelling --------------------------------------------------------------------------------
    def near_terms(self, text):
        """Vocabulary terms of the same length as ``text`` that differ in exactly one character."""
        import bisect
        L = len(text)
        if self._by_len is None:
            self._by_len = {}
            for t in self.vocab:
                if 2 <= len(t) <= MAX_TYPO_LEN:
                    self._by_len.setdefault(len(t), []).append(t)
        if L not in self._sorted:
            terms = self._by_len.get(L, [])
            self._sorted[L] = (sorted(terms), sorted(t[::-1] for t in terms))
        out = set()
        for keys, word, flip in ((self._sorted[L][0], text, False), (self._sorted[L][1], text[::-1], True)):
            # same first character (a change anywhere after it), or same last L-1 characters (a change at the start)
            for j in ((1,) if not flip else (L - 1,)):
                prefix = word[:j]
                i = bisect.bisect_left(keys, prefix)
                while i < len(keys) and keys[i].startswith(prefix):
                    t = keys[i]
                    i += 1
                    if t != word and sum(a != b for a, b in zip(t, word)) == 1:
                        out.add(t[::-1] if flip else t)
        return sorted(out)

    def _add_typos(self, q, concepts):
        """A run of characters that formed no word may be a misspelt term: 优亲后友 -> 优亲厚友."""
        inword = [False] * len(q)
        for c in concepts:
            if c["source"] == "query" and c["end"] - c["start"] >= 2:
                for i in range(c["start"], c["end"]):
                    inword[i] = True
        fixed = [False] * len(q)
        have = {t for c in concepts for t in c["members"]}
        seen = set()
        for L in range(MAX_TYPO_LEN, MIN_TYPO_LEN - 1, -1):
            for i in range(len(q) - L + 1):
                window = q[i:i + L]
                if window in seen or not all(is_cjk(ch) for ch in window) or window in self.vocab \
                        or any(fixed[i:i + L]):
                    continue
                if sum(not x for x in inword[i:i + L]) < 2:
                    continue  # a misspelling leaves at least two characters that form no word
                seen.add(window)
                if len(seen) > MAX_TYPO_WINDOWS:
                    return
                for t in self.near_terms(window):
                    pos = next(k for k in range(L) if t[k] != window[k])
                    if inword[i + pos] or t in have:
                        continue
                    members = self._word_members(t, TYPO_WEIGHT, origin=f"{window}→{t}")
                    concepts.append({"text": window, "start": i, "end": i + L, "source": "typo", "members": members})
                    for k in range(i, i + L):
                        fixed[k] = True
                    break

    @staticmethod
    def _numeral_variants(q):
        from .numerals import cn_to_int, int_to_cn
        out = []
        a = _AR_COUNT.sub(lambda m: int_to_cn(int(m.group(1))), q)
        if a != q:
            out.append(a)
        b = _CN_COUNT.sub(lambda m: str(cn_to_int(m.group(1))) if cn_to_int(m.group(1)) is not None else m.group(1), q)
        if b != q:
            out.append(b)
        return out


def save_marshal(path, obj):
    Path(path).write_bytes(marshal.dumps(obj))


def load_marshal(path):
    return marshal.loads(Path(path).read_bytes())


def build_t2s_table():
    """Single-character traditional->simplified table from zhconv (installed with xuncha); {} if absent."""
    try:
        from zhconv import zhconv as zc
    except ImportError:
        return {}
    zc.loaddict()
    table = {}
    for k, v in zc.zhcdicts["zh2Hans"].items():
        if len(k) == 1 and len(v) == 1 and k != v:
            table[k] = v
    return table
