"""The read model saved beside the log with its position, so a server starts from it instead of a replay.

Why: at 99,527 events a server's first graph answer needed a replay (4.5 s) and then the
current answers built from scratch (7.8 s). Loading the saved model — records, the bitemporal
graph and the current answers already as JSON text — takes a fraction of that (the figures are
in the README's performance section, printed by ``make bench``), and only the events written
after it are replayed.

**Never trusted blindly.** The file is a cache of what the log says, so it is used only when
all of these hold, and is otherwise ignored (and replaced by a fresh one):

- its format and the *code* that made it are this code's (a SHA-256 over the source of
  ``hub`` and ``projections`` and the versions of Python, eventsourcing and networkx — any
  change of how records or the graph are built makes a rebuild);
- its payload's MAC matches: an HMAC-SHA-256 keyed by a secret derived from the hub's signing key (a damaged or
  cut file; a file forged, or made by another hub, by anyone without that key — a plain checksum could be made
  again by whoever wrote the file);
- the log it was made from is this log: the Merkle root of the events up to its position,
  computed from this store's leaves, equals the one it recorded (another database, a restored
  backup, a rewritten history all differ);
- no person was erased since it was made (the file would still hold the name): such a file is
  deleted, not loaded, and a server that notices an erasure deletes it too.

Loading is a restricted unpickling: only the classes a read model is made of (the hub's
records, networkx graphs, dates, UUIDs, a few containers) may be named, so a forged file
cannot run code (tested with a file that asks for ``os.system``); arrays and times are named by
numbers it checks, and UUIDs and records get their values from two functions that check them
(:func:`_dump`: what leaves no throwaway objects in the server's memory).
The file is written to a temporary name and renamed, readable by its owner only.

Where: ``HUB_READ_MODEL_FILE`` (``off`` for none); by default beside an SQLite database
(``<database>.read-model``) and, for PostgreSQL, under ``var/`` named after the store.
"""

from __future__ import annotations

import bisect
import copyreg
import hashlib
import hmac
import io
import json
import mmap
import os
import pickle
import sys
import threading
import time
from array import array
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from uuid import UUID, SafeUUID

import networkx as nx
from eventsourcing.domain import Aggregate

from hub.application import HubApplication
from hub.signing import SigningKeyError
from hub.storage import store_identity
from projections import collector, shared_names
from projections.graph import PartnerGraph

FORMAT = "partnership-hub read model 4"  # 2: sealed by a MAC; 3: no throwaways (see _dump); 4: dicts sharing names
MAC_PURPOSE = "partnership-hub read model"
SAVE_AFTER = 1000  # events replayed on top of a saved model (or from nothing) before a start saves a new one

_SAFE = {
    ("builtins", "set"), ("builtins", "frozenset"), ("collections", "Counter"), ("collections", "defaultdict"),
    ("collections", "OrderedDict"), ("datetime", "date"), ("datetime", "datetime"), ("datetime", "timezone"),
    ("datetime", "timedelta"), ("uuid", "UUID"), ("uuid", "SafeUUID"), ("decimal", "Decimal"),
    ("networkx.classes.multigraph", "MultiGraph"), ("networkx.classes.graph", "Graph"),
    ("networkx.classes.coreviews", "MultiAdjacencyView"), ("networkx.classes.coreviews", "AdjacencyView"),
    ("networkx.classes.reportviews", "NodeView"), ("networkx.classes.reportviews", "MultiEdgeView"),
    ("networkx.classes.reportviews", "EdgeView"), ("projections.current", "CurrentNetwork"),
    ("projections.current", "Texts"), ("projections.current", "_Chunk"), ("projections.current", "Pairs"),
    ("projections.deflated", "Piece"), ("projections.graph", "EdgeVersions"), ("projections.graph", "NOTHING"),
    ("hub.dates", "KnownDate"), ("hub.privacy", "Personal"), ("projections.columns", "Columns"),
    ("projections.columns", "Coded"),
    ("projections.checkpoint", "_records_from"), ("projections.checkpoint", "_give_uuid"),  # see _dump
    ("projections.shared_names", "shaped"), ("builtins", "list"), ("builtins", "dict"),  # dicts sharing their names
}  # and the hub's record classes (subclasses of the library's Aggregate); nothing else


class Refused(Exception):
    """A saved read model that must not be used; the message says why."""


