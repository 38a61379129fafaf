"""A small cached view of a KnowledgeBase for the drafting tools: regulations, records, successor articles.

Only the public KnowledgeBase API is used (ids, get, search); nothing here touches the index directly."""
import datetime as dt
import weakref

from ..errors import UnknownIdError
from ..refs import Regs

_VIEWS = weakref.WeakKeyDictionary()


def view(kb):
    """The cached :class:`KBView` of ``kb``; None when ``kb`` is None or holds no regulation at all
    (an empty or wrong root: nothing could be checked, so the corpus rules stay silent)."""
    if kb is None:
        return None
    if isinstance(kb, KBView):
        return kb
    v = _VIEWS.get(kb)
    if v is None:
        v = _VIEWS[kb] = KBView(kb)
    return v if v.regulations else None


def parse_date(s):
    try:
        return dt.date.fromisoformat(str(s)[:10]) if s else None
    except ValueError:
        return None


class KBView:
    def __init__(self, kb):
        self.kb = kb
        self._cache = {}
        self.regulations = {rid: self.get(rid) for rid in kb.ids("regulation")}
        self.regs = Regs([{"id": r["id"], "title": r["title"], "short_title": r["short_title"],
                           "aliases": r.get("aliases") or [], "status": r["status"],
                           "version_label": r["version_label"], "date": "", "articles": r["articles"],
                           "superseded_by": r["superseded_by"]} for r in self.regulations.values()])
        self._successors = {}
        self.search_errors = []

    def get(self, rid):
        """The entry for ``rid`` or None (never raises)."""
        if rid not in self._cache:
            try:
                self._cache[rid] = self.kb.get(rid)
            except UnknownIdError:
                self._cache[rid] = None
        return self._cache[rid]

    def effective(self, rid):
        """The date a regulation version took effect (effective, else published, else adopted), or None."""
        r = self.regulations.get(rid)
        if not r:
            return None
        d = r.get("dates") or {}
        return parse_date(d.get("effective")) or parse_date(d.get("published")) or parse_date(d.get("adopted"))

    def successor_article(self, old_id):
        """The article of the successor version whose ``previous`` is ``old_id`` (e.g. jilv-2018#96), or None."""
        reg = old_id.split("#")[0]
        if reg not in self._successors:
            mapping = {}
            new = (self.regulations.get(reg) or {}).get("superseded_by")
            if new and new in self.regulations:
                for aid in self.regulations[new]["articles"]:
                    e = self.get(aid)
                    if e and e.get("previous"):
                        mapping[e["previous"]["id"]] = aid
            self._successors[reg] = mapping
        return self._successors[reg].get(old_id)

    def search(self, query, **kw):
        """kb.search, or None when the search fails (a rule that needs it then stays silent rather
        than guessing; the failure is kept in ``search_errors``)."""
        try:
            return self.kb.search(query, **kw)
        except Exception as e:  # noqa: BLE001 - a search bug must not stop the linter
            self.search_errors.append(f"{type(e).__name__}: {e}")
            return None
