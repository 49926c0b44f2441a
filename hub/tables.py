"""Spreadsheets in and out: a network brought in from CSV or XLSX, and lists written back as the same tables.

People bring a network in as a spreadsheet, so the import reads what they already keep:

- **One sheet per kind** of record — ``organisations``, ``projects``, ``partnerships``, ``meetings``,
  ``exchanges`` — in one XLSX workbook (sheets named by kind, taken in that order, so a partnership
  can name a member registered a sheet earlier), or one CSV file per kind.
- **Columns named as the API's fields** (the creating command's declaration), so every cell is checked
  by the same schema and rules as a form or an API call, and refused with the same message.
- **Names where ids go**: a reference column takes an id or a whole name, case and Polish diacritics
  ignored (``hub.text.fold``); a name must name exactly one record, in the store or earlier in the file.
- **Lists in one cell**, entries separated by ``;`` or new lines; a member is ``Organisation (role)``,
  optionally ``: signatory name, function``; an area is a standard code (``A1``) or ``CODE: label``.
- **A row key**: the ``key`` column (or, without one, the row's own content) makes the row's record
  id, so importing the same file twice adds nothing. An ``id`` column names a record already in the
  store: the row then changes it as its cells say, through the commands of :data:`CHANGES` (an
  organisation's name, place, kind or website; a project's details; a partnership's amendable fields
  and end; a meeting's dates and place; an exchange's correctable fields). Members and areas have
  commands of their own: a row that differs there (:data:`FIXED`) is refused, never silently ignored.
- **All or nothing**: every row runs through the service's commands inside ``HubApplication.bulk``;
  a dry run, or any bad cell, stores nothing and reports every problem with its row and column.

Lists go out through :func:`write_csv` and :func:`write_xlsx` with these columns (plus read-only
ones such as a status, which the import skips), so a downloaded list can be edited and imported back.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from marshmallow import fields, missing

from hub import commands as cmd
from hub.authorisation import Principal
from hub.errors import HubError, InvalidCommand, Phrase
from hub.exchange import ExperienceExchange
from hub.meeting import Meeting
from hub.organisation import Organisation
from hub.partnership import Partnership
from hub.project import FrameworkProject
from hub.text import fold
from hub.vocabulary import STANDARD_AREAS

#: The most rows one import takes (a whole region's network is a few thousand).
MAX_ROWS = 50_000


@dataclass(frozen=True)
class Sheet:
    """A kind of record as a table: the command that creates one row's record and the columns it reads."""

    kind: str
    command: cmd.Command
    cls: type
    columns: tuple[str, ...]
    read_only: tuple[str, ...] = ()
    label: str = "name"  # the column that names a row's record in a report

    @property
    def exported(self) -> tuple[str, ...]:
        """The columns of a download: ``id``, what the import reads, then what it only shows."""
        return ("id", *self.columns, *self.read_only)


SHEETS: dict[str, Sheet] = {s.kind: s for s in (
    Sheet("organisations", cmd.REGISTER_ORGANISATION, Organisation,
          ("key", "name", "kind", "region", "city", "website")),
    Sheet("projects", cmd.REGISTER_PROJECT, FrameworkProject,
          ("key", "name", "programme", "operator_id", "starts_on", "ends_on")),
    Sheet("partnerships", cmd.SIGN_PARTNERSHIP, Partnership,
          ("key", "name", "regions", "scope", "purpose", "signed_on", "signed_at", "valid_until", "programme",
           "framework_project", "project_id", "declared_members", "areas", "members"),
          ("status", "terminated_on")),
    Sheet("meetings", cmd.ANNOUNCE_MEETING, Meeting,
          ("key", "title", "format", "held_on", "ends_on", "place", "online", "organisers",
           "participating_organisations", "participating_partnerships", "area"),
          ("status", "attendance", "attendance_online"), label="title"),
    Sheet("exchanges", cmd.POST_EXCHANGE, ExperienceExchange,
          ("key", "organisation_id", "topic", "exchanged_on", "counterpart_organisations",
           "counterpart_partnerships", "area", "summary", "outcomes"),
          ("status",), label="topic"),
)}

#: Finds the records of some kinds that a cell names (an id or a whole name): ``resolve(kinds, text)``.
Resolver = Callable[[tuple[str, ...], str], list[UUID]]

Cell = str | None


