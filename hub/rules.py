"""Rules that more than one aggregate follows, written once so they read the same everywhere."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from hub.errors import InvalidCommand


def require_changes(changes: Mapping[str, Any], allowed: Collection[str], what: str) -> None:
    """A partial change names at least one field, and only fields that ``what`` allows changing.

    >>> require_changes({"topic": "x"}, ("topic",), "corrected")
    >>> require_changes({}, ("topic",), "corrected")
    Traceback (most recent call last):
    hub.errors.InvalidCommand: changes: name at least one field to change
    """
    unknown = set(changes) - set(allowed)
    if unknown:
        raise InvalidCommand(f"cannot be {what}: {', '.join(sorted(unknown))}", "changes")
    if not changes:
        raise InvalidCommand("name at least one field to change", "changes")