class Missing(Refused):
    """No read model was saved there (nothing to say: a first start)."""


@dataclass(frozen=True)
class Loaded:
    graph: PartnerGraph | None
    note: str  # what happened, in one line: for the server's log and the bench


def path_for(database_url: str, environ: Mapping[str, str] | None = None) -> Path | None:
    """Where the read model of the store at ``database_url`` is saved (None: not saved).

    >>> str(path_for("sqlite:////srv/hub/hub.sqlite3", {}))
    '/srv/hub/hub.sqlite3.read-model'
    >>> path_for("memory://", {}) is None
    True
    >>> path_for("sqlite:///var/hub.sqlite3", {"HUB_READ_MODEL_FILE": "off"}) is None
    True
    """
    source = os.environ if environ is None else environ
    chosen = source.get("HUB_READ_MODEL_FILE", "").strip()
    if chosen.lower() in ("off", "none", "0", "no"):
        return None
    if chosen:
        return Path(chosen)
    parts = urlsplit(database_url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        return Path(unquote(parts.path[1:]) + ".read-model")
    if scheme in ("postgres", "postgresql"):
        name = hashlib.sha256(store_identity(database_url).encode()).hexdigest()[:16]
        return Path("var") / f"postgresql-{name}.read-model"
    return None


def code_fingerprint() -> str:
    """Names the code that builds the read model: its source and the versions it runs on."""
    versions = f"{sys.version_info[:2]} {version('eventsourcing')} {nx.__version__} {version('numpy')}"
    digest = hashlib.sha256(versions.encode())
    root = Path(__file__).resolve().parent.parent
    for package in ("hub", "projections"):
        for source in sorted((root / package).rglob("*.py")):
            digest.update(source.relative_to(root).as_posix().encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def _mac_key(app: HubApplication, create: bool = False) -> bytes:
    """The key of a saved model's MAC, derived from the hub's signing key (made only by a save, for a log never
    signed, as the ledger makes it); :class:`Refused` when that key cannot be read."""
    try:
        signer = app.ledger.signer if create else app.ledger.existing_signer()
    except SigningKeyError as error:
        raise Refused(f"the hub's signing key cannot be read ({error.message})") from None
    return signer.derived_key(MAC_PURPOSE)


def _sealer(key: bytes, payload: bytes | memoryview = b"") -> hmac.HMAC:
    """The HMAC-SHA-256 that seals a saved model's payload (fed more with ``update``)."""
    return hmac.new(key, payload, hashlib.sha256)


def mac(app: HubApplication, payload: bytes) -> str:
    """The MAC a saved model's header holds for ``payload`` (hex), as this hub computes it."""
    return _sealer(_mac_key(app), payload).hexdigest()


def log_root(app: HubApplication, position: int) -> tuple[int, str]:
    """How many events the log holds up to ``position`` and the Merkle root over them (hex)."""
    ledger = app.ledger
    with ledger.lock:
        ledger.catch_up()
        count = bisect.bisect_right(ledger.positions, position)
        return count, ledger.tree.root(count).hex()


def save(graph: PartnerGraph, app: HubApplication, path: Path) -> int:
    """Write ``graph`` to ``path`` (atomically, owner-only); return the file's size in bytes.

    The payload is pickled straight into the file and its MAC computed as it is written, then put in the
    header's place kept for it: a save no longer holds the whole payload in memory beside the model (245 MB at
    99,527 events, 2.5 GB at 995,974, when the server's memory is at its highest: after a replay).
    """
    key = _mac_key(app, create=True)
    state = graph.state()
    count, root = log_root(app, state["position"])
    header = {
        "format": FORMAT, "code": code_fingerprint(), "application": app.name, "position": state["position"],
        "events": count, "root": root, "erasures": app.vault.erasures(), "epoch": graph.epoch,
        "payload_mac": "0" * 64, "saved_at": time.time(),
    }
    line = json.dumps(header).encode() + b"\n"
    mac_at = line.index(b'"payload_mac": "') + len(b'"payload_mac": "')
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(line)
            digest = _sealer(key)
            with collector.paused():
                _dump(state, _Hashed(out, digest))
            out.seek(mac_at)
            out.write(digest.hexdigest().encode())
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)  # never a half-written file left behind
        raise
    return path.stat().st_size


class _Hashed:
    """A file that hashes what is written to it."""

    def __init__(self, out: Any, digest: Any) -> None:
        self.out, self.digest = out, digest

    def write(self, data: Any) -> int:
        self.digest.update(data)
        written: int = self.out.write(data)
        return written


def load(app: HubApplication, path: Path) -> PartnerGraph:
    """The read model saved at ``path``, checked against this code and this log; :class:`Refused` if not usable.

    The payload is read through a memory map of the file, not into memory first: its MAC and the unpickler
    read the file's pages, which the kernel may drop again, so loading no longer holds a copy of the whole file
    beside the model it makes (245 MB at 99,527 events, 2.5 GB at 995,974) and no longer spends a read of it
    (0.26 s at 99,527 events).
    """
    try:
        with open(path, "rb") as file:
            first = file.readline(4096)
            header = _header(first)
            size = os.fstat(file.fileno()).st_size
            with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) if size > len(first) else _nothing() as mapped:
                return _load(app, path, header, mapped, len(first))
    except (FileNotFoundError, NotADirectoryError):
        raise Missing("no saved read model") from None
    except OSError as error:
        raise Refused(f"cannot read the saved read model: {error.strerror or error}") from None


