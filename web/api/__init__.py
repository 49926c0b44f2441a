"""The JSON API under /api: one blueprint per resource, plus the graph and the log."""
