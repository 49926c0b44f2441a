"""Read models that follow the hub's event log (graph, analytics, timelines, time travel).

Imports ``hub``, never ``web``.
"""
