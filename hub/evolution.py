"""How stored events keep replaying after their shape changes (stored events are forever).

The aggregates name their events with ``@event("Name")``, so the library makes the event
classes from the method signatures. When an event gains a field, its class is declared
at a new ``class_version`` with an upcaster that lifts older stored state to it — the
library's own mechanism (the mapper calls ``upcast_vN_vN+1`` in turn when it decodes an
event stored at version N). :func:`evolve` says so next to the aggregate, in one line per
change, and ``tests/integration/test_old_logs.py`` imports logs exported before each change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Upcaster = Callable[[dict[str, Any]], None]


def evolve(aggregate: type, event_name: str, *upcasters: Upcaster) -> None:
    """Set ``aggregate.<event_name>`` at version ``len(upcasters) + 1``, lifting v1→v2 with the first…

    >>> from eventsourcing.domain import Aggregate, event
    >>> class Dog(Aggregate):
    ...     @event("Named")
    ...     def name(self, name: str) -> None: ...
    >>> evolve(Dog, "Named", lambda state: state.setdefault("nickname", None))
    >>> Dog.Named.class_version
    2
    """
    event_class = getattr(aggregate, event_name)
    event_class.class_version = len(upcasters) + 1
    for version, upcaster in enumerate(upcasters, start=1):
        setattr(event_class, f"upcast_v{version}_v{version + 1}", staticmethod(upcaster))
