"""Dicts of a read model made, when it is loaded, to share the table of their names — as an object's attributes do.

Why: a dict made as usual holds a table of its keys of its own; an object's attributes (``vars(obj)``) are a dict
that holds only its values and shares its names with every object of its class (CPython's *split* dicts). A saved read
model holds hundreds of thousands of dicts of a few shapes: each node version's attributes (a meeting's twelve, an
organisation's seven) and, in the records, each confirmation of an exchange and each member and area of a
partnership. Measured on this machine (tracemalloc, 20,000 dicts): a dict of twelve names 504 → 224 bytes, of seven
312 → 184. At 995,974 events the node versions' attributes alone were 373,000 dicts, 162 MB.

How: when a model is saved, such a dict is pickled as "an empty dict of these names" (one tuple of names per shape,
which pickle writes once and names again after) followed by its items; unpickled, :func:`shaped` makes that empty dict
from a class of its own for those names (``cls.__new__(cls).__dict__``) and the unpickler sets the items in it one by
one, which keeps it split. (CPython gives the first dicts of a class room for 30 names, and each next one room for
one name fewer, down to what the class's dicts have: a shape pays off from a few dozen dicts on.) The unpickler keeps
nothing made only to make them (see :func:`projections.checkpoint._dump`): the arguments are one tuple per shape. The
dicts behave as any dict: a key added or removed later makes that one dict an ordinary one again.

>>> import pickle, sys
>>> rows = [{"type": "meeting", "name": f"Spotkanie {i}", "format": "webinar"} for i in range(40)]
>>> back = pickle.loads(pickle.dumps(Dicts(rows)))
>>> back == rows, type(back) is list, type(back[0]) is dict
(True, True, True)
>>> sys.getsizeof(back[-1]), sys.getsizeof(rows[-1])  # (the first ~30 of a shape are given room to spare)
(96, 184)
"""

from __future__ import annotations

from typing import Any

MOST_NAMES = 30
"""CPython shares a table of at most 30 names (``SHARED_KEYS_MAX_SIZE``); a dict of more is pickled as it is."""
MOST_SHAPES = 1024
"""Shapes (tuples of names) one save makes; dicts of further shapes are pickled as they are. Dicts of a shape met
once gain nothing (a class and its table are kept for it): only dicts *in* a list or a dict, and the node versions',
are shaped — a record's field that is a dict keyed by ids or codes is not."""

_classes: dict[tuple[str, ...], Any] = {}  # names → a class whose objects' attributes are those names


def shaped(names: Any) -> dict[str, Any]:
    """An empty dict that shares the table of ``names`` (a tuple of texts) with the other dicts of those names.

    >>> first, second = shaped(("a", "b")), shaped(("a", "b"))
    >>> first["a"], first["b"] = 1, 2
    >>> second["a"], second["b"] = 3, 4
    >>> first, second
    ({'a': 1, 'b': 2}, {'a': 3, 'b': 4})
    """
    # the names are checked once a shape: at each of 761,895 calls, they took a load 1.4 s at 995,974 events
    cls = _classes.get(names) if type(names) is tuple else None
    if cls is None:
        if type(names) is not tuple or not 0 < len(names) <= MOST_NAMES or not all(type(n) is str for n in names):
            raise ValueError("not the names of a dict")
        if len(_classes) >= 4 * MOST_SHAPES:  # (a forged file cannot make classes without end)
            raise ValueError("too many shapes of dicts")
        cls = _classes[names] = type("Shape", (), {})
    made: dict[str, Any] = object.__new__(cls).__dict__
    return made


class Shapes:
    """What one save has wrapped: a tuple of names per shape (pickle writes each once, then names it again), and a
    wrapper per value, so a value met twice is one object when unpickled, as it was."""

    def __init__(self) -> None:
        self.names: dict[tuple[str, ...], tuple[tuple[str, ...]]] = {}  # names → the arguments of :func:`shaped`
        self.wrappers: dict[int, Any] = {}

    def _names(self, value: dict[Any, Any]) -> tuple[tuple[str, ...]] | None:
        names = tuple(value)
        if not 0 < len(names) <= MOST_NAMES or not all(type(n) is str for n in names):
            return None
        kept = self.names.get(names)
        if kept is None:
            if len(self.names) >= MOST_SHAPES:
                return None
            kept = self.names[names] = (names,)
        return kept

    def field(self, value: Any) -> Any:
        """A record's field (or any value) ready to be pickled: the dicts in its lists and dicts shaped."""
        kind = type(value)
        if (kind is list or kind is dict) and value and _holds_containers(value):
            found = self.wrappers.get(id(value))
            if found is None:
                found = self.wrappers[id(value)] = (
                    _List([self.shaped(v) for v in value]) if kind is list
                    else _Items({k: self.shaped(v) for k, v in value.items()}))
            return found
        return value

    def shaped(self, value: Any) -> Any:
        """``value`` ready to be pickled, shaped itself if it is a dict of texts' names."""
        if type(value) is not dict:
            return self.field(value)
        names = self._names(value)
        if names is None:
            return self.field(value)
        found = self.wrappers.get(id(value))
        if found is None:
            held = _holds_containers(value)
            found = self.wrappers[id(value)] = _Dict(
                {k: self.field(v) for k, v in value.items()} if held else value, names)
        return found


def _holds_containers(value: list[Any] | dict[Any, Any]) -> bool:
    items = value.values() if type(value) is dict else value
    return any(type(v) is dict or type(v) is list for v in items)


class Dicts:
    """A list of dicts pickled so that each comes back sharing its names; unpickled, it is a plain list."""

    def __init__(self, dicts: list[dict[str, Any]]) -> None:
        self.dicts = dicts

    def __reduce__(self) -> tuple[Any, ...]:
        shapes = Shapes()
        return list, (), None, (shapes.shaped(d) for d in self.dicts)


class _Dict:
    """A dict pickled so that it comes back sharing its names (see the module's docstring)."""

    __slots__ = ("value", "names")

    def __init__(self, value: dict[str, Any], names: tuple[tuple[str, ...]]) -> None:
        self.value, self.names = value, names

    def __reduce__(self) -> tuple[Any, ...]:
        return shaped, self.names, None, None, iter(self.value.items())


class _List:
    __slots__ = ("items",)

    def __init__(self, items: list[Any]) -> None:
        self.items = items

    def __reduce__(self) -> tuple[Any, ...]:
        return list, (), None, iter(self.items)


class _Items:
    __slots__ = ("items",)

    def __init__(self, items: dict[Any, Any]) -> None:
        self.items = items

    def __reduce__(self) -> tuple[Any, ...]:
        return dict, (), None, None, iter(self.items.items())
