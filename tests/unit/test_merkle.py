"""RFC 6962 Merkle tree: hashes against a naive definition, and proofs that hold and fail as they should."""

from __future__ import annotations

import doctest
import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

import hub.verifier.merkle
from hub.verifier.merkle import EMPTY_ROOT, MerkleTree, leaf_hash, node_hash, verify_consistency, verify_inclusion


def naive_root(leaves: list[bytes]) -> bytes:
    """MTH straight from RFC 6962 §2.1, recursively."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return node_hash(naive_root(leaves[:k]), naive_root(leaves[k:]))


def tree_of(n: int) -> tuple[MerkleTree, list[bytes]]:
    t, leaves = MerkleTree(), [leaf_hash(str(i).encode()) for i in range(n)]
    for leaf in leaves:
        t.append(leaf)
    return t, leaves


def test_the_rfc_6962_test_vector_root():
    # The 8 leaves of the certificate-transparency reference tests.
    data = [bytes.fromhex(h) for h in ["", "00", "10", "2021", "3031", "40414243",
                                        "5051525354555657", "606162636465666768696a6b6c6d6e6f"]]
    t = MerkleTree()
    for d in data:
        t.append(leaf_hash(d))
    assert t.root().hex() == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
    assert t.root(0) == EMPTY_ROOT


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=70), st.data())
def test_roots_and_proofs_for_every_size(n, data):
    t, leaves = tree_of(n)
    m = data.draw(st.integers(min_value=1, max_value=n))
    assert t.root(m) == naive_root(leaves[:m])
    i = data.draw(st.integers(min_value=0, max_value=m - 1))
    proof = t.inclusion_proof(i, m)
    assert verify_inclusion(leaves[i], i, m, proof, t.root(m))
    assert not verify_inclusion(leaf_hash(b"forged"), i, m, proof, t.root(m))
    if m > 1:
        assert not verify_inclusion(leaves[i], (i + 1) % m, m, proof, t.root(m))
    c = t.consistency_proof(m, n)
    assert verify_consistency(m, n, t.root(m), t.root(n), c)
    if m < n:
        assert not verify_consistency(m, n, leaf_hash(b"other history"), t.root(n), c)
        assert not verify_consistency(m, n, t.root(m), leaf_hash(b"other head"), c)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), max_size=6))
def test_leaves_added_in_batches_make_the_tree_one_by_one_makes(batches):
    """A ledger catching up adds the leaves of each page of rows at once (``extend``): the same levels, so the same
    roots and proofs, as appending each."""
    one, many, leaves = MerkleTree(), MerkleTree(), []
    for size in batches:
        batch = [leaf_hash(f"{len(leaves) + i}".encode()) for i in range(size)]
        leaves += batch
        many.extend(batch)
        for leaf in batch:
            one.append(leaf)
        assert many.levels == one.levels and many.size == len(leaves)
    if leaves:
        assert many.root() == naive_root(leaves)


def test_docstring_examples():
    assert doctest.testmod(hub.verifier.merkle).failed == 0


def test_a_tree_keeps_its_hashes_packed_about_64_bytes_a_leaf():
    """Every process of a server keeps the log's tree (99,527 leaves: 18.8 MB as a bytes object per hash, 7.4 MB
    packed); appended one by one or many at once (each leaf hash read anew, as from the log's rows), the same
    tree in the same memory."""
    import tracemalloc

    n = 20_000

    def fresh() -> list[bytes]:
        return [leaf_hash(str(i).encode()) for i in range(n)]

    for build in (lambda t: t.extend(fresh()), lambda t: [t.append(leaf) for leaf in fresh()]):
        tracemalloc.start()
        tree = MerkleTree()
        build(tree)
        kept, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert tree.root() == naive_root(fresh())
        assert kept / n < 80  # a bytes object per hash and a list's place: ~150
