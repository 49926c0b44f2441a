"""The read side's small vocabularies, in a module that imports nothing.

The ``hub`` command builds its whole parser on every run; its choices come from here, so that
``hub log`` or ``hub --help`` does not load networkx, rustworkx and the graph (0.4 s of every
command's 1.0 s start on this kind of machine).
"""

from __future__ import annotations

FORMATS = ("json", "graphml", "gexf")  # what ``hub graph export`` and the API write

COOPERATION_KINDS = ("co_organised", "attended", "exchange_confirmed")
"""Links that count as cooperation between partnerships: a joint meeting or a confirmed exchange."""

ALSO_COUNTABLE = ("shared_member", "exchange_unconfirmed", "same_project")
"""Links that a reader may choose to count as cooperation too (structure, not cooperation, by default)."""
