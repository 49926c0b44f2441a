"""The hub's side of witnessing (``c2sp.org/tlog-witness``): which witnesses, and asking them to cosign.

Witnesses are listed in a file named by ``HUB_WITNESSES``, one per line: the
witness's verifier key (``hub witness key`` prints it) and its URL, e.g.::

    witness.example.org/w1+4f1c2a9e+BA0F… https://witness.example.org/w1

``HUB_WITNESS_QUORUM`` (default: all of them) is how many cosignatures the
newest checkpoint needs for ``hub audit verify`` to pass. After signing a
checkpoint the hub posts it to each witness with a consistency proof from the
size that witness last cosigned; a witness that answers 409 names its size and
gets one more try from there. A witness that is down only delays its
cosignature: the next checkpoint catches up.
"""

from __future__ import annotations

import base64
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from hub.errors import HubError
from hub.verifier.note import COSIGNATURE, NoteError, NoteKey, Signature, parse_signature

TIMEOUT_SECONDS = 5.0


class WitnessConfigError(HubError):
    """The witness list cannot be read."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: str


@dataclass(frozen=True)
class Witness:
    key: NoteKey
    url: str

    @property
    def name(self) -> str:
        return self.key.name

    def _call(self, method: str, path: str, body: bytes | None = None) -> Answer:
        request = urllib.request.Request(self.url.rstrip("/") + path, data=body, method=method,
                                         headers={"Content-Type": "text/plain; charset=utf-8"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                return Answer(response.status, response.read().decode("utf-8", "replace"))
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read().decode("utf-8", "replace"))
        except (urllib.error.URLError, OSError) as error:
            return Answer(0, f"unreachable: {getattr(error, 'reason', error)}")

    def add_checkpoint(self, old_size: int, proof: list[bytes], note: str) -> Answer:
        lines = [f"old {old_size}"] + [base64.b64encode(h).decode("ascii") for h in proof]
        return self._call("POST", "/add-checkpoint", ("\n".join(lines) + "\n\n" + note).encode("utf-8"))

    def latest(self, origin: str) -> Answer:
        """The newest checkpoint this witness cosigned for ``origin`` (this hub's witness serves it)."""
        return self._call("GET", "/checkpoint/" + urllib.parse.quote(origin, safe=""))

    def cosignatures(self, answer: Answer, text: str) -> list[Signature]:
        """The cosignature lines of a 200 answer that verify with this witness's key."""
        found = []
        for line in answer.body.splitlines():
            try:
                signature = parse_signature(line)
            except NoteError:
                continue
            if self.key.verifies(text, signature):
                found.append(signature)
        return found


def load_witnesses(path: str | None = None) -> list[Witness]:
    """The witnesses in the ``HUB_WITNESSES`` file (none when it is not set)."""
    path = path or os.environ.get("HUB_WITNESSES")
    if not path:
        return []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise WitnessConfigError(f"cannot read the witness list {path}: {error.strerror}") from None
    witnesses = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 2:
            raise WitnessConfigError(f"{path} line {number}: write the witness's key and its URL")
        try:
            key = NoteKey.parse(parts[0])
        except NoteError as error:
            raise WitnessConfigError(f"{path} line {number}: {error}") from None
        if key.kind != COSIGNATURE:
            raise WitnessConfigError(f"{path} line {number}: not a witness (cosignature) key")
        witnesses.append(Witness(key, parts[1]))
    return witnesses


def quorum(witnesses: list[Witness]) -> int:
    """How many witness cosignatures the newest checkpoint needs (``HUB_WITNESS_QUORUM``, default all)."""
    text = os.environ.get("HUB_WITNESS_QUORUM")
    if not text:
        return len(witnesses)
    if not text.isdigit() or int(text) > len(witnesses):
        raise WitnessConfigError(f"HUB_WITNESS_QUORUM={text!r}: give a number from 0 to {len(witnesses)}")
    return int(text)
