"""Texts held deflated in pieces that join into one gzip stream without compressing again.

Why: the current answers' texts (:mod:`projections.current`) were the largest part of a read model:
144.9 MB of JSON at 99,527 events, in every server's memory. Each chunk of them is now kept as a
*piece*: raw deflate data from a fresh compressor, ended by a sync flush (so it ends on a byte
boundary and refers to nothing before it), with the CRC-32 and length of its text. Pieces written
one after another are a valid deflate stream; a gzip header before them and a final empty block, the
combined CRC-32 and the length after them make a single gzip member — what ``pigz`` does to
compress in parallel. A client that accepts gzip (every browser does) gets the pieces themselves;
any other client gets the text, each piece inflated once (:func:`web.answers.deflated_answer`).

Measured on those 144.9 MB (1,560 chunks) with ISA-L (``isal``, already the hub's gzip): level 1
took them to 30.9 MB in 0.20 s (zlib's level 1: 34.1 MB in 1.06 s; level 6: 29.0 MB in 2.31 s);
inflating all of them took 0.11 s (zlib 0.24 s). A chunk of ~150 KB is deflated in ~0.2 ms and
inflated in ~0.1 ms, which a change that rewrites it pays; the first gzip reader after a change no
longer compresses the whole answer (71 ms for the whole graph at that size).

A second gzip member would have been simpler, but chromium and curl stop after the first one (and
urllib3 after the first zstd frame): the pieces must be one member.

>>> answer = Deflated([pack(b'{"a":['), pack(b"1,2"), pack(b"]}")])
>>> answer.text()
b'{"a":[1,2]}'
>>> import gzip
>>> gzip.decompress(b"".join(answer.gzip_parts()))
b'{"a":[1,2]}'
"""

from __future__ import annotations

import struct
import zlib
from functools import cached_property
from typing import NamedTuple

from isal import isal_zlib

LEVEL = 1  # ISA-L's level 1: see the module's docstring
_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # gzip, deflate, no name, time 0, unknown system
_END = isal_zlib.compressobj(LEVEL, zlib.DEFLATED, -15).flush()  # an empty final block


class Piece(NamedTuple):
    data: bytes  # raw deflate, byte-aligned, no final block (b"" for no text)
    crc: int  # CRC-32 of the text
    size: int  # the text's length in bytes


EMPTY = Piece(b"", 0, 0)


def pack(text: bytes) -> Piece:
    """``text`` as a piece (see the module's docstring).

    >>> inflate(pack(b"x" * 1000).data) == b"x" * 1000
    True
    """
    if not text:
        return EMPTY
    packer = isal_zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return Piece(packer.compress(text) + packer.flush(isal_zlib.Z_SYNC_FLUSH), isal_zlib.crc32(text), len(text))


def inflate(data: bytes) -> bytes:
    """The text of a piece's data."""
    return isal_zlib.decompressobj(-15).decompress(data) if data else b""


class Deflated:
    """An answer as pieces: its text (:meth:`text`) or one gzip member of it (:meth:`gzip_parts`).

    Holds only the pieces' bytes, which never change: it may be sent outside the lock it was made under.
    """

    def __init__(self, pieces: list[Piece]) -> None:
        self.pieces = [piece for piece in pieces if piece.size]
        self.size = sum(piece.size for piece in self.pieces)

    def text(self) -> bytes:
        """The text, each piece inflated."""
        return b"".join([inflate(piece.data) for piece in self.pieces])

    def gzip_parts(self) -> list[bytes]:
        """One gzip member of the text, as parts to write one after another: a header, the pieces themselves, an
        empty final block and the text's CRC and length. Nothing is compressed or joined (a joined copy, kept per
        version, took 30.9 MB beside the pieces at 99,527 events)."""
        return [_HEADER, *(piece.data for piece in self.pieces), self._trailer]

    @cached_property
    def _trailer(self) -> bytes:
        """The empty final block, then the pieces' CRCs combined and the length (two threads asking at once may both
        make it; either result is the same)."""
        crc = 0
        for piece in self.pieces:
            crc = isal_zlib.crc32_combine(crc, piece.crc, piece.size)
        return _END + struct.pack("<II", crc, self.size & 0xFFFFFFFF)
