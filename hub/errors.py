"""Errors a command can end with; each names the field(s) it is about.

The web layer maps them onto HTTP statuses and the command line onto one
readable line, so every refusal is explained the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class Phrase(str):
    """A message made of a template and values, so a reader's language can word it again.

    It is the English text wherever a string is expected; the web UI translates ``template`` and fills in
    ``params`` (themselves translated where the catalogue knows them).

    >>> p = Phrase("unknown region %(code)s", code="'99'")
    >>> p, p.template, p.params
    ("unknown region '99'", 'unknown region %(code)s', {'code': "'99'"})
    """

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Phrase:
        phrase = super().__new__(cls, template % params)
        phrase.template, phrase.params = template, params
        return phrase


class HubError(Exception):
    """Base of every error the hub reports to a user."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def errors(self) -> dict[str, list[str]]:
        """Field-level messages (``_schema`` when the error is about the whole record)."""
        return {self.field or "_schema": [self.message]}

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class InvalidCommand(HubError):
    """The input breaks a schema or a business rule (HTTP 422)."""

    def __init__(self, errors: Mapping[str, Any] | list[Any] | str, field: str | None = None):
        if isinstance(errors, str):
            errors = {field or "_schema": [errors]}
        self._errors = _flatten(errors)
        first_field, messages = next(iter(self._errors.items()))
        super().__init__(messages[0], None if first_field == "_schema" else first_field)

    @property
    def errors(self) -> dict[str, list[str]]:
        return self._errors

    def __str__(self) -> str:
        return "; ".join(
            f"{name}: {' '.join(msgs)}" if name != "_schema" else " ".join(msgs)
            for name, msgs in self._errors.items()
        )


class StateConflict(HubError):
    """The record's current state forbids the change, e.g. it is terminated (HTTP 409)."""


class ConcurrencyConflict(HubError):
    """Someone else changed the record first; reload and try again (HTTP 409)."""


class NotFound(HubError):
    """No record has the given id (HTTP 404)."""


def _flatten(errors: object, prefix: str = "") -> dict[str, list[str]]:
    """Turn marshmallow's nested error dicts into ``{"members.0.role": [...]}``."""
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, (dict, list)) and not _is_messages(value):
                flat.update(_flatten(value, name))
            else:
                flat[name] = [_text(m) for m in value] if isinstance(value, list) else [_text(value)]
    elif isinstance(errors, list):
        flat[prefix or "_schema"] = [_text(m) for m in errors]
    else:
        flat[prefix or "_schema"] = [_text(errors)]
    return flat


def _text(message: object) -> str:
    """A message as text; a :class:`Phrase` stays one (``str()`` would drop what translates it)."""
    return message if isinstance(message, str) else str(message)


def _is_messages(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


class Unauthenticated(HubError):
    """No credentials, or credentials the hub does not accept (HTTP 401)."""


class Forbidden(HubError):
    """The account may not do this (HTTP 403)."""
