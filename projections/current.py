"""The network as the hub knows it now, kept up to date by the change rather than recomputed.

Why: the answer asked for most — the whole graph and the partnership view as known now,
about all time, unfiltered — used to be materialised from the bitemporal graph after every
write. At 1,000 partnerships (7,000 nodes, 41,277 edge versions, 20,962 events) that cost,
per read after a write, 0.6 s for the full view (materialise 0.18 s, node-link 0.31 s,
JSON 0.12 s) and 1.2 s for the partnership view (fold 0.32 s, JSON 0.86 s), while the
same read repeated cost 3.5 ms.

Here each node, edge and partnership link keeps its JSON text. Applying an event only
notes which nodes and edges it touched (an entry in a set and one in a dict: replays stay as fast as
before); the next read brings exactly those up to date — and, in the partnership view,
only the *sources* of links they feed (an organisation's memberships, a project, a
meeting, an exchange) — and rewrites the chunks of texts that hold them (:class:`Texts`); the
answer is those chunks, written one after another. A read after a write thus costs the change.

The answers equal ``node_link(materialise(graph.view()))`` and
``node_link(partnership_view(graph.view()))`` up to the order of lists (checked by a
property test against rebuilds).
"""

from __future__ import annotations

import bisect
from array import array
from collections import Counter
from collections.abc import Iterable
from itertools import accumulate, combinations
from typing import Any, Protocol

import numpy as np

from hub.log import json_bytes
from hub.meeting import CANCELLED
from projections.columns import INDEX, INDEX_DTYPE, Columns, holding, number_of
from projections.deflated import EMPTY, Deflated, Piece, inflate, pack

Pair = tuple[str, str]
Source = tuple[str, str] | int
"""What links partnerships: ``("org" | "project" | "meeting", id)``, or an exchange's edge version by its row (a number
alone: a tuple each beside it was about 400,000 objects of a read model at 995,974 events)."""
SOURCE_ORDER = {"org": 0, "project": 1, "link": 2, "meeting": 3}


def _in_order(source: Source) -> tuple[int, Any]:
    """Where a pair's reasons from ``source`` come among its others'."""
    return (SOURCE_ORDER["link"], source) if isinstance(source, int) else (SOURCE_ORDER[source[0]], source[1])


_json = json_bytes
"""Compact JSON; ids and dates converted only where the encoder meets them (converting every value
first was 6.7 of 11.0 s of a first answer at 99,527 events)."""


def public(attrs: dict[str, Any]) -> dict[str, Any]:
    """An edge version's attributes as answers show them: without its interval in record time (the answer's moment
    says when), with what the graph does not keep on each version because it follows from its kind — its weight
    (1) and, on an exchange, whether it is confirmed. Kept on each version they made an exchange's attributes a
    dict of 12 entries, which Python gives twice the room of one of 10 (464 against 272 bytes; 12 MB at 99,527
    events).

    >>> public({"kind": "membership", "rec_from": 3, "rec_to": None})
    {'kind': 'membership', 'weight': 1}
    >>> public({"kind": "exchange_confirmed", "rec_from": 3, "rec_to": None})["confirmed"]
    True
    """
    return shown_as({k: v for k, v in attrs.items() if k not in ("rec_from", "rec_to")})


def shown_as(attrs: dict[str, Any]) -> dict[str, Any]:
    """:func:`public` of attributes that have no interval in record time, made in place (and returned)."""
    attrs["weight"] = 1
    if attrs["kind"].startswith("exchange_"):
        attrs["confirmed"] = attrs["kind"] == "exchange_confirmed"
    return attrs


CHUNK = 512
"""Texts per chunk in :class:`Texts`: a change rewrites the chunks that hold what it changed (about 150 KB each of the
partnership view at 99,527 events); an answer is sent in about two parts per chunk. Measured at that size, a member
joining a partnership (which touches pairs across many chunks): 8.6-9.4 ms with 512 texts a chunk, 53-61 ms with
4,096; sending the partnership view of 1,000 partnerships (8 MB) took 4-6 ms either way, as one joined text did.
Kept deflated (:mod:`projections.deflated`), a chunk rewritten is inflated and deflated again: ~0.3 ms each of that
size; the first gzip read of the partnership view after an exchange is posted at 99,527 events takes 5-17 ms."""
COMMA = pack(b",")
SPLICED = 8
"""Up to this many changes in one chunk are spliced into its text one by one; more rewrite it from its pieces."""