@dataclass(frozen=True)
class Problem:
    """A bad file, sheet, column or cell; ``row`` counts as the spreadsheet does (the header is row 1)."""

    message: str
    kind: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = " ".join(part for part in (
            self.kind or "", f"row {self.row}" if self.row else "", f"column {self.column}" if self.column else "",
        ) if part)
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True)
class Outcome:
    """What one row does (or would do): ``create``, ``change`` (with the columns changed) or ``unchanged``."""

    kind: str
    row: int
    action: str
    name: str
    record_id: UUID | None = None
    changes: tuple[str, ...] = ()


@dataclass
class Table:
    """One sheet as read: its kind, its header and its rows (row number, cells by column)."""

    kind: str
    columns: list[str]
    rows: list[tuple[int, dict[str, Cell]]]
    ignored: list[str] = field(default_factory=list)


@dataclass
class Report:
    """What an import did, or a dry run would do."""

    outcomes: list[Outcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    applied: bool = False

    def count(self, action: str, kind: str | None = None) -> int:
        return sum(1 for o in self.outcomes if o.action == action and (kind is None or o.kind == kind))

    @property
    def kinds(self) -> list[str]:
        return [k for k in SHEETS if any(o.kind == k for o in self.outcomes)]

    def summary(self) -> str:
        """One line: ``3 to create, 1 to change, 0 already recorded`` (``3 created…`` when applied)."""
        if self.applied:
            return (f"{self.count('create')} created, {self.count('change')} changed, "
                    f"{self.count('unchanged')} already recorded")
        return (f"{self.count('create')} to create, {self.count('change')} to change, "
                f"{self.count('unchanged')} already recorded")


# -- reading files ----------------------------------------------------------------

def read_file(data: bytes, filename: str, kind: str | None = None) -> tuple[list[Table], list[Problem]]:
    """The sheets of an uploaded or given file: XLSX (by its content) or CSV (UTF-8 with or without a BOM,
    or Windows-1250 as Polish Excel saves it; comma, semicolon or tab separated).

    A CSV file's kind is ``kind`` or its file name (``organisations.csv``); a workbook's sheets are named
    by kind (with ``kind``, only that sheet is read).
    """
    if kind is not None and kind not in SHEETS:
        return [], [Problem(Phrase("unknown kind %(kind)s; one of %(kinds)s", kind=repr(kind),
                                   kinds=", ".join(SHEETS)))]
    if data[:4] == b"PK\x03\x04":
        return _read_workbook(data, kind)
    stem = Path(filename).stem.strip().lower()
    csv_kind = kind or (stem if stem in SHEETS else None)
    if csv_kind is None:
        return [], [Problem(Phrase("say which kind of record the CSV file holds (%(kinds)s): name the file after it or "
                                   "choose the kind", kinds=", ".join(SHEETS)))]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1250")
        except UnicodeDecodeError:
            return [], [Problem(Phrase("the file is neither UTF-8 nor Windows-1250 text, nor an XLSX workbook"))]
    if "\x00" in text:
        return [], [Problem(Phrase("the file is not text (it holds NUL bytes): save it as CSV or XLSX"))]
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return _table(csv_kind, rows)


def _read_workbook(data: bytes, kind: str | None) -> tuple[list[Table], list[Problem]]:
    from openpyxl import load_workbook  # only for XLSX, and it takes 0.1 s to import

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        return [], [Problem(Phrase("the workbook cannot be read (%(error)s): save it again as XLSX",
                                    error=type(error).__name__))]
    tables: list[Table] = []
    problems: list[Problem] = []
    by_name = {str(name).strip().lower(): name for name in book.sheetnames}
    wanted = [kind] if kind else [k for k in SHEETS if k in by_name]
    if kind and kind not in by_name and len(book.sheetnames) == 1:
        by_name[kind] = book.sheetnames[0]  # one sheet, whatever its name, with the kind given
    for k in wanted:
        if k not in by_name:
            problems.append(Problem(Phrase("the workbook has no sheet named %(kind)s", kind=repr(k))))
            continue
        rows = [[_cell_text(v) for v in row] for row in book[by_name[k]].iter_rows(values_only=True)]
        found, trouble = _table(k, rows)
        tables.extend(found)
        problems.extend(trouble)
    if not wanted:
        problems.append(Problem(Phrase("the workbook has no sheet named after a kind of record (%(kinds)s)",
                                       kinds=", ".join(SHEETS))))
    book.close()
    return tables, problems


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(kind: str, rows: Sequence[Sequence[str]]) -> tuple[list[Table], list[Problem]]:
    sheet = SHEETS[kind]
    if not rows or not any(c.strip() for c in rows[0]):
        return [], [Problem(Phrase("the first row must name the columns"), kind, 1)]
    header = [c.strip().lower() for c in rows[0]]
    while header and not header[-1]:
        header.pop()
    problems: list[Problem] = []
    readable = {"id", *sheet.columns}
    ignored = [c for c in header if c in sheet.read_only]
    for column in header:
        if not column:
            problems.append(Problem(Phrase("a column without a name in the first row"), kind, 1))
        elif column not in readable and column not in sheet.read_only:
            problems.append(Problem(Phrase("unknown column; this sheet reads %(columns)s",
                                           columns=", ".join(sheet.columns)), kind, 1, column))
    for column in {c for c in header if header.count(c) > 1 and c}:
        problems.append(Problem(Phrase("the column appears twice"), kind, 1, column))
    body = []
    for number, row in enumerate(rows[1:], start=2):
        cells = {column: _unguarded(row[i].strip()) if i < len(row) and row[i].strip() else None
                 for i, column in enumerate(header) if column in readable}
        beyond = sum(1 for cell in row[len(header):] if cell.strip())
        if beyond:  # never cut a row short: an unquoted separator in a CSV cell spills into cells no column names
            problems.append(Problem(Phrase("%(n)s cell(s) beyond the named columns: name the column in the first "
                                           "row, or put a CSV cell that holds the separator in quotes", n=beyond),
                                    kind, number))
        if any(row_cell.strip() for row_cell in row):
            body.append((number, cells))
    if len(body) > MAX_ROWS:
        problems.append(Problem(Phrase("%(n)s rows; one import takes at most %(most)s", n=len(body), most=MAX_ROWS),
                                kind))
    return [Table(kind, header, body, ignored)], problems


def _unguarded(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


# -- importing --------------------------------------------------------------------

class _Rows:
    """Turns one row's cells into a command's input, resolving names; problems are collected per cell."""

    def __init__(self, resolve: Resolver):
        self.resolve = resolve
        self.created: dict[str, dict[str, set[UUID]]] = {kind: {} for kind in SHEETS}

    def remember(self, kind: str, name: str, record_id: UUID) -> None:
        self.created[kind].setdefault(fold(name.strip()), set()).add(record_id)

    def ids(self, kinds: tuple[str, ...], text: str) -> list[UUID]:
        found = set(self.resolve(kinds, text))
        for kind in kinds:
            found |= self.created.get(kind, {}).get(fold(text.strip()), set())
        return sorted(found, key=str)

    def reference(self, kinds: tuple[str, ...], text: str) -> str:
        found = self.ids(kinds, text)
        what = " or ".join(k.rstrip("s") for k in kinds)
        if not found:
            raise ValueError(Phrase("no %(what)s is called “%(text)s” (give its whole name or its id)", what=what,
                                    text=text))
        if len(found) > 1:
            raise ValueError(Phrase("%(n)s records are called “%(text)s”: give the id of the one meant",
                                    n=len(found), text=text))
        return str(found[0])

    def payload(self, sheet: Sheet, cells: Mapping[str, Cell]) -> tuple[dict[str, Any], dict[str, str]]:
        inputs = sheet.command.inputs
        data: dict[str, Any] = {}
        bad: dict[str, str] = {}
        for column, text in cells.items():
            if column in ("id", "key") or text is None:
                continue
            try:
                data[column] = self.value(column, inputs[column], text)
            except ValueError as error:
                bad[column] = error.args[0] if error.args and isinstance(error.args[0], str) else str(error)
        return data, bad

    def value(self, column: str, declared: fields.Field[Any], text: str) -> Any:
        if column == "members":
            return [self.member(entry) for entry in entries(text)]
        if column == "areas":
            return [area(entry) for entry in entries(text)]
        if column in ("region", "regions"):  # Excel turns the code 02 into the number 2
            codes = [c.zfill(2) if c.isdigit() else c for c in entries(text, commas=True)]
            return codes if column == "regions" else (codes[0] if len(codes) == 1 else text)
        if isinstance(declared, fields.List):
            if column in cmd.REFERENCES:
                return [self.reference(cmd.REFERENCES[column], entry) for entry in entries(text)]
            return entries(text, commas=True)
        if column in cmd.REFERENCES:
            return self.reference(cmd.REFERENCES[column], text)
        if isinstance(declared, fields.Boolean):
            return truth(text)
        if isinstance(declared, fields.Integer):
            try:
                return int(text)
            except ValueError:
                raise ValueError("Not a valid integer.") from None
        return text

    def member(self, entry: str) -> dict[str, Any]:
        found = MEMBER.match(entry)
        if not found:
            raise ValueError(f"“{entry}”: write a member as “Organisation (role)”, "
                             "optionally followed by “: signatory's name, function”")
        member: dict[str, Any] = {"organisation_id": self.reference(("organisations",), found["organisation"]),
                                  "role": found["role"]}
        if found["signatory"]:
            name, _, function = found["signatory"].partition(",")
            member["signatory"] = {"name": name.strip(), "function": function.strip()}
        return member


MEMBER = re.compile(r"^(?P<organisation>.+?)\s*\((?P<role>[a-z_]+)\)\s*(?::\s*(?P<signatory>.+))?$")


def entries(text: str, commas: bool = False) -> list[str]:
    """A cell's list: entries separated by ``;`` or new lines (and commas, for lists of codes).

    >>> entries("A1; A3\\nA5"), entries("18, 12", commas=True)
    (['A1', 'A3', 'A5'], ['18', '12'])
    """
    separators = r"[;\n,]" if commas else r"[;\n]"
    return [e.strip() for e in re.split(separators, text) if e.strip()]


def area(entry: str) -> dict[str, str | None]:
    """A standard area by its code, or ``CODE: label`` for an area of the partnership's own."""
    code, colon, label = entry.partition(":")
    code = code.strip()
    if not colon:
        if code not in STANDARD_AREAS:
            raise ValueError(f"“{code}” is not a standard area ({', '.join(STANDARD_AREAS)}); "
                             "write an area of your own as “CODE: label”")
        label_pl, label_en = STANDARD_AREAS[code]
        return {"code": code, "label_pl": label_pl, "label_en": label_en}
    return {"code": code, "label_pl": label.strip(), "label_en": None}


def truth(text: str) -> bool:
    """``yes``/``no`` in English or Polish, ``true``/``false``, ``1``/``0``."""
    folded = fold(text.strip())
    if folded in ("1", "true", "yes", "y", "tak", "t", "x"):
        return True
    if folded in ("0", "false", "no", "n", "nie", ""):
        return False
    raise ValueError("Not a valid boolean: write yes or no.")


def row_key(kind: str, cells: Mapping[str, Cell]) -> str:
    """The client key of a row's record: its ``key`` cell, or a digest of its content."""
    if cells.get("key"):
        return f"table:{kind}:{cells['key']}"
    content = json.dumps({k: v for k, v in sorted(cells.items()) if k not in ("id", "key")}, ensure_ascii=False)
    return f"table:{kind}:#{hashlib.sha256(content.encode('utf-8')).hexdigest()[:32]}"


#: A row with a record's ``id`` changes that record through these commands, each taking the columns it names
#: (a column the sheet does not have keeps the record's value; only the columns that differ are sent).
CHANGES: dict[str, tuple[tuple[cmd.Command, tuple[str, ...]], ...]] = {
    "organisations": ((cmd.RENAME_ORGANISATION, ("name",)), (cmd.MOVE_ORGANISATION, ("region", "city")),
                      (cmd.UPDATE_ORGANISATION_DETAILS, ("kind", "website"))),
    "projects": ((cmd.AMEND_PROJECT, ("name", "programme", "operator_id", "starts_on", "ends_on")),),
    "partnerships": ((cmd.AMEND_PARTNERSHIP, ("name", "purpose", "framework_project", "programme", "regions", "scope",
                                              "declared_members", "project_id")),
                     (cmd.EXTEND_PARTNERSHIP, ("valid_until",))),
    "meetings": ((cmd.RESCHEDULE_MEETING, ("held_on", "ends_on", "place", "online")),),
    "exchanges": ((cmd.CORRECT_EXCHANGE, ("exchanged_on", "topic", "area", "summary", "outcomes",
                                          "counterpart_organisations", "counterpart_partnerships")),),
}

#: Columns a row cannot change (each has commands and forms of its own: members join, leave or change role; an
#: area is declared or withdrawn): a row that differs there is refused with the way to change it, never ignored.
FIXED: dict[str, tuple[str, ...]] = {
    "partnerships": ("members", "areas", "signed_on", "signed_at"),
    "meetings": ("title", "format", "organisers", "participating_organisations", "participating_partnerships", "area"),
    "exchanges": ("organisation_id",),
}


def _comparable(column: str, value: Any) -> Any:
    """A column's value as a row gives it or a record holds it, in one form for comparing."""
    if column == "members":
        if isinstance(value, dict):  # the record's: organisation → its membership
            return sorted((str(o), m["role"]) for o, m in value.items())
        return sorted((str(m["organisation_id"]), m["role"]) for m in value or [])
    if column == "areas":
        return sorted(value if isinstance(value, dict) else (a["code"] for a in value or []))
    if column in ("organisers", "participating_organisations", "participating_partnerships",
                  "counterpart_organisations", "counterpart_partnerships", "regions"):
        return sorted(str(v) for v in value or [])
    if isinstance(value, date):
        return value.isoformat()  # "2008" and "2008-01-01" are two things said
    if isinstance(value, UUID):
        return str(value)  # a row's reference is the id's text
    return value


def import_tables(app: Any, by: Principal, tables: Iterable[Table], resolve: Resolver,
                  dry_run: bool = False) -> Report:
    """Run every row of ``tables`` through the service in one transaction (``app.bulk``); with
    ``dry_run``, or when any row is refused, nothing is stored. The report says, row by row, what
    was (or would be) created or changed and every problem with its row and column.
    """
    report = Report()
    rows = _Rows(resolve)
    ordered = sorted(tables, key=lambda t: list(SHEETS).index(t.kind))
    for table in ordered:
        if table.ignored:
            report.notes.append(f"{table.kind}: read-only column(s) {', '.join(table.ignored)} skipped")
    try:
        with app.bulk(store=not dry_run):
            for table in ordered:
                for number, cells in table.rows:
                    _import_row(app, by, SHEETS[table.kind], number, cells, rows, report)
            if report.problems:
                raise _Refused
    except _Refused:
        return report
    report.applied = not dry_run
    return report


class _Refused(Exception):
    """Leaves ``bulk`` without storing anything."""


def _import_row(app: Any, by: Principal, sheet: Sheet, number: int, cells: Mapping[str, Cell],
                rows: _Rows, report: Report) -> None:
    data, bad = rows.payload(sheet, cells)
    for column, message in bad.items():
        report.problems.append(Problem(message, sheet.kind, number, column))
    name = cells.get(sheet.label) or cells.get("key") or f"row {number}"
    if bad:
        return
    try:
        if cells.get("id"):
            outcome = _existing(app, by, sheet, number, cells, data, str(name))
        else:
            key = row_key(sheet.kind, cells)
            existed = app.has_record(app.id_for_client_key(sheet.cls, key))
            method = getattr(app, sheet.command.name)
            record_id = method(by=by, client_key=key, **data)
            outcome = Outcome(sheet.kind, number, "unchanged" if existed else "create", str(name), record_id)
    except InvalidCommand as error:
        for path, messages in error.errors.items():
            report.problems.append(Problem(_cell_message(path, messages), sheet.kind, number,
                                           path.split(".")[0] if path != "_schema" else None))
        return
    except HubError as error:
        report.problems.append(Problem(error.message, sheet.kind, number, error.field))
        return
    report.outcomes.append(outcome)
    if outcome.record_id is not None and cells.get(sheet.label):
        rows.remember(sheet.kind, str(cells[sheet.label]), outcome.record_id)


def _cell_message(path: str, messages: list[str]) -> str:
    parts = path.split(".")
    where = f"entry {int(parts[1]) + 1}: " if len(parts) > 1 and parts[1].isdigit() else ""
    detail = f"{'.'.join(parts[2:])}: " if len(parts) > 2 else ""
    if not where and not detail and len(messages) == 1:
        return messages[0]  # as it is: a Phrase stays translatable
    return f"{where}{detail}{' '.join(messages)}"


def _existing(app: Any, by: Principal, sheet: Sheet, number: int, cells: Mapping[str, Cell],
              data: dict[str, Any], name: str) -> Outcome:
    try:
        record_id = UUID(str(cells["id"]))
    except ValueError:
        raise InvalidCommand("not an id (leave the column empty for a new record)", "id") from None
    record = app.find(record_id)
    if not isinstance(record, sheet.cls):
        raise InvalidCommand(f"no {sheet.kind.rstrip('s')} has this id in this hub", "id")
    def differs(column: str) -> bool:
        return column in cells and _comparable(column, data.get(column)) != _comparable(column, getattr(record, column))

    fixed = [c for c in FIXED.get(sheet.kind, ()) if differs(c)]
    if fixed:
        raise InvalidCommand(Phrase("a row cannot change %(columns)s of a recorded %(what)s: use its page's forms",
                                    columns=", ".join(fixed), what=sheet.kind.rstrip("s")), fixed[0])
    changed: list[str] = []
    for command, columns in CHANGES[sheet.kind]:
        # A column the sheet does not have keeps the record's value; an empty cell clears an optional one.
        different = [c for c in columns if differs(c)]
        if different:
            # A field the command would fill in when left out (required, or with a default such as a move's
            # city) is sent as the record holds it: left out, moving an organisation cleared its town.
            filled = [c for c, f in command.inputs.items()
                      if c not in different and (f.required or f.load_default is not missing)]
            sent = {c: data.get(c) for c in different} | {c: getattr(record, c) for c in filled}
            getattr(app, command.name)(record_id, by=by, **sent)
            changed.extend(different)
    return Outcome(sheet.kind, number, "change" if changed else "unchanged", name, record_id, tuple(changed))


# -- writing tables -----------------------------------------------------------------

def write_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a BOM (so Excel shows Polish letters), comma separated, one header row."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else _guarded(_text(v)) for v in row])
    return out.getvalue().encode("utf-8-sig")


#: What a spreadsheet program takes for the start of a formula; such a cell is written after an apostrophe
#: (shown as text, OWASP's advice against CSV injection) and read back without it.
FORMULA_STARTS = ("=", "+", "@")


def _guarded(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_xlsx(sheets: Mapping[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """A workbook with one sheet per entry (title → columns and rows), header row bold and frozen."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    for title, (columns, rows) in sheets.items():
        ws = book.create_sheet(title[:31])
        ws.freeze_panes = "A2"
        header = []
        for column in columns:
            cell = WriteOnlyCell(ws, value=column)
            cell.font = Font(bold=True)
            header.append(cell)
        ws.append(header)
        for row in rows:
            values = [_xlsx_value(v) for v in row]
            for i, value in enumerate(values):
                if isinstance(value, str) and value.startswith("="):  # text, never a formula Excel would run
                    cell = WriteOnlyCell(ws, value=value)
                    cell.data_type = "s"
                    values[i] = cell
            ws.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xlsx_value(value: Any) -> Any:
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = _text(value)
    # A cell starting with = would be a formula to Excel: written as text, never run (CSV injection).
    return _ILLEGAL.sub("", text)


def template() -> bytes:
    """An empty workbook to fill in: one sheet per kind with its columns, and a sheet that explains them."""
    sheets: dict[str, tuple[Sequence[str], Iterable[Sequence[Any]]]] = {
        kind: (sheet.columns, []) for kind, sheet in SHEETS.items()}
    sheets["instructions"] = (("sheet", "column", "what to write"), list(_instructions()))
    return write_xlsx(sheets)


def _instructions() -> Iterable[tuple[str, str, str]]:
    for kind, sheet in SHEETS.items():
        inputs = sheet.command.inputs
        for column in sheet.columns:
            if column == "key":
                yield kind, column, "your own key for the row (any text, unique in the sheet): the same key twice " \
                                    "is the same record, so the file can be imported again"
                continue
            declared = inputs[column]
            notes = ["required" if declared.required else "optional"]
            if column in cmd.REFERENCES:
                notes.append("the whole name or the id of a record of "
                             + " or ".join(cmd.REFERENCES[column]))
            if column == "members":
                notes.append("one per line or separated by ';': Organisation (role), optionally "
                             "followed by ': signatory name, function'")
            elif column == "areas":
                notes.append("standard codes (A1…) or 'CODE: label', separated by ';'")
            elif isinstance(declared, fields.List):
                notes.append("several separated by ';'")
            enum = declared.metadata.get("enum") if not isinstance(declared, fields.List) else None
            if enum:
                notes.append("one of " + ", ".join(enum))
            if isinstance(declared, fields.Boolean):
                notes.append("yes or no")
            description = declared.metadata.get("description")
            if description:
                notes.append(str(description))
            yield kind, column, "; ".join(notes)
