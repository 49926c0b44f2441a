"""HTML forms made from the commands' own declarations (``hub.commands``), so a form cannot
drift from the API: the same schema names the fields, checks them and words the errors.

A :class:`Form` turns a command's marshmallow fields into widgets (a vocabulary becomes a
select, a known date a text field with its format, an id a picker that searches names, a list
of nested records rows), parses what the browser sends back into the API's JSON shape, and
keeps what the person typed to show it again next to the errors. Input names are the error
paths of :class:`hub.errors.InvalidCommand` (``members.0.role``), so every message lands next
to its field.

Three kinds of field, by what leaving them out means in the schema:

- *required*: always sent;
- *defaulted* (``load_default``): sent when filled in; left blank, the default applies
  (a city left blank is no city);
- *patch* (neither): absent means "unchanged", so it is sent only when the person changed it
  from what the form showed (the record at the version they opened).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from marshmallow import fields, missing, validate

from hub.commands import REFERENCES, Code, Command, KnownDay, Region
from hub.dates import KnownDate

HIDDEN = frozenset({"synthetic"})  # set by generators and imports, not by people
EXTRA_ROWS = 2  # empty rows offered under the filled ones of a list


@dataclass
class Widget:
    """One field of a form: how it is shown and read back."""

    name: str  # the command's field name
    kind: str  # text, textarea, select, area, region, regions, date, url, checkbox, number, ref, refs, rows, group
    required: bool
    patch: bool
    vocabulary: Any = None  # for ``select``
    refers_to: tuple[str, ...] = ()  # for ``ref`` and ``refs``
    children: list[Widget] = field(default_factory=list)  # for ``rows`` and ``group``
    label_key: str = ""  # what names its label: ``signatory.name`` for a field of a nested record

    def __post_init__(self) -> None:
        self.label_key = self.label_key or self.name


def widgets(command: Command) -> list[Widget]:
    """The widgets of ``command``'s input, in declaration order (hidden fields left out)."""
    return [_widget(name, f) for name, f in command.inputs.items() if name not in HIDDEN]


def _widget(name: str, f: fields.Field[Any], parent: str = "") -> Widget:
    required = bool(f.required)
    patch = not required and f.load_default is missing
    refers_to = REFERENCES.get(name, ())

    def make(kind: str, **extra: Any) -> Widget:
        return Widget(name, kind, required, patch, refers_to=refers_to,
                      label_key=f"{parent}.{name}" if parent else name, **extra)

    if isinstance(f, fields.List):
        inner = f.inner
        if isinstance(inner, Region):
            return make("regions")
        if isinstance(inner, fields.Nested):
            return make("rows", children=_nested(inner, name))
        return make("refs")
    if isinstance(f, fields.Nested):
        return make("group", children=_nested(f, name))
    if isinstance(f, Code):
        return make("select", vocabulary=f.vocabulary)
    if name == "area":  # a free code in the schema: offered from the standard areas and those partnerships declared
        return make("area")
    if isinstance(f, Region):
        return make("region")
    if isinstance(f, KnownDay):
        return make("date")
    if isinstance(f, fields.Boolean):
        return make("checkbox")
    if isinstance(f, fields.Integer):
        return make("number")
    if isinstance(f, fields.UUID):
        return make("ref")
    if isinstance(f, fields.Url):
        return make("url")
    longest = max((v.max for v in f.validators if isinstance(v, validate.Length) and v.max), default=0)
    return make("textarea" if longest > 500 else "text")


def _nested(f: fields.Nested, parent: str) -> list[Widget]:
    schema = f.schema
    return [_widget(name, child, parent) for name, child in schema.fields.items() if name not in HIDDEN]


Resolver = Callable[[tuple[str, ...], str], UUID]  # raises LookupError with a message for the person
Namer = Callable[[UUID], str]