def _header(first: bytes) -> dict[str, Any]:
    try:
        header = json.loads(first)
        if not isinstance(header, dict):
            raise ValueError
    except ValueError:
        raise Refused("the saved read model is not one (no header)") from None
    return header


@contextmanager
def _nothing() -> Iterator[bytes]:
    yield b""  # a file that ends after its header: an empty payload (mmap cannot map nothing)


def _load(app: HubApplication, path: Path, header: dict[str, Any], mapped: Any, start: int) -> PartnerGraph:
    if header.get("format") != FORMAT:
        raise Refused(f"the saved read model has another format ({header.get('format')!r})")
    if header.get("code") != code_fingerprint():
        raise Refused("the saved read model was made by other code")
    if header.get("application") != app.name:
        raise Refused("the saved read model is of another application")
    if header.get("erasures") != app.vault.erasures():
        path.unlink(missing_ok=True)  # it may hold the name of someone erased since
        raise Refused("a person was erased since the read model was saved: deleted it")
    position = header.get("position")
    if not isinstance(position, int) or position < 0:
        raise Refused("the saved read model names no log position")
    if (app.log_length() or 0) < position:
        raise Refused(f"the log is shorter than the saved read model (position {position})")
    if log_root(app, position) != (header.get("events"), header.get("root")):
        raise Refused(f"the log up to position {position} is not the one the read model was made from")
    key = _mac_key(app)
    with _payload_mac(mapped, start, key) as sealed:
        # The payload is hashed on another core while it is unpickled, and the hashing brings the file's pages in
        # ahead of the unpickler: at 99,527 events a load in a fresh process took 2.14-2.18 s with the hash first
        # and takes 1.62-1.77 s (three pairs in turn). A damaged file may fail to unpickle before its MAC
        # is known: it is refused as damaged all the same.
        reader = io.BytesIO(b"") if isinstance(mapped, bytes) else mapped
        reader.seek(start)
        try:
            with collector.paused(freeze=True):
                state = _load_state(reader, len(mapped) - start)
        except Exception as error:
            failure: Exception | None = error
        else:
            failure = None
    if not hmac.compare_digest(sealed.result, str(header.get("payload_mac"))):
        raise Refused("the saved read model is damaged, or was not made with this hub's key (its MAC does not match)")
    if isinstance(failure, Refused):
        raise failure
    if failure is not None:  # a payload with a valid MAC that still fails: refuse it, never crash
        raise Refused(f"the saved read model cannot be read ({type(failure).__name__})") from None
    try:
        graph = PartnerGraph.restore(state, app.name)
    except Exception as error:  # read, but not a read model's state: refuse it, never crash
        raise Refused(f"the saved read model cannot be read ({type(error).__name__})") from None
    graph.epoch = header.get("epoch", 0)
    return graph


@dataclass
class _Mac:
    result: str = ""


