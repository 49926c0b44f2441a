"""The partnership view's pairs by number (:class:`projections.current.Pairs`) against a dict of them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from projections.current import Pairs

ids = st.sampled_from([f"p{i:02d}" for i in range(40)])
pair = st.tuples(ids, ids).filter(lambda ab: ab[0] != ab[1]).map(lambda ab: tuple(sorted(ab)))


@given(st.lists(st.lists(pair, max_size=12), max_size=30), st.integers(min_value=1, max_value=8))
def test_a_pair_keeps_its_number_and_distinct_pairs_get_distinct_ones(batches, sort_after):
    pairs = Pairs()
    pairs.SORT_AFTER = sort_after  # sorted in after a few: found by bisection as often as among the fresh ones
    model: dict[tuple[str, str], int] = {}
    for batch in batches:
        numbers = pairs.numbers(batch)
        for linked, number in zip(batch, numbers, strict=True):
            assert model.setdefault(linked, number) == number
            assert pairs.pair(number) == linked
        pairs.settle()
    assert sorted(model.values()) == list(range(len(model)))  # numbered densely, first linked first
    assert len(pairs.codes) + len(pairs.fresh) == len(model)
    assert list(pairs.codes) == sorted(pairs.codes)


def test_a_pair_keeps_its_sources_one_or_several():
    pairs = Pairs()
    (number,) = pairs.numbers([("p", "q")])
    org, meeting = ("org", "o"), ("meeting", "m")
    pairs.keep_sources(number, (org,))
    assert pairs.sources(number) == (org,) and pairs.linked_by[number] is org  # one alone is kept as itself
    pairs.keep_sources(number, (org, meeting))
    assert pairs.sources(number) == (org, meeting)
    pairs.keep_sources(number, (meeting,))
    assert pairs.sources(number) == (meeting,)
    pairs.keep_sources(number, (41,))  # an exchange's edge version, by its row: kept in an array
    assert pairs.sources(number) == (41,) and pairs.linked_by[number] is None
    pairs.keep_sources(number, (41, org))
    assert pairs.sources(number) == (41, org)
    pairs.keep_sources(number, ())
    assert pairs.sources(number) == () and pairs.linked_by[number] is None