class _Chunk:
    """Up to :data:`CHUNK` texts joined with ",": their keys in order, where each text ends, the text deflated."""

    __slots__ = ("number", "keys", "ends", "piece")

    def __init__(self, number: int, keys: list[Any] | array[int]) -> None:
        self.number = number  # its place among the chunks
        self.keys = keys
        self.ends = array(INDEX)
        self.piece = EMPTY

    def __getstate__(self) -> tuple[int, list[Any] | array[int], array[int], Piece]:
        return self.number, self.keys, self.ends, self.piece

    def __setstate__(self, state: tuple[int, list[Any] | array[int], array[int], Piece]) -> None:
        self.number, self.keys, self.ends, self.piece = state


class Texts:
    """JSON texts by key, in the order keys were first set (as a dict keeps them), held joined in chunks, deflated.

    Why: an answer made of all the texts is then the chunks themselves, written one after another, not a copy of
    every text joined once more after each change. At 99,527 events the two current answers joined took 139 MB
    beside the 152 MB of their texts in every process, and joining them again was most of a read after a write
    (about 0.15 s of 0.16 s for the partnership view); a change now rewrites the chunks that hold what it changed.
    Each chunk is kept deflated (:mod:`projections.deflated`: 144.9 MB of texts in 30.9 MB at that size), so a
    gzip answer is the chunks themselves and a change inflates, splices and deflates the chunks it touches.

    A key leads to its chunk, and the chunk holds its keys in order: no number is kept per key. Keys that are
    ``numbered`` (the edge versions' rows, small integers) lead to their chunk through an array indexed by the key.
    A place per key, kept as a number in a dict, was 520,465 integer objects (14.6 MB) at 99,527 events, and the
    edge versions' dict another 5 MB.

    Setting and popping are noted and applied together when the parts are asked for; ``in`` sees them at once.

    >>> texts = Texts(chunk=2)
    >>> texts["a"], texts["b"], texts["c"] = b"1", b"2", b"3"
    >>> b"".join(texts.parts())
    b'1,2,3'
    >>> texts["a"] = b"4"
    >>> _ = texts.pop("b")
    >>> "b" in texts, b"".join(texts.parts())
    (False, b'4,3')
    """

    def __init__(self, chunk: int = CHUNK, numbered: bool = False) -> None:
        self.chunk = chunk
        self.numbered = numbered
        self._chunks: list[_Chunk] = []
        self._chunk_of: dict[Any, _Chunk] = {}  # key → its chunk (keys not ``numbered``)
        self._number_of = array(INDEX)  # ``numbered`` key → its chunk's number + 1 (0: none)
        self._count = 0
        self._noted: dict[Any, bytes | None] = {}  # set or popped (None) since the chunks were last written

    def __setitem__(self, key: Any, text: bytes) -> None:
        self._noted[key] = text

    def pop(self, key: Any, default: Any = None) -> Any:
        """Forget ``key``'s text (its bytes are not handed back: they live in a chunk)."""
        self._noted[key] = None
        return default

    def __contains__(self, key: Any) -> bool:
        noted = self._noted.get(key, self)
        return self._find(key) is not None if noted is self else noted is not None

    def __len__(self) -> int:
        self._write()
        return self._count

    def parts(self) -> list[bytes]:
        """Every text in order, separated by commas, a chunk at a time, inflated (an answer uses :meth:`pieces`)."""
        return [inflate(piece.data) for piece in self.pieces()]

    def pieces(self) -> list[Piece]:
        """:meth:`parts` deflated (:mod:`projections.deflated`): the chunks as they are kept."""
        self._write()
        out: list[Piece] = []
        for chunk in self._chunks:
            if chunk.piece.size:
                out += (COMMA, chunk.piece) if out else (chunk.piece,)
        return out

    def _find(self, key: Any) -> _Chunk | None:
        if not self.numbered:
            return self._chunk_of.get(key)
        number = self._number_of[key] if key < len(self._number_of) else 0
        return self._chunks[number - 1] if number else None

    def _place(self, key: Any, chunk: _Chunk | None) -> None:
        """Note which chunk holds ``key`` (None: none does)."""
        if not self.numbered:
            if chunk is None:
                del self._chunk_of[key]
            else:
                self._chunk_of[key] = chunk
            return
        holding(self._number_of, key)[key] = 0 if chunk is None else chunk.number + 1

    def _write(self) -> None:
        if not self._noted:
            return
        noted, self._noted = self._noted, {}
        changed: dict[int, dict[Any, bytes | None]] = {}  # chunk number → its keys set or popped
        taken = 0  # keys the last chunk takes in this write
        for key, text in noted.items():
            chunk = self._find(key)
            if chunk is None:
                if text is None:
                    continue
                if not self._chunks or len(self._chunks[-1].keys) + taken >= self.chunk:
                    self._chunks.append(_Chunk(len(self._chunks), array(INDEX) if self.numbered else []))
                    taken = 0
                chunk = self._chunks[-1]
                taken += 1
                self._count += 1
                self._place(key, chunk)
            elif text is None:
                self._count -= 1
                self._place(key, None)
            changed.setdefault(chunk.number, {})[key] = text
        for number, changes in changed.items():
            chunk = self._chunks[number]
            (self._rebuild if len(changes) > SPLICED else self._splice)(chunk, changes)

    @staticmethod
    def _splice(chunk: _Chunk, changes: dict[Any, bytes | None]) -> None:
        text, keys, ends = inflate(chunk.piece.data), chunk.keys, chunk.ends
        for key, new in changes.items():
            try:
                i = keys.index(key)
            except ValueError:  # a key set for the first time comes last
                if new is not None:
                    text = text + b"," + new if text else new
                    keys.append(key)
                    ends.append(len(text))
                continue
            start = ends[i - 1] + 1 if i else 0
            if new is not None:
                cut_from, cut_to, new_part = start, ends[i], new
            elif len(keys) == 1:
                cut_from, cut_to, new_part = 0, len(text), b""
            elif i + 1 < len(keys):
                cut_from, cut_to, new_part = start, ends[i] + 1, b""  # with the comma after it
            else:
                cut_from, cut_to, new_part = start - 1, ends[i], b""  # the last one, with the comma before it
            text = text[:cut_from] + new_part + text[cut_to:]
            delta = len(new_part) - (cut_to - cut_from)
            if new is None:
                del keys[i]
                del ends[i]
            else:
                ends[i] += delta
                i += 1
            if delta and i < len(ends):
                np.frombuffer(ends, dtype=INDEX_DTYPE)[i:] += delta  # the array itself, shifted in place
        chunk.piece = pack(text)

    def _rebuild(self, chunk: _Chunk, changes: dict[Any, bytes | None]) -> None:
        old = inflate(chunk.piece.data)
        texts: dict[Any, bytes] = {}
        start = 0
        for key, end in zip(chunk.keys, chunk.ends, strict=True):
            if key not in changes:
                texts[key] = old[start:end]
            elif (new := changes.pop(key)) is not None:
                texts[key] = new
            start = end + 1
        texts.update((key, text) for key, text in changes.items() if text is not None)  # new keys come last
        chunk.keys = array(INDEX, texts) if self.numbered else list(texts)
        chunk.ends = array(INDEX, (end - 1 for end in accumulate(len(text) + 1 for text in texts.values())))
        chunk.piece = pack(b",".join(texts.values()))

    def __getstate__(self) -> dict[str, Any]:
        self._write()  # a saved read model holds the chunks written
        return self.__dict__


