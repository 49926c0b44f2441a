"""The read side keeps hundreds of thousands of JSON texts: each must take the memory of its own size."""

from __future__ import annotations

import json
import tracemalloc
from datetime import date
from uuid import UUID

from hub.dates import KnownDate
from hub.log import json_bytes, plain


def _kept(make):
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = make()
        return kept, tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def test_a_kept_text_takes_about_its_own_size_short_or_long():
    # orjson 3.13 hands back its buffer: 4 KB for each short text, about 3× a long one — 1.6 GB at 99,527 events.
    short, used = _kept(lambda: [json_bytes({"id": str(i), "name": "Rzeszów"}) for i in range(2000)])
    assert used < 2 * sum(len(t) + 64 for t in short)
    long, used = _kept(lambda: json_bytes([{"id": i, "label": "Podkarpackie Centrum Mediacji"} for i in range(50_000)]))
    assert used < 1.2 * len(long)


def test_json_bytes_writes_what_the_standard_library_would_with_dates_as_known():
    value = {"signed_on": KnownDate.parse("2008"), "held_on": date(2021, 3, 10), "by": UUID(int=7),
             "name": "Kuratorium Oświaty", "areas": ("A1", "A2"), 5: None}
    assert json_bytes(value) == json.dumps(plain(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert json.loads(json_bytes(value))["signed_on"] == "2008"