class Form:
    """A command's form: its widgets, the values shown and the errors by input name."""

    def __init__(self, command: Command, values: Mapping[str, Any] | None = None,
                 errors: Mapping[str, list[str]] | None = None, omit: frozenset[str] = frozenset()):
        self.command = command
        self.omit = omit  # fields the page fills in itself (the partner's own organisation)
        self.widgets = [w for w in widgets(command) if w.name not in omit]
        self.values: dict[str, Any] = dict(values or {})
        self.errors: dict[str, list[str]] = dict(errors or {})

    # -- showing ---------------------------------------------------------------

    def value(self, key: str) -> Any:
        return self.values.get(key, "")

    def rows(self, widget: Widget, prefix: str = "") -> int:
        """How many rows a list shows: the filled ones and :data:`EXTRA_ROWS` empty ones."""
        key = prefix + widget.name
        filled = _indexes(self.values, key)
        return (max(filled) + 1 if filled else 0) + EXTRA_ROWS

    def messages(self, key: str) -> list[str]:
        return self.errors.get(key, [])

    def shown_keys(self) -> set[str]:
        """The input names the form shows (an error about anything else is about the whole record)."""
        return set(self._keys())

    def _keys(self) -> list[str]:
        keys: list[str] = []
        for w in self.widgets:
            keys += self._widget_keys(w, "")
        return keys

    def _widget_keys(self, w: Widget, prefix: str) -> list[str]:
        key = prefix + w.name
        if w.kind == "group":
            return [key] + [k for c in w.children for k in self._widget_keys(c, key + ".")]
        if w.kind == "rows":
            return [key] + [k for i in range(self.rows(w, prefix))
                            for c in w.children for k in self._widget_keys(c, f"{key}.{i}.")]
        if w.kind == "refs":
            return [key] + [f"{key}.{i}" for i in range(self.rows(w, prefix))]
        return [key]

    # -- reading back ------------------------------------------------------------

    @classmethod
    def read(cls, command: Command, form: Mapping[str, Any], getlist: Callable[[str], list[str]],
             resolve: Resolver, shown: Mapping[str, Any] | None = None,
             omit: frozenset[str] = frozenset()) -> tuple[Form, dict[str, Any]]:
        """The form as the person sent it and the command's input made of it.

        ``shown`` holds the values the form was opened with (a record's current state): a patch
        field is sent only if it differs. Names that do not resolve are errors of the returned
        form; the input is then not to be used.
        """
        self = cls(command, omit=omit)
        data: dict[str, Any] = {}
        for w in self.widgets:
            self._read(w, "", form, getlist, resolve, data)
        if shown is not None:
            for w in self.widgets:
                if w.patch and w.name in data and _same(self._raw(w), shown, w):
                    del data[w.name]
                elif w.patch and w.name not in data and _shown_any(shown, w.name):
                    data[w.name] = [] if w.kind in ("refs", "regions", "rows") else None  # blanked: cleared
        return self, data

    def _raw(self, w: Widget) -> Any:
        return {k: v for k, v in self.values.items() if k == w.name or k.startswith(w.name + ".")}

    def _read(self, w: Widget, prefix: str, form: Mapping[str, Any], getlist: Callable[[str], list[str]],
              resolve: Resolver, out: dict[str, Any]) -> None:
        key = prefix + w.name
        if w.kind == "checkbox":
            self.values[key] = key in form
            out[w.name] = key in form
            return
        if w.kind == "regions":
            chosen = [v for v in getlist(key) if v]
            self.values[key] = chosen
            if chosen or w.required:
                out[w.name] = chosen
            return
        if w.kind in ("rows", "refs"):
            items: list[Any] = []
            indexes = sorted(_indexes(form, key))
            for i in indexes:
                position = f"{key}.{len(items)}"  # kept rows close up: errors name the sent list's index
                if w.kind == "refs":
                    text = str(form.get(f"{key}.{i}", "")).strip()
                    if text:
                        self.values[position] = text
                        items.append(self._resolve(w, position, text, resolve))
                    continue
                row: dict[str, Any] = {}
                shadow = Form(self.command)
                for c in w.children:
                    shadow._read(c, f"{key}.{i}.", form, getlist, resolve, row)
                if any(v not in ("", None, False, []) for v in shadow.values.values()):
                    for k, v in shadow.values.items():
                        self.values[position + k[len(f"{key}.{i}"):]] = v
                    for k, ms in shadow.errors.items():
                        self.errors[position + k[len(f"{key}.{i}"):]] = ms
                    items.append(row)
            if items or w.required:
                out[w.name] = items
            return
        if w.kind == "group":
            group: dict[str, Any] = {}
            before = dict(self.values)
            for c in w.children:
                self._read(c, key + ".", form, getlist, resolve, group)
            if any(v not in ("", None, False) for k, v in self.values.items() if k not in before):
                out[w.name] = group
            return
        text = str(form.get(key, "")).strip()
        self.values[key] = text
        if not text:
            return  # a required field left blank: the schema says it is missing, in its own words
        if w.kind == "ref":
            out[w.name] = self._resolve(w, key, text, resolve)
        elif w.kind == "number":
            out[w.name] = int(text) if text.lstrip("-").isdigit() and len(text) < 12 else text
        else:
            out[w.name] = text

    def _resolve(self, w: Widget, key: str, text: str, resolve: Resolver) -> str:
        try:
            return str(resolve(w.refers_to, text))
        except LookupError as error:
            self.errors[key] = [str(error)]
            return text


def shown_values(command: Command, record: Any, name_of: Namer) -> dict[str, Any]:
    """What a change form shows first: the record's values of the command's fields, as typed.

    >>> from hub.commands import RENAME_ORGANISATION
    >>> class R: name = "Kuratorium"
    >>> shown_values(RENAME_ORGANISATION, R(), str)
    {'name': 'Kuratorium'}
    """
    values: dict[str, Any] = {}
    for w in widgets(command):
        current = getattr(record, w.name, None)
        if current is None or w.kind in ("rows", "group"):
            continue
        if w.kind == "refs":
            for i, ref in enumerate(current):
                values[f"{w.name}.{i}"] = name_of(ref)
        elif w.kind == "ref":
            values[w.name] = name_of(current)
        elif w.kind == "regions":
            values[w.name] = list(current)
        elif w.kind == "checkbox":
            values[w.name] = bool(current)
        elif isinstance(current, (KnownDate, date)):
            values[w.name] = current.isoformat()
        else:
            values[w.name] = str(current)
    return values


def _indexes(names: Iterable[str], key: str) -> set[int]:
    """The row numbers used under a list's input names.

    >>> sorted(_indexes(["members.0.role", "members.2.role", "name"], "members"))
    [0, 2]
    """
    rows = (name[len(key) + 1:].split(".")[0] for name in names if name.startswith(key + "."))
    return {int(row) for row in rows if row.isdigit()}


def _shown_any(shown: Mapping[str, Any], name: str) -> bool:
    return any(v not in ("", None, []) for k, v in shown.items() if k == name or k.startswith(name + "."))


def _same(sent: Mapping[str, Any], shown: Mapping[str, Any], w: Widget) -> bool:
    before = {k: v for k, v in shown.items() if (k == w.name or k.startswith(w.name + ".")) and v not in ("", [])}
    after = {k: v for k, v in sent.items() if v not in ("", [])}
    return before == after
