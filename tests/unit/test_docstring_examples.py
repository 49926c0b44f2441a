"""The examples in the docstrings of the domain and the read models are true (networkx's style: functions that show an example)."""

from __future__ import annotations

import doctest

import pytest

import hub.authorisation
import hub.dates
import hub.evolution
import hub.regions
import hub.rules
import hub.storage
import hub.tables
import hub.verifier.checkpoint
import hub.verifier.note
import hub.vocabulary
import projections.analytics
import projections.catalogue
import projections.collector
import projections.columns
import projections.current
import projections.exports
import projections.graph
import projections.layout
import projections.overview
import projections.regional
import projections.shared_names
import projections.tables
import projections.trends


@pytest.mark.parametrize("module", [hub.authorisation, hub.dates, hub.evolution, hub.regions, hub.rules,
                                    hub.storage, hub.tables, hub.verifier.checkpoint, hub.verifier.note, hub.vocabulary, projections.analytics, projections.catalogue,
                                    projections.collector, projections.columns,
                                    projections.current, projections.exports, projections.graph, projections.layout,
                                    projections.overview, projections.regional, projections.shared_names, projections.tables, projections.trends], ids=lambda m: m.__name__)
def test_docstring_examples_hold(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