_EXCHANGES = frozenset({"exchange_confirmed", "exchange_unconfirmed"})
_NONE = array(INDEX)
_HALF = 32


class Pairs:
    """The partnership view's linked pairs by number, each with the sources that link it: no object per pair.

    Why: a pair is two partnerships' ids; kept as a tuple, a key of two dicts (its sources, its text's place) and an
    entry in each of its sources' tuples, the links of the partnership view took 79 MB and 0.50 million objects of a
    read model at 99,527 events (273,964 pairs), and 919 MB and 4.84 million objects at 995,974 (4.1 million pairs),
    a quarter of what a saved read model unpickled. A load at 995,974 events took 19.1 s, and 11.7 s with the pairs
    numbered. A change is found faster too: a member joining a partnership at 99,527 events, its partnership view's
    next gzip answer 25.6-25.7 → 4.5-5.8 ms (medians of ten, in turn), a text being found in its chunk by a number
    rather than by comparing pairs.

    Here a pair gets a number when first linked (its place in :attr:`code`: its partnerships' numbers, the one whose
    id sorts first in the high half) and keeps it; its number is found by the code, in a sorted array (:attr:`codes`,
    searched by bisection) or among the codes numbered since it was last sorted (:attr:`fresh`). Its sources are
    :attr:`linked_by` at its number: the source itself, as most pairs have one, or a tuple of them (references to
    the sources kept anyway: numbered instead, with their numbers as Python's integers, they took 2.3 million
    objects at 995,974 events); a pair linked by one exchange alone keeps its row in :attr:`by_row` (in the list, an
    integer each, as a saved model keeps no integer once for all: 2 million objects at that size).

    >>> pairs = Pairs()
    >>> pairs.numbers({("p", "q"): [], ("p", "r"): []}), pairs.numbers({("p", "r"): []})
    ([0, 1], [1])
    >>> pairs.settle(); pairs.numbers({("p", "r"): [], ("q", "r"): []}), pairs.pair(2)
    ([1, 2], ('q', 'r'))
    >>> pairs.keep_sources(1, (("org", "o"),)); pairs.sources(1), pairs.sources(0)
    ((('org', 'o'),), ())
    """

    SORT_AFTER = 4096  # codes numbered since the last sort, at least, before they are sorted in

    def __init__(self) -> None:
        self.ids: list[str] = []  # a partnership's number → its id
        self._number_of: dict[str, int] = {}
        self.code = array("q")  # a pair's number → its code
        self.linked_by: list[tuple[str, str] | tuple[Source, ...] | None] = []  # a pair's number → its source(s)
        self.by_row = array(INDEX)  # a pair's number → the row of the exchange that alone links it (-1: none)
        self.codes, self.at = array("q"), array(INDEX)  # codes sorted (two numbers each: 64 bits), their pairs' numbers
        self.fresh: dict[int, int] = {}  # codes numbered since: code → the pair's number

    def numbers(self, pairs: Iterable[Pair]) -> list[int]:
        """The numbers of ``pairs`` (each in order: ``a < b``), given to those linked for the first time."""
        found: list[int] = []
        codes, at, fresh, number, ids = self.codes, self.at, self.fresh, self._number_of, self.ids
        for a, b in pairs:
            code = number_of(a, number, ids) << _HALF | number_of(b, number, ids)
            linked = fresh.get(code)
            if linked is None:
                i = bisect.bisect_left(codes, code)
                if i < len(codes) and codes[i] == code:
                    linked = at[i]
                else:
                    linked = fresh[code] = len(self.code)
                    self.code.append(code)
                    self.linked_by.append(None)
                    self.by_row.append(-1)
            found.append(linked)
        return found

    def settle(self) -> None:
        """Sort the codes numbered since the last sort in with the others, once there are enough of them."""
        if len(self.fresh) < max(self.SORT_AFTER, len(self.codes) // 8):
            return
        codes = np.concatenate((np.frombuffer(self.codes, dtype=np.int64),
                                np.fromiter(self.fresh, dtype=np.int64, count=len(self.fresh))))
        at = np.concatenate((np.frombuffer(self.at, dtype=INDEX_DTYPE),
                             np.fromiter(self.fresh.values(), dtype=INDEX_DTYPE, count=len(self.fresh))))
        order = np.argsort(codes, kind="stable")
        self.codes, self.at = array("q", codes[order].tobytes()), array(INDEX, at[order].tobytes())
        self.fresh = {}

    def pair(self, number: int) -> Pair:
        code = self.code[number]
        return self.ids[code >> _HALF], self.ids[code & ((1 << _HALF) - 1)]

    def sources(self, number: int) -> tuple[Source, ...]:
        """The sources that link pair ``number`` now (none: not linked)."""
        row = self.by_row[number]
        if row >= 0:
            return (row,)
        kept = self.linked_by[number]
        if kept is None:
            return ()
        if isinstance(kept[0], str):  # a source is (its kind, …): one alone
            return (kept,)
        return kept

    def keep_sources(self, number: int, sources: tuple[Source, ...]) -> None:
        alone = sources[0] if len(sources) == 1 else None
        if isinstance(alone, int):  # kept as a number in an array: in the list, an integer object each
            self.by_row[number], self.linked_by[number] = alone, None
        else:
            self.by_row[number], self.linked_by[number] = -1, alone or sources or None


_HEADS = {multigraph: pack(b'{"directed":false,"multigraph":%s,"graph":{"as_of":null,"valid_at":null},"nodes":[' % (
    b"true" if multigraph else b"false")) for multigraph in (True, False)}
_BETWEEN, _TAIL = pack(b'],"edges":['), pack(b"]}")


class Versions(Protocol):
    """Edge versions by row: ``(u, v, row, attributes)`` (:class:`projections.graph.EdgeVersions`)."""

    def __getitem__(self, row: int) -> tuple[str, str, int, dict[str, Any]]: ...

    def ends(self, row: int) -> tuple[str, str]: ...

    def is_open(self, row: int) -> bool: ...

    def about(self, row: int) -> tuple[str, str, str]: ...

    def kind(self, row: int) -> str: ...

    def edge_object(self, row: int) -> dict[str, Any]: ...


class CurrentNetwork:
    """Node-link JSON of the current full graph and partnership view, maintained incrementally.

    The owner (a :class:`projections.graph.PartnerGraph`) calls :meth:`touch_node` and
    :meth:`touch_edge` while applying events, and :meth:`full_answer` / :meth:`partnerships_answer`
    under its lock.

    >>> import json
    >>> from projections.graph import PartnerGraph
    >>> graph = PartnerGraph()
    >>> now = graph.now
    >>> graph.cols.node_version("a", {"type": "organisation", "name": "A"}, 1)
    >>> now.touch_node("a")
    >>> json.loads(now.full_answer().text())["nodes"]
    [{'type': 'organisation', 'name': 'A', 'id': 'a'}]
    """

    def __init__(self, cols: Columns, versions: Versions, rows_of: dict[str, array[int]]) -> None:
        self.cols = cols  # the nodes' versions
        self.versions = versions
        self.rows_of = rows_of  # node → the rows of its edge versions
        self._dirty_nodes: set[str] = set()
        self._dirty_edges: dict[int, tuple[str, str]] = {}  # touched edge versions: key → ends (a key is one version)
        # the full view
        self._node_json = Texts()  # shown node → its JSON
        self._edge_json = Texts(numbered=True)  # shown edge version (its row) → its JSON
        # the partnership view
        self._partnership_json = Texts()
        self._member_count: Counter[Pair] = Counter()  # (organisation, partnership) → shown membership edges
        self._member_of: dict[str, set[str]] = {}
        self._project_count: Counter[Pair] = Counter()
        self._in_project: dict[str, set[str]] = {}
        # A meeting's parties and an organisation's meetings and exchanges are found through their rows (``rows_of``),
        # a meeting's or an exchange's edge shown being one whose text the full view holds: an index of each (meeting →
        # its parties shown and its label, party → meetings, end → exchanges, exchange → ends) took 27 MB and 214,000
        # objects of a read model at 99,527 events, 278 MB and 2.1 million at 995,974.
        # The partnership view's links by number (:class:`Pairs`): each pair's sources and text; and each source → the
        # numbers of the pairs it links now (their reasons are computed again when a pair's text is written: kept per
        # pair they took 100 MB of the 310 MB these answers held at 99,527 events)
        self._pairs = Pairs()
        self._linked: dict[Source, array[int]] = {}
        self._pair_json = Texts(numbered=True)
        self._answers: dict[bool, Deflated] = {}  # the last answer of each view (multigraph: the full one)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_answers": {}}  # a saved read model holds the pieces, not answers made of them

    # -- what the owner reports ------------------------------------------------

    def touch_node(self, node: str) -> None:
        self._dirty_nodes.add(node)

    def touch_edge(self, u: str, v: str, key: int) -> None:
        self._dirty_edges[key] = (u, v)

    # -- answers ---------------------------------------------------------------

    def full_answer(self) -> Deflated:
        """``node_link(materialise(view()))`` as compact JSON, deflated in pieces (:mod:`projections.deflated`)."""
        return self._answer(True, self._node_json, self._edge_json)

    def partnerships_answer(self) -> Deflated:
        """``node_link(partnership_view(view()))`` as compact JSON, deflated in pieces."""
        return self._answer(False, self._partnership_json, self._pair_json)

    def _answer(self, multigraph: bool, nodes: Texts, edges: Texts) -> Deflated:
        """The answer, the same object while its pieces are: what it makes once (its gzip member joined) is made
        once per version — before a server forks its workers, once for all of them."""
        self.bring_up_to_date()
        answer = Deflated([_HEADS[multigraph], *nodes.pieces(), _BETWEEN, *edges.pieces(), _TAIL])
        kept = self._answers.get(multigraph)
        if kept is not None and kept.pieces == answer.pieces:  # compared by identity first: ~1,600 pieces in µs
            return kept
        self._answers[multigraph] = answer
        return answer

    # -- catching up with what was touched --------------------------------------

    def _attrs(self, node: str) -> dict[str, Any] | None:
        """The node's current attributes if the unfiltered view shows it now."""
        attrs = self.cols.last_node_attrs(node)
        if attrs is None:
            return None
        if attrs["type"] == "meeting" and attrs["status"] == CANCELLED:
            return None
        return attrs

    def bring_up_to_date(self) -> None:
        if not self._dirty_nodes and not self._dirty_edges:
            return
        dirty_sources: set[Source] = set()
        nodes, self._dirty_nodes = self._dirty_nodes, set()
        edges, self._dirty_edges = self._dirty_edges, {}
        for node in nodes:
            attrs = self._attrs(node)
            was_shown = node in self._node_json
            if attrs is None:
                self._node_json.pop(node, None)
                self._partnership_json.pop(node, None)
            else:
                self._node_json[node] = _json({**attrs, "id": node})
                if attrs["type"] == "partnership":
                    self._partnership_json[node] = _json({**attrs, "id": node})
                elif attrs["type"] == "organisation":
                    dirty_sources.add(("org", node))  # its name labels shared-member links
                elif attrs["type"] == "project":
                    dirty_sources.add(("project", node))
            if was_shown != (attrs is not None):  # its edges appear or disappear with it
                for key in self.rows_of.get(node, ()):
                    if self.versions.is_open(key):
                        edges.setdefault(key, self.versions.ends(key))  # once, as touched if it was
        versions, shown_edges = self.versions, self._edge_json
        for key, (u, v) in edges.items():
            is_open = versions.is_open(key)
            if not is_open and key not in shown_edges:
                continue  # a version closed before it was ever shown: most of what a replay touched
            self._sync_edge(u, v, key, is_open, dirty_sources)
        self._recompute(dirty_sources)

    def _sync_edge(self, u: str, v: str, key: int, is_open: bool, dirty: set[Source]) -> None:
        shown = is_open and u in self._node_json and v in self._node_json
        if shown == (key in self._edge_json):
            return
        # what the version is, read from the columns; its attributes are made only for its text (kept, a dict each
        # took ~100 MB at 99,527 events)
        kind, record, _ = self.versions.about(key)
        if shown:
            self._edge_json[key] = _json(self.versions.edge_object(key))
        else:
            self._edge_json.pop(key)
        step = 1 if shown else -1
        if kind == "membership":
            org, partnership = (u, v) if record == v else (v, u)
            self._count(self._member_count, self._member_of, org, partnership, step, dirty, "org")
        elif kind == "project":
            partnership, project = (u, v) if record == u else (v, u)
            self._count(self._project_count, self._in_project, project, partnership, step, dirty, "project")
        elif kind in ("organised", "attended"):
            dirty.add(("meeting", record))
        else:  # an exchange: shown while the full view holds its text
            dirty.add(key)

    def _count(self, counts: Counter[Pair], groups: dict[str, set[str]], group: str, partnership: str, step: int,
               dirty: set[Source], source_kind: str) -> None:
        counts[group, partnership] += step
        if counts[group, partnership] > 0:
            if partnership in groups.setdefault(group, set()):
                return
            groups[group].add(partnership)
        else:
            del counts[group, partnership]
            groups[group].discard(partnership)
        dirty.add((source_kind, group))
        if source_kind == "org":  # what the organisation takes part in now speaks for other partnerships
            versions, shown = self.versions, self._edge_json
            for row in self.rows_of.get(group, ()):
                kind = versions.kind(row)
                if kind == "organised" or kind == "attended":  # every meeting it took part in, now or before: one
                    # it no longer takes part in gives the same reasons again
                    dirty.add(("meeting", versions.about(row)[1]))
                elif kind in _EXCHANGES and row in shown:
                    dirty.add(row)

    # -- the partnership view's links, source by source -------------------------------

    def _side(self, end: str) -> Iterable[str]:
        if end in self._partnership_json:
            return (end,)
        return self._member_of.get(end, ())

    def _reasons(self, source: Source) -> dict[Pair, list[dict[str, Any]]]:
        kind, ref = ("link", "") if isinstance(source, int) else source
        found: dict[Pair, list[dict[str, Any]]] = {}

        def add(a: str, b: str, reason: dict[str, Any]) -> None:
            if a != b:
                found.setdefault((a, b) if a < b else (b, a), []).append(reason)

        def across(x: str, y: str, reason: dict[str, Any]) -> None:
            for a in self._side(x):
                for b in self._side(y):
                    add(a, b, reason)

        if kind in ("org", "project"):
            members = sorted((self._member_of if kind == "org" else self._in_project).get(ref, ()))
            attrs = self._attrs(ref)
            reason = {"kind": "shared_member" if kind == "org" else "same_project", "via": ref,
                      "label": attrs.get("name", ref) if attrs else ref}
            for a, b in combinations(members, 2):
                add(a, b, reason)
        elif kind == "meeting":
            organisers, attendees, label = self._meeting(ref)
            for a, b in combinations(organisers, 2):
                across(a, b, {"kind": "co_organised", "via": ref, "label": label})
            for attendee in attendees:
                for organiser in organisers:
                    across(attendee, organiser, {"kind": "attended", "via": ref, "label": label})
        elif isinstance(source, int) and source in self._edge_json:  # an exchange shown
            u, v = self.versions.ends(source)
            data = self.versions[source][3]
            across(u, v, {"kind": data["kind"], "via": data["record"], "label": data.get("label", "")})
        return found

    def _meeting(self, meeting: str) -> tuple[list[str], list[str], str]:
        """A meeting's organisers and attendees shown now (each in order), and its label (its edges', the same)."""
        versions, shown = self.versions, self._edge_json
        parties: dict[str, set[str]] = {"organised": set(), "attended": set()}
        label = ""
        for row in self.rows_of.get(meeting, ()):
            if row in shown:
                kind, _, label = versions.about(row)
                u, v = versions.ends(row)
                parties[kind].add(v if u == meeting else u)
        return sorted(parties["organised"]), sorted(parties["attended"]), label

    def _recompute(self, sources: set[Source]) -> None:
        """Write again the text of every pair a changed source links or linked.

        A pair's other sources did not change (what they read marks them changed: :meth:`_count`, :meth:`_sync_edge`),
        so their reasons, computed again here, are the ones they gave before.
        """
        found: dict[Source, dict[Pair, list[dict[str, Any]]]] = {}
        pairs = self._pairs

        def reasons_of(source: Source) -> dict[Pair, list[dict[str, Any]]]:
            if source not in found:
                found[source] = self._reasons(source)
            return found[source]

        touched: set[int] = set()
        for source in sources:
            old = self._linked.pop(source, _NONE)
            new = pairs.numbers(reasons_of(source))
            if old:
                now = set(new)
                for linked in old:
                    if linked not in now:
                        pairs.keep_sources(linked, tuple(s for s in pairs.sources(linked) if s != source))
            for linked in new:
                known = pairs.sources(linked)
                if source not in known:
                    pairs.keep_sources(linked, (*known, source))
            if new:
                self._linked[source] = array(INDEX, new)
            touched.update(old)
            touched.update(new)
        pairs.settle()
        for linked in touched:
            sources_of = pairs.sources(linked)
            if not sources_of:
                self._pair_json.pop(linked, None)
                continue
            pair = pairs.pair(linked)
            if len(sources_of) == 1:  # most pairs (sorting one source was a tenth of a first answer)
                reasons = reasons_of(sources_of[0])[pair]
            else:
                ordered = sorted(sources_of, key=_in_order)
                reasons = [r for s in ordered for r in reasons_of(s)[pair]]
            kinds = list(dict.fromkeys(r["kind"] for r in reasons))
            self._pair_json[linked] = _json({"reasons": reasons, "kinds": kinds, "weight": len(reasons),
                                             "source": pair[0], "target": pair[1]})