@contextmanager
def _payload_mac(mapped: Any, start: int, key: bytes) -> Iterator[_Mac]:
    """The MAC of ``mapped`` from ``start`` (HMAC-SHA-256 with ``key``), computed in a thread while the block runs
    (OpenSSL's HMAC lets go of the interpreter's lock for it, as hashlib does); ``result`` is set when the block is
    left."""
    sealed = _Mac()

    def run() -> None:
        with memoryview(mapped) as whole, whole[start:] as payload:
            sealed.result = _sealer(key, payload).hexdigest()

    thread = threading.Thread(target=run, name="read-model-mac")
    thread.start()
    try:
        yield sealed
    finally:
        thread.join()


ARRAY_TYPES = "bBhHiIlLqQfd"
"""The type codes of the arrays a read model holds, each an array's place in :func:`_dump`'s persistent ids."""
_ARRAY, _TIME, _KINDS = range(3)  # what a persistent id names, in its lowest bits (× _KINDS)
_NUMBER_BITS = 40  # an array's persistent id: its length, its number in these bits, its type code (see _dump)
_NUMBER_MASK = (1 << _NUMBER_BITS) - 1
_ARRAY_CODES = len(ARRAY_TYPES)
SHORT = 64
"""Arrays shorter than this are filled from slices of one array per type code, longer ones straight from the file's
bytes (:func:`_load_state`): a slice's copy is quicker for a short one, one copy fewer for a long one."""
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_UNKNOWN = SafeUUID.unknown  # (an enum's member looked up once: 0.2 s of a load at 995,974 events, profiled)


def _dump(state: dict[str, Any], out: Any) -> None:
    """Pickle ``state`` to ``out`` so that unpickling it leaves no throwaway objects among those it keeps.

    Why: the unpickler keeps every object it reads until the end of the load (its memo), those it only needed
    to make another one too: an array's argument tuple and the bytes of its contents, a time's, a UUID's state
    and a record's (copied into its attributes). Freed at the end, they left 45.3 MB of free blocks among the
    model's objects at 99,527 events — pages the server's workers share without use (and which
    :func:`collector.fill_holes` then fills). So, here:

    - an **array** is named by its number, length and type code alone, made where it is named, of that length
      exactly, and filled from its contents, which a second pickle after the first holds by type code, short
      arrays' apart from long ones' (:data:`SHORT`) (128,188 arrays at 99,527 events: each node's rows, each owner's
      open edge versions, …; filled from empty, each took room to grow: 55.5 MB for 48.1 MB of arrays);
    - a **time** (UTC) is named by a number, its value: a number is never kept by the memo;
    - a **UUID** is made empty and given its value (a number) by :func:`_give_uuid` (called with a tuple the memo
      does not keep). A UUID named by its value was a call for each of the 301,884 times a UUID is named at 99,527
      events, this one for each of the 65,970 UUIDs: a load 0.58–0.61 → 0.48–0.50 s;
    - the **records** are one table (:class:`_RecordTable`): each record's attributes were a dict of its own, kept
      (464–832 bytes a record) or copied into the record's own (208–256 bytes, sharing its class's table of names:
      27.6 → 12.3 MB at 99,527 events) and then thrown away;
    - the **dicts** of node versions' attributes and those in the records' lists and dicts are made empty, sharing
      the table of their names with the others of their names, and given their items (:mod:`shared_names`): at
      995,974 events a loaded model's memory +1,849 → +1,602 MB with the records' ids and texts each kept once.

    Persistent ids are numbers with :data:`_KINDS` choices in their lowest bits.
    """
    arrays: list[array[Any]] = []
    numbers: dict[int, int] = {}

    class Pickler(pickle.Pickler):
        def persistent_id(self, obj: Any) -> int | None:
            kind = type(obj)
            if kind is datetime and obj.tzinfo is UTC:
                microseconds: int = (obj - _EPOCH) // _MICROSECOND
                return microseconds * _KINDS + _TIME
            if kind is not array:
                return None
            number = numbers.get(id(obj))
            if number is None:
                number = numbers[id(obj)] = len(arrays)
                arrays.append(obj)  # kept alive while pickling: its id names it
            return ((len(obj) << _NUMBER_BITS | number) * len(ARRAY_TYPES) + ARRAY_TYPES.index(obj.typecode)) \
                * _KINDS + _ARRAY

        def reducer_override(self, obj: Any) -> Any:
            if type(obj) is UUID:
                return copyreg.__newobj__, (UUID,), obj.int, None, None, _give_uuid  # type: ignore[attr-defined]
            return NotImplemented

    Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump({**state, "records": _RecordTable(state["records"])})
    grouped: dict[tuple[str, bool], list[bytes]] = {}  # by type code, short apart from long: one pass over them
    for made in arrays:
        if made:
            grouped.setdefault((made.typecode, len(made) < SHORT), []).append(made.tobytes())
    pickle.dump((array("q", map(len, arrays)).tobytes(), {key: b"".join(parts) for key, parts in grouped.items()}),
                out, protocol=pickle.HIGHEST_PROTOCOL)


