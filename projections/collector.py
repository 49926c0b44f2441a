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

import gc
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

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
    workers: the collector then never touches, and so never copies, its pages)."""
    gc.freeze()
