"""Chinese text analysis, shared by the index (Whoosh), queries and the site search.

Index time: text is normalised, then segmented by jieba in search mode with the domain dictionary
(``data/domain_terms.txt``) plus every keyword in the corpus, so 三重一大 or 一岗双责 stay whole while their
parts are indexed too. Query time does not load jieba at all (its dictionary load costs more than a whole
search): a query is matched against the index's own vocabulary, which holds every term a query could
ever hit. Both sides share :func:`normalize`."""
import marshal
import re
import unicodedata
from pathlib import Path

from whoosh.analysis import Token, Tokenizer

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


def set_t2s(table):
    """Install the traditional->simplified character table (built with the index from zhconv)."""
    global _t2s
    _t2s = table or None


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
    global _segmenter
    new = {normalize(w) for w in words if w and len(w) >= 2} - _extra_words
    if new:
        _extra_words.update(new)
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
    """Terms with character offsets in the *normalised* text: [(term, start, end)]."""
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

class QueryAnalyzer:
    """Turns a query into weighted index terms using the index vocabulary (no segmenter needed)."""

    def __init__(self, vocab, synonyms=()):
        self.vocab = vocab
        self.synonyms = [g for g in synonyms if g]

    def _match(self, text):
        """All vocabulary terms occurring in ``text``, each with (start, end)."""
        found = []
        n = len(text)
        for i in range(n):
            ch = text[i]
            if ch.isspace():
                continue
            if not is_cjk(ch):
                continue
            for L in range(min(MAX_TERM_LEN, n - i), 1, -1):
                sub = text[i:i + L]
                if sub in self.vocab:
                    found.append((sub, i, i + L))
        for m in _WORD.finditer(text):
            if m.group() in self.vocab:
                found.append((m.group(), m.start(), m.end()))
        return found

    def terms(self, query):
        """{term: weight}. Maximal matches weigh 1.0, terms inside a longer match 0.5, synonym
        expansions 0.5 (0.25 inside). Single Chinese characters are used only for one-character queries."""
        q = normalize(query)[:MAX_QUERY_CHARS]
        weights = {}
        self._add(q, weights, 1.0)
        if not weights:
            for ch in q:
                if is_cjk(ch) and ch in self.vocab and ch not in STOP:
                    weights[ch] = 1.0
        for group in self.synonyms:
            if any(member and member in q for member in group):
                for member in group:
                    if member not in q:
                        self._add(member, weights, 0.5)
        return weights

    def _add(self, text, weights, scale):
        found = self._match(text)
        spans = [(s, e) for _, s, e in found]
        for term, s, e in found:
            inside = any(s2 <= s and e <= e2 and (e2 - s2) > (e - s) for s2, e2 in spans)
            w = scale * (0.5 if inside else 1.0)
            if w > weights.get(term, 0):
                weights[term] = w


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