def _give_uuid(made: Any, value: Any) -> None:
    """A UUID's value (:func:`_dump`)."""
    if type(made) is not UUID or type(value) is not int or not 0 <= value < 1 << 128:
        raise Refused("the saved read model gives a UUID what is not one's value")
    object.__setattr__(made, "int", value)
    object.__setattr__(made, "is_safe", _UNKNOWN)


class _RecordTable:
    """The records (by id) as a table when pickled: the names of each kind of record's attributes once, then every
    record's values one after another, in one list; unpickled, they are the records again (:func:`_records_from`).
    The list is one block of memory the allocator gives back when the load is done, not a dict per record left
    among the objects the model keeps."""

    def __init__(self, records: dict[UUID, Aggregate]) -> None:
        self.records = records

    def __reduce__(self) -> tuple[Any, ...]:
        kinds: dict[tuple[type, tuple[str, ...]], int] = {}
        order = array("I")
        values: list[Any] = []
        field = shared_names.Shapes().field  # the dicts in its lists and dicts share their names when loaded
        for record in self.records.values():
            fields = vars(record)
            order.append(kinds.setdefault((type(record), tuple(fields)), len(kinds)))
            values += map(field, fields.values())
        return _records_from, (list(kinds), order.tobytes(), values)


def _records_from(kinds: Any, order: Any, values: Any) -> dict[UUID, Aggregate]:
    """The records a :class:`_RecordTable` was saved as, by id, in the order saved."""
    if type(kinds) is not list or type(order) is not bytes or type(values) is not list \
            or len(order) % array("I").itemsize:
        raise Refused("the saved read model's records are not a table")
    for kind in kinds:
        if (type(kind) is not tuple or len(kind) != 2 or not isinstance(kind[0], type)
                or not issubclass(kind[0], Aggregate) or type(kind[1]) is not tuple
                or not all(type(name) is str for name in kind[1])):
            raise Refused("the saved read model gives attributes to what is not a record")
    records: dict[UUID, Aggregate] = {}
    at = 0
    for number in array("I", order):
        cls, names = kinds[number]  # (a number out of range: refused as unreadable)
        record = cls.__new__(cls)
        # set one by one, as a record's own attributes are: they share its class's table of names
        record.__dict__.update(zip(names, values[at:at + len(names)], strict=True))
        at += len(names)
        records[record.id] = record
    if at != len(values):
        raise Refused("the saved read model's records are not a table")
    return records


