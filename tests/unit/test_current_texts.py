"""The current answers' texts held joined in chunks (projections.current.Texts) behave as a dict of texts would."""

from __future__ import annotations

import pickle

from hypothesis import given, settings
from hypothesis import strategies as st

from projections import current
from projections.current import Texts

steps = st.lists(st.one_of(
    st.tuples(st.just("set"), st.integers(0, 12), st.binary(min_size=1, max_size=6).map(lambda b: b.replace(b",", b";"))),
    st.tuples(st.just("pop"), st.integers(0, 12), st.just(b"")),
    st.tuples(st.just("write"), st.just(0), st.just(b"")),
    st.tuples(st.just("pickle"), st.just(0), st.just(b"")),
), max_size=120)


@settings(max_examples=500, deadline=None)
@given(steps, st.integers(1, 12), st.integers(0, 9))
def test_texts_answer_as_a_dict_written_at_each_ask_would(sequence, chunk, spliced):
    current.SPLICED, kept = spliced, current.SPLICED  # both ways of rewriting a chunk: spliced and rebuilt
    try:
        texts = Texts(chunk=chunk)
        written: dict[int, bytes] = {}  # the model: a dict, to which what was noted is applied at each ask
        noted: dict[int, bytes | None] = {}
        for op, key, text in sequence:
            if op == "set":
                texts[key] = text
                noted[key] = text
            elif op == "pop":
                texts.pop(key)
                noted[key] = None
            else:
                for k, t in noted.items():  # a key set again keeps its place; a new one comes last
                    if t is None:
                        written.pop(k, None)
                    else:
                        written[k] = t
                noted.clear()
                if op == "pickle":
                    texts = pickle.loads(pickle.dumps(texts))
                assert b"".join(texts.parts()) == b",".join(written.values())
                assert len(texts) == len(written)
            for k in range(13):
                assert (k in texts) == (noted[k] is not None if k in noted else k in written)
    finally:
        current.SPLICED = kept
