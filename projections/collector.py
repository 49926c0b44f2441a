"""When Python's cyclic garbage collector runs in a process that holds a read model.

Why: a read model is millions of long-lived containers (records, edge versions, JSON texts), and
the collector walks every container it tracks each time one of its passes reaches them.

- A long replay runs with the collector paused, and what it built is then frozen out of its reach
  (:func:`gc.freeze`): at 99,527 events the collector was 2.2 s of a 7.2 s replay.
- A large answer is computed with the collector paused too. Frozen, the model no longer counts as
  long-lived, so Python 3.11 makes every tenth middle-generation pass a full one, and an answer
  that builds a million containers (the partnership view as of a moment at 99,527 events: 274,817
  links) was walked over and over while it grew: 2.7–3.4 s, and 1.0–1.4 s with the collector off.
  The pause ends with the computation, and nothing is frozen: an answer that was garbage-in-cycles
  (a networkx graph refers to itself through its views) is collected as before. Making full
  passes rarer instead (``gc.set_threshold(700, 10, 1000)``) was as fast, but let such graphs of
  hundreds of megabytes wait for a full pass.

Pauses are counted across threads: the collector runs again when the last one ends. Under
load, one thread's pause may begin before another's ends, so the collector could stay off for
good and the garbage cycles of finished requests pile up: a pause that ends while others go on
collects the young generations — where such garbage is, as nothing was collected during the
pause — when the collector has been off for :data:`YOUNG_EVERY` seconds.
"""

from __future__ import annotations

import ctypes
import gc
import os
import re
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import repeat, starmap

YOUNG_EVERY = 1.0  # seconds the collector may stay off while pauses overlap

_paused = 0
_freeze_when_done = False
_off_since = 0.0
_lock = threading.Lock()


@contextmanager
def paused(freeze: bool = False) -> Iterator[None]:
    """Run the block without the cyclic collector (process-wide); with ``freeze``, what is alive when the
    last pause ends is moved out of the collector's reach (for a replay's model, never an answer's garbage).

    >>> with paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    global _paused, _freeze_when_done, _off_since
    with _lock:
        if not _paused:
            _off_since = time.monotonic()
        _paused += 1
        _freeze_when_done = _freeze_when_done or freeze
        gc.disable()
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if not _paused:
                if _freeze_when_done:
                    gc.freeze()
                    _freeze_when_done = False
                gc.enable()
            elif not _freeze_when_done and time.monotonic() - _off_since > YOUNG_EVERY:
                gc.collect(1)
                _off_since = time.monotonic()


def freeze() -> None:
    """Move every object alive now out of the collector's reach (a read model about to be shared by forked
    workers: the collector then never touches, and so never copies, its pages), after filling the allocator's
    holes (:func:`fill_holes`)."""
    fill_holes()
    gc.freeze()


MMAP_THRESHOLD = 128 * 1024
"""Blocks this large or larger get mappings of their own from the C allocator (:func:`return_large_blocks`)."""
_M_MMAP_THRESHOLD = -3  # glibc's malloc.h


def return_large_blocks() -> bool:
    """Have the C allocator give each block of :data:`MMAP_THRESHOLD` or more a mapping of its own, which goes back
    to the system when the block is freed; True where it could be told (glibc's ``mallopt``).

    Why: glibc starts so, but raises its threshold each time such a block is freed (up to 32 MB), and then takes
    large blocks — numpy's arrays of a measure, the texts of an answer — from its heap, which seldom shrinks: a
    worker kept what its largest computations had used. Setting the threshold fixes it. At 99,527 events, three
    rounds of nine reads (both current answers, two lists, metrics, the map, trends, a past moment, indicators)
    left ``hub serve --workers 2`` at 1,169-1,182 MB in all, and leave it at 893-900 MB (the metrics' step
    +210-232 → +111-113 MB, the map's +85-142 → +19-21 MB). Limiting glibc's arenas as well changed nothing.
    """
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc: its allocator keeps its own counsel
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD))


_ballast: list[object] = []
_STATS_ROW = re.compile(r"\s+\d+\s+(\d+)\s+\d+\s+\d+\s+(\d+)\s*$")  # class, size, pools, blocks in use, avail


def fill_holes() -> int:
    """Fill the free blocks of Python's small-object allocator with objects kept for good; return how many.

    Why: free blocks in pools that hold the model are where a worker forked from the process that made it
    allocates its own objects first, and each page it writes so becomes its own copy — the Python documentation's
    advice for :func:`gc.freeze` is to avoid such holes in the parent. Loading a read model used to free its
    temporaries (the bytes an array is rebuilt from, argument tuples, state dicts) between the objects it keeps:
    at 99,527 events 35.7 MB of free blocks. Filled, a worker's objects went to fresh pools: ``hub serve --workers
    2`` at that size took 654 MB (PSS, all processes, both workers having answered both current answers) and then
    616-623 MB; each worker's private memory on starting 67-72 MB, then 50-54 MB. A load now leaves almost no
    such blocks (:func:`projections.checkpoint._dump`: 0.16 MB), a replay still does (its garbage between the
    records it keeps).

    The free blocks are counted by :func:`sys._debugmallocstats` (CPython's allocator statistics, written to the
    C ``stderr``); where they cannot be read, nothing is filled.
    """
    try:
        text = _allocator_statistics()
    except (AttributeError, OSError, ValueError):
        return 0
    filled = 0
    for line in text.splitlines():
        row = _STATS_ROW.match(line)
        if row is None:
            continue
        size, free = int(row[1]), int(row[2])
        if size >= 48:  # a bytes object of n bytes takes 33 + n
            _ballast.extend(map(bytes, repeat(size - 33, free)))
        elif size == 32:  # a float takes 24
            _ballast.extend(map(float, range(free)))
        else:  # an object() takes 16
            _ballast.extend(starmap(object, repeat((), free)))
        filled += free
    return filled


def _allocator_statistics() -> str:
    saved = os.dup(2)
    with tempfile.TemporaryFile() as out:
        os.dup2(out.fileno(), 2)
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        out.seek(0)
        return out.read().decode("ascii", "replace")
