"""The collector paused beside a read model still frees the garbage cycles of finished work."""

from __future__ import annotations

import gc
import threading
import time
import weakref
from pathlib import Path

import pytest

from projections import collector


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_overlapping_pauses_still_free_the_cycles_of_finished_work(monkeypatch):
    monkeypatch.setattr(collector, "YOUNG_EVERY", 0.05)
    holding, release = threading.Event(), threading.Event()

    def long_answer() -> None:
        with collector.paused():
            holding.set()
            release.wait(10)

    other = threading.Thread(target=long_answer)
    other.start()
    holding.wait(10)
    try:
        with collector.paused():
            garbage = Cycle()
            alive = weakref.ref(garbage)
            del garbage
        assert alive() is not None and not gc.isenabled()  # paused elsewhere: nothing collected yet
        time.sleep(0.1)
        with collector.paused():  # a later request ends while the long one goes on
            pass
        assert alive() is None, "a cycle of finished work waited for every pause to end"
        assert not gc.isenabled()
    finally:
        release.set()
        other.join()
    assert gc.isenabled()


def test_a_lone_pause_leaves_the_collector_as_it_was():
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


FORKED_WRITES = r"""
import gc, os, sys
from pathlib import Path
from projections import collector

def private_mb() -> float:
    rollup = Path("/proc/self/smaps_rollup").read_text().splitlines()
    return sum(int(line.split()[1]) for line in rollup if line.startswith(("Private_Dirty", "Private_Clean"))) / 1024

def child_copies() -> float:
    # a forked worker allocating its own objects: what it copies of its parent's pages
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        before = private_mb()
        mine = [(i, str(i)) for i in range(200_000)]
        os.write(w, f"{private_mb() - before:.1f}".encode())
        os._exit(0)
    os.waitpid(pid, 0)
    return float(os.read(r, 100))

model = [(i, str(i), b"x" * (i % 60)) for i in range(600_000)]  # a model loaded, its temporaries freed between
del model[::8]
gc.freeze()
holed = child_copies()
filled = collector.fill_holes()
print(holed, child_copies(), filled)
"""


def test_filling_the_allocators_holes_keeps_a_forked_workers_objects_off_its_parents_pages():
    """hub serve loads the read model and forks its workers: a worker's own objects went into the free blocks the
    load left between the model's objects, copying each page they touched (collector.fill_holes)."""
    import subprocess
    import sys

    if not Path("/proc/self/smaps_rollup").exists():
        pytest.skip("needs Linux's /proc/<pid>/smaps_rollup")
    out = subprocess.run([sys.executable, "-c", FORKED_WRITES], capture_output=True, text=True, check=True).stdout
    holed, filled_mb, filled = out.split()
    assert int(filled) > 100_000  # the holes were found and filled
    assert float(filled_mb) < float(holed) / 2, out  # the worker copies far fewer of its parent's pages


_KEPT_AFTER_LARGE_WORK = """
import sys
from projections import collector
if sys.argv[1] == "fixed":
    assert collector.return_large_blocks()
def resident_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 1e6
big = bytearray(8 << 20); del big  # glibc raises its threshold past blocks of this size once one is freed
before = resident_mb()
blocks, kept = [], []
for _ in range(200):  # an answer's working memory, 200 blocks of 1 MB, and what is kept, made in between
    blocks.append(bytearray(1 << 20))
    kept.append(bytearray(2000))
del blocks
print(resident_mb() - before)
"""


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads a process's memory from /proc")
def test_large_blocks_a_computation_freed_go_back_to_the_system():
    import subprocess
    import sys

    kept = {mode: float(subprocess.run([sys.executable, "-c", _KEPT_AFTER_LARGE_WORK, mode], check=True,
                                       capture_output=True, text=True).stdout) for mode in ("adaptive", "fixed")}
    assert kept["adaptive"] > 150  # glibc's own way: the heap keeps what the work used
    assert kept["fixed"] < 20
