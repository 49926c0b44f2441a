"""Large JSON answers sent once per version: ETags and gzip.

The graph's answers run to megabytes (14 MB for the whole network of 1,000 partnerships,
16 MB for its partnership view) and change only when the network does. So each carries an ETag made
of the graph's version (the last log position that changed the network, or the settled moment an
``as_of`` answer is about, and the erasures — equal in every worker that followed the same log)
and the question: a browser revalidating what it has gets ``304 Not Modified`` and no body.
A client that accepts zstd (browsers do: Chromium 123 on) or gzip gets the body compressed once per
version, question and encoding (its ETag), so the cost is paid by the first reader after a change, not by each.
zstd first: on a 9.2 MB answer like the partnership view's, level 1 took 12 ms for 1.8 MB where
gzip's level 1 took 54 ms for 2.4 MB (``zstandard``, the maintained binding of the reference
library) — and an answer about a moment asked for the first time (the record-time slider) waits
for it. gzip level 6 saves a fifth more than level 1 and takes three times as long. gzip is made with ISA-L
(``isal``, the maintained Python binding of Intel's library), not zlib: its level 1 is
4-5× as fast and smaller (the whole graph at 99,527 events, 61 MB: 71 ms for 11.9 MB against 305 ms for 13.0 MB;
at 1,000 partnerships, 8.6 MB: 10 ms against 42 ms) — the first reader after a write waits for it.
The current answers (the network as known now, unfiltered) are kept deflated in pieces that join into one gzip
member (:mod:`projections.deflated`): a client that accepts gzip gets those, and nothing is compressed for them.
``flask-compress`` would compress on every request; its cache needs a cache backend and the same
key this module makes anyway.
"""

from __future__ import annotations

import hashlib
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import zstandard
from flask import Response, current_app, request
from isal import isal_zlib

from projections.deflated import Deflated, Piece, inflate
from web.context import read_models

SMALLEST_TO_COMPRESS = 8192  # bytes; below this a compressed frame's header and the CPU outweigh the gain
PACKED_KEPT = 8  # compressed answers an app keeps (the most recently asked questions)

_packed_lock = threading.Lock()
ENCODINGS = {"zstd": ".zst", "gzip": ".gz"}  # in the order preferred, with each one's mark on the ETag


Body = bytes | list[bytes]
"""An answer's JSON text, or its parts to be written one after another."""


def _pack(parts: list[bytes], size: int, encoding: str) -> bytes:
    if encoding == "zstd":
        # with the size in the frame's header, as a one-shot compress writes it (some decoders require it)
        packer: Any = zstandard.ZstdCompressor(level=1).compressobj(size=size)
    else:
        packer = isal_zlib.compressobj(1, zlib.DEFLATED, 31)  # a gzip member, its time 0: the same bytes each time
    # b"".join copies out of the list python-zstandard keeps at the size of the worst case (as large as the body):
    # each answer kept compressed held as much memory as the body itself
    return b"".join([*(packer.compress(part) for part in parts), packer.flush()])


def _packed() -> OrderedDict[str, bytes]:
    """The app's answers kept compressed, by ETag (which names the body and its encoding, within one app)."""
    kept: OrderedDict[str, bytes] = current_app.extensions.setdefault("hub_packed_answers", OrderedDict())
    return kept


def _kept_packed(etag: str) -> bytes | None:
    with _packed_lock:
        kept = _packed()
        packed = kept.get(etag)
        if packed is not None:
            kept.move_to_end(etag)
        return packed


def _keep_packed(etag: str, packed: bytes) -> None:
    """Keeps only the compressed text, never the body it was made from: kept beside it (to tell that the body
    was the same), the bodies outlived the bound on answers kept (``HUB_ANSWERS_KEPT_MB``) — twelve moments'
    answers at 1,000 partnerships asked as browsers ask (zstd) left 74 MB alive under a bound of 5 MB."""
    with _packed_lock:
        kept = _packed()
        kept[etag] = packed
        kept.move_to_end(etag)
        while len(kept) > PACKED_KEPT:
            kept.popitem(last=False)


def _encoding() -> str | None:
    """The encoding the request accepts that this module prefers (None: the body as it is)."""
    return next((name for name in ENCODINGS if request.accept_encodings.quality(name) > 0), None)


def json_answer(key: tuple[Any, ...], produce: Callable[[], Body], as_of: Any = None,
                encoded: str | None = None) -> Response:
    """The answer ``produce()`` gives for ``key`` (as of ``as_of``, if it says), with an ETag, 304 and zstd or
    gzip as the request allows. An answer about a settled past moment keeps its tag while others write.
    ``encoded``: ``produce()`` gives the body in that encoding already (the request accepts it)."""
    # read before the body: a body may be newer than its tag, never older
    version = read_models().answer_version(as_of)
    question = hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:16]
    encoding = encoded or _encoding()
    etag = f"{version}.{question}{ENCODINGS[encoding] if encoding else ''}"
    headers = {"Vary": "Accept-Encoding", "Cache-Control": "private, no-cache"}
    if request.if_none_match.contains(etag):
        response = Response(status=304, headers=headers)
        response.set_etag(etag)
        return response
    packed: Body | None
    if encoded:
        packed = produce()  # as it is made: the current answers' gzip parts are written one after another
    else:
        packed = _kept_packed(etag) if encoding else None
    if packed is None:
        body = produce()
        parts = [body] if isinstance(body, bytes) else body
        size = sum(map(len, parts))
        if encoding and size >= SMALLEST_TO_COMPRESS:
            packed = _pack(parts, size, encoding)
            _keep_packed(etag, packed)
    if packed is None:
        response = Response(parts, mimetype="application/json", headers=headers)
    else:
        response = Response(packed, mimetype="application/json", headers=headers)
        response.headers["Content-Encoding"] = str(encoding)
    response.set_etag(etag)
    return response


def deflated_answer(key: tuple[Any, ...], answer: Callable[[], Deflated]) -> Response:
    """:func:`json_answer` for an answer kept deflated in pieces (:mod:`projections.deflated`: the current answers).

    A client that accepts gzip gets the pieces as one gzip member, written one after another: nothing is compressed
    or joined; their CRCs are combined once per version (by the answer itself, which stays the same object while
    nothing changes; a server makes it before it forks its workers, which then share it). Any other client gets
    the text, each piece inflated once (or zstd made from it): after a change only the pieces it rewrote are
    inflated again.
    """
    if request.accept_encodings.quality("gzip") > 0:
        return json_answer(key, lambda: answer().gzip_parts(), encoded="gzip")
    return json_answer(key, lambda: _inflated(key, answer()))


_inflated_lock = threading.Lock()


def _inflated(key: tuple[Any, ...], answer: Deflated) -> list[bytes]:
    """The answer's text, piece by piece, reusing the pieces inflated for the last answer to the same question.

    Inflating the whole text at every change cost a plain client's first read after it 96 ms (the whole graph) and
    209 ms (the partnership view) at 99,527 events. The texts are kept per process only once such a client asks
    (as much as the answers themselves: 61 and 83 MB at that size)."""
    with _inflated_lock:
        kept: dict[tuple[Any, ...], dict[Piece, bytes]] = current_app.extensions.setdefault("hub_inflated", {})
        before = kept.get(key, {})
    texts = {piece: before.get(piece) or inflate(piece.data) for piece in answer.pieces}
    with _inflated_lock:
        kept[key] = texts
    return [texts[piece] for piece in answer.pieces]