def _load_state(reader: Any, size: int) -> Any:
    """What :func:`_dump` wrote (``size`` bytes): the state, its arrays filled."""
    unpickler = _Unpickler(reader, limit=size)
    state = unpickler.load()
    sizes, contents = _Unpickler(reader).load()
    arrays = unpickler.arrays
    if type(sizes) is not bytes or len(sizes) != 8 * len(arrays) or type(contents) is not dict:
        raise Refused("the saved read model's arrays do not match it")
    codes = frozenset(ARRAY_TYPES)
    if any(type(key) is not tuple or len(key) != 2 or key[0] not in codes or type(key[1]) is not bool
           or type(data) is not bytes or len(data) % array(key[0]).itemsize for key, data in contents.items()):
        raise Refused("the saved read model's arrays do not match it")
    # short arrays: slices of one array of them all per type code; long ones: copied straight from the file's bytes
    shorts = {code: array(code, data) for (code, short), data in contents.items() if short}
    longs = {code: memoryview(data) for (code, short), data in contents.items() if not short}
    taken = dict.fromkeys(contents, 0)
    for made, length in zip(arrays, array("q", sizes), strict=True):
        if len(made) != length:
            raise Refused("the saved read model's arrays do not match it")
        if not length:
            continue
        code = made.typecode
        if length < SHORT:
            whole, start = shorts.get(code), taken.get((code, True), 0)
            if whole is None or start + length > len(whole):
                raise Refused("the saved read model's arrays do not match it")
            made[:] = whole[start:start + length]
            taken[code, True] = start + length
        else:
            view, start = longs.get(code), taken.get((code, False), 0)
            end = start + length * made.itemsize
            if view is None or end > len(view):
                raise Refused("the saved read model's arrays do not match it")
            with memoryview(made) as place, place.cast("B") as raw:
                raw[:] = view[start:end]
            taken[code, False] = end
    return state


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: Any, limit: int = 0) -> None:
        super().__init__(file)
        self.limit = limit  # bytes an array may take at most: the payload's
        self.arrays: list[array[Any]] = []
        self.units = [array(code, [0]) for code in ARRAY_TYPES]  # repeated: an array of exactly its length
        self.time: tuple[int | None, datetime] = None, _EPOCH

    def persistent_load(self, pid: Any) -> Any:
        if type(pid) is not int:
            raise Refused("the saved read model names something unknown")
        value, kind = divmod(pid, _KINDS)
        if kind == _TIME:  # a record's creation and last change: often one time, named twice in a row
            time = self.time
            if value != time[0]:
                time = self.time = value, _EPOCH + value * _MICROSECOND
            return time[1]
        if kind != _ARRAY:
            raise Refused("the saved read model names something unknown")
        value, code = divmod(value, _ARRAY_CODES)
        number, length, arrays = value & _NUMBER_MASK, value >> _NUMBER_BITS, self.arrays
        if number < len(arrays) and arrays[number].typecode == ARRAY_TYPES[code]:
            return arrays[number]  # named again
        if number != len(arrays):
            raise Refused("the saved read model names an array out of its order")
        unit = self.units[code]
        if not 0 <= length * unit.itemsize <= self.limit:
            raise Refused("the saved read model's arrays do not match it")
        made = unit * length
        arrays.append(made)
        return made

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _SAFE:
            return super().find_class(module, name)
        if module.split(".")[0] == "hub":
            found = super().find_class(module, name)
            if isinstance(found, type) and issubclass(found, Aggregate):
                return found
        raise Refused(f"the saved read model names {module}.{name}, which a read model never holds")


def start(app: HubApplication, path: Path | None, log: Any = print,
          on_saved: Callable[[int], None] | None = None) -> PartnerGraph:
    """A read model for ``app``: the saved one if it may be used, else a replay; brought up to date, and saved
    again when it took more than :data:`SAVE_AFTER` events to get there (then ``on_saved`` is told how many)."""
    from projections.follower import Follower

    started = time.perf_counter()
    graph: PartnerGraph | None = None
    if path is not None:
        try:
            graph = load(app, path)
            log(f"read model loaded from {path} at position {graph.position:,} "
                f"in {time.perf_counter() - started:.1f} s")
        except Missing:
            pass
        except Refused as why:
            log(f"read model not loaded: {why}; rebuilding it from the log")
    follower = Follower(app, graph=graph)
    if graph is None:
        follower.graph.epoch = app.vault.erasures()
    applied = follower.catch_up()
    if path is not None and (graph is None or applied >= SAVE_AFTER):
        try:
            size = save(follower.graph, app, path)
        except Refused as why:  # no key to seal it with: served all the same, replayed at the next start
            log(f"read model not saved: {why}")
        except OSError as error:  # a server without a writable place for it still serves
            log(f"read model not saved to {path}: {error.strerror or error}")
        else:
            log(f"read model saved to {path} at position {follower.graph.position:,} ({size / 1e6:.0f} MB)")
            if on_saved is not None:
                on_saved(applied)
    return follower.graph


_handed_down: dict[str, PartnerGraph] = {}


def hand_down(database_url: str, graph: PartnerGraph) -> None:
    """Keep ``graph`` for the worker processes a server forks next (see :func:`inherited`).

    Built once in the server's first process and then frozen out of the garbage collector's reach,
    its memory is shared by every worker (copy-on-write) instead of each worker holding its own.
    """
    for view in ("full", "partnerships"):  # written here, the current answers' chunks and gzip trailers are shared too
        graph.current_answer(view).gzip_parts()
    _handed_down[store_identity(database_url)] = graph
    collector.freeze()


def inherited(database_url: str) -> PartnerGraph | None:
    """The graph handed down to this (forked) process for the store at ``database_url``, once."""
    return _handed_down.pop(store_identity(database_url), None)
