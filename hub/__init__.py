"""Partnership Hub's domain: aggregates, their events and the application service.

This package imports neither ``projections`` nor ``web``: read models and
entrypoints depend on it, never the other way round.
"""

__version__ = "0.1.0"
