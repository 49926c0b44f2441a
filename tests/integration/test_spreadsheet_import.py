"""Spreadsheet onboarding (``hub.tables``) against real stores: the sample partnership from one workbook,
dry runs that store nothing, every bad cell named by row and column, all or nothing, the same file
twice adding nothing, and a downloaded list that imports back unchanged."""

from __future__ import annotations

from datetime import date

import pytest

from hub.authorisation import Principal
from hub.organisation import Organisation
from hub.partnership import Partnership
from hub.tables import SHEETS, import_tables, read_file, template, write_csv, write_xlsx
from projections.catalogue import resolver
from projections.follower import Follower
from projections.tables import table

BY = Principal.operator("import-test")

ORGANISATIONS = [
    ("ibe", "Instytut Badań Edukacyjnych", "research_institute", "14", "Warszawa", "https://www.ibe.edu.pl"),
    ("ko", "Kuratorium Oświaty w Rzeszowie", "education_authority", "18", "Rzeszów", "https://www.ko.rzeszow.pl"),
    ("pcm", "Podkarpackie Centrum Mediacji", "mediation_centre", "18", "Rzeszów", ""),
]
PROJECTS = [("zsk4", "ZSK 4", "POWER", "Instytut Badan Edukacyjnych", "", "")]  # a name without its diacritics
PARTNERSHIPS = [(
    "podkarpackie", "Podkarpackie partnerstwo strategiczne", "18", "regional", "Upowszechnianie ZSK", "2020-12-08",
    "Rzeszów", "2022-06-30", "POWER", "ZSK 4", "ZSK 4", "", "A1; A2",
    "Instytut Badań Edukacyjnych (leader): Katarzyna Wielguszewska, przedstawicielka IBE\n"
    "kuratorium oswiaty w rzeszowie (partner)\nPodkarpackie Centrum Mediacji (partner)")]
MEETINGS = [("m1", "Seminarium mediacyjne", "seminar", "2021-03-01", "", "Rzeszów", "nie",
             "Podkarpackie partnerstwo strategiczne", "Podkarpackie Centrum Mediacji", "", "A1")]
EXCHANGES = [("e1", "Podkarpackie Centrum Mediacji", "Mediacje w szkołach", "2021-04-01",
              "Kuratorium Oświaty w Rzeszowie", "", "A1", "Rozmowa o mediacjach", "Plan szkoleń")]


def workbook(**replace: list[tuple[str, ...]]) -> bytes:
    sheets = {"organisations": ORGANISATIONS, "projects": PROJECTS, "partnerships": PARTNERSHIPS,
              "meetings": MEETINGS, "exchanges": EXCHANGES, **replace}
    return write_xlsx({kind: (SHEETS[kind].columns, rows) for kind, rows in sheets.items()})


def run(app, data: bytes, filename: str = "network.xlsx", dry_run: bool = False, kind: str | None = None):
    tables, problems = read_file(data, filename, kind)
    assert problems == []
    follower = Follower(app)
    follower.catch_up()
    return import_tables(app, BY, tables, resolver(follower.graph), dry_run=dry_run)


def test_the_sample_partnership_comes_in_from_one_workbook_and_a_second_import_adds_nothing(app):
    report = run(app, workbook())
    assert report.applied and report.problems == []
    assert {k: report.count("create", k) for k in report.kinds} == {
        "organisations": 3, "projects": 1, "partnerships": 1, "meetings": 1, "exchanges": 1}
    follower = Follower(app)
    follower.catch_up()
    p = next(iter(follower.graph.records(Partnership)))
    names = {o.id: o.name for o in follower.graph.records(Organisation)}
    assert {names[k]: m["role"] for k, m in p.members.items()} == {
        "Instytut Badań Edukacyjnych": "leader", "Kuratorium Oświaty w Rzeszowie": "partner",
        "Podkarpackie Centrum Mediacji": "partner"}
    leader = next(m for m in p.members.values() if m["role"] == "leader")
    assert leader["signatory"] == {"name": "Katarzyna Wielguszewska", "function": "przedstawicielka IBE"}
    assert sorted(p.areas) == ["A1", "A2"] and p.areas["A1"]["label_pl"].startswith("upowszechnianie")
    assert p.project_id is not None and p.valid_until == date(2022, 6, 30)
    length = app.log_length()
    again = run(app, workbook())
    assert again.count("create") == 0 and again.count("unchanged") == 7 and app.log_length() == length


def test_a_dry_run_says_what_would_be_created_and_stores_nothing(app):
    report = run(app, workbook(), dry_run=True)
    assert not report.applied and report.count("create") == 7 and report.problems == []
    assert "7 to create" in report.summary()
    assert app.log_length() == 0


def test_every_bad_cell_is_named_by_sheet_row_and_column_and_nothing_is_stored(app):
    organisations = [*ORGANISATIONS, ("x", "", "school", "99", "", "not a url"),
                     ("y", "Szkoła w Krośnie", "castle", "18", "Krosno", "")]
    partnerships = [(*PARTNERSHIPS[0][:13], "Nieznana Fundacja (partner)\nInstytut Badań Edukacyjnych (boss)")]
    report = run(app, workbook(organisations=organisations, partnerships=partnerships))
    found = {(p.kind, p.row, p.column) for p in report.problems}
    assert {("organisations", 5, "name"), ("organisations", 5, "region"), ("organisations", 5, "website"),
            ("organisations", 6, "kind"), ("partnerships", 2, "members")} <= found
    members = next(p for p in report.problems if p.column == "members")
    assert "Nieznana Fundacja" in members.message
    assert not report.applied and app.log_length() == 0


def test_a_name_two_records_share_is_refused_with_the_count(app):
    for city in ("Rzeszów", "Krosno"):
        app.register_organisation(by=BY, name="Szkoła Podstawowa nr 1", kind="school", region="18", city=city)
    rows = [("e", "Szkoła Podstawowa nr 1", "Wymiana", "2021-04-01", "", "", "", "", "")]
    data = write_csv(SHEETS["exchanges"].columns, rows)
    tables, _ = read_file(data, "exchanges.csv")
    follower = Follower(app)
    follower.catch_up()
    report = import_tables(app, BY, tables, resolver(follower.graph))
    assert [(p.row, p.column) for p in report.problems] == [(2, "organisation_id")]
    assert "2 records are called" in report.problems[0].message


def test_csv_as_polish_excel_saves_it_semicolons_and_windows_1250_or_a_bom(app):
    text = "key;name;kind;region;city\nko;Kuratorium Oświaty w Rzeszowie;education_authority;18;Rzeszów\n"
    for data in (text.encode("cp1250"), text.encode("utf-8-sig")):
        tables, problems = read_file(data, "organisations.csv")
        assert problems == [] and tables[0].rows[0][1]["name"] == "Kuratorium Oświaty w Rzeszowie"
    report = run(app, text.encode("cp1250"), "organisations.csv")
    assert report.count("create") == 1
    excel_number = "key,name,kind,region\nw,Urząd Marszałkowski,regional_government,2\n".encode()
    assert run(app, excel_number, "organisations.csv").count("create") == 1  # Excel's 2 is the code 02


def test_a_row_with_more_cells_than_named_columns_is_refused_never_cut_short():
    # A semicolon file whose list cell was not quoted: its second organiser spills into a cell no column names.
    text = ("key;title;format;held_on;organisers\n"
            "m1;Forum;conference;2022-03-15;Instytut Badań Edukacyjnych\n"
            "m2;Warsztaty;workshop;2022-04-05;Instytut Badań Edukacyjnych; Kuratorium Oświaty w Rzeszowie\n")
    tables, problems = read_file(text.encode("cp1250"), "meetings.csv")
    assert [(p.row, p.column) for p in problems] == [(3, None)]
    assert "1 cell(s) beyond the named columns" in problems[0].message and "quotes" in problems[0].message
    quoted = text.replace("Instytut Badań Edukacyjnych; Kuratorium Oświaty w Rzeszowie",
                          '"Instytut Badań Edukacyjnych; Kuratorium Oświaty w Rzeszowie"')
    assert read_file(quoted.encode("cp1250"), "meetings.csv")[1] == []
    trailing_blanks = text.replace("; Kuratorium Oświaty w Rzeszowie", ";;  ")  # empty cells after the last are fine
    assert read_file(trailing_blanks.encode("cp1250"), "meetings.csv")[1] == []


def test_files_it_cannot_read_are_one_clear_problem_each():
    assert "say which kind" in str(read_file(b"name\nx\n", "people.csv")[1][0])
    assert "cannot be read" in str(read_file(b"PK\x03\x04broken", "x.xlsx")[1][0])
    assert "unknown column" in str(read_file(b"name,colour\nx,red\n", "organisations.csv")[1][0])
    two_sheets = write_xlsx({"People": (("a",), []), "Places": (("b",), [])})
    assert "no sheet named" in str(read_file(two_sheets, "x.xlsx", "meetings")[1][0])
    assert "no sheet named after a kind" in str(read_file(two_sheets, "x.xlsx")[1][0])


def test_a_downloaded_list_imports_back_unchanged_and_an_edited_cell_changes_the_record(app):
    run(app, workbook())
    follower = Follower(app)
    follower.catch_up()
    columns, rows = table(follower.graph, "organisations", follower.graph.records(Organisation), date.today())
    length = app.log_length()
    assert run(app, write_csv(columns, rows), "organisations.csv").count("unchanged") == 3
    for kind in ("partnerships", "meetings", "exchanges", "projects"):
        columns, rows = table(follower.graph, kind, follower.graph.records(SHEETS[kind].cls), date.today())
        report = run(app, write_xlsx({kind: (columns, rows)}))
        assert report.count("unchanged") == 1 and report.problems == [], kind
    assert app.log_length() == length
    columns, rows = table(follower.graph, "organisations", follower.graph.records(Organisation), date.today())
    edited = [list(r) for r in rows]
    city = columns.index("city")
    edited[0][city] = "Krosno"
    report = run(app, write_csv(columns, edited), "organisations.csv")
    assert [(o.action, o.changes) for o in report.outcomes if o.action != "unchanged"] == [("change", ("city",))]
    assert app.get(edited[0][0]).city == "Krosno"


def test_an_edited_row_of_any_kind_changes_its_record_and_one_that_changes_members_is_refused(app):
    run(app, workbook())
    follower = Follower(app)
    follower.catch_up()

    def downloaded(kind: str) -> tuple[list[str], list[list]]:
        follower.catch_up()
        columns, rows = table(follower.graph, kind, follower.graph.records(SHEETS[kind].cls), date.today())
        return list(columns), [list(r) for r in rows]

    edits = {"partnerships": {"valid_until": "2024-06-30", "name": "Podkarpackie partnerstwo na rzecz LLL"},
             "meetings": {"place": "Krosno"}, "exchanges": {"topic": "Mediacje rówieśnicze w szkołach"},
             "projects": {"programme": "FERS"}}
    for kind, cells in edits.items():
        columns, rows = downloaded(kind)
        for column, value in cells.items():
            rows[0][columns.index(column)] = value
        length = app.log_length()
        preview = run(app, write_xlsx({kind: (columns, rows)}), dry_run=True)
        assert [(o.action, set(o.changes)) for o in preview.outcomes] == [("change", set(cells))], kind
        assert app.log_length() == length  # a dry run stores nothing
        report = run(app, write_xlsx({kind: (columns, rows)}))
        assert report.applied and [o.action for o in report.outcomes] == ["change"], kind
        record = app.get(rows[0][0])
        for column, value in cells.items():
            shown = getattr(record, column)
            assert (shown.isoformat() if isinstance(shown, date) else shown) == value, (kind, column)
        assert run(app, write_xlsx({kind: (columns, rows)})).count("unchanged") == 1  # once is enough
    # A cell alone changes only itself: a new region keeps the town, a new day keeps the place.
    for kind, column, value, kept in (("organisations", "region", "12", "city"), ("meetings", "held_on", "2021-02-02", "place")):
        columns, rows = downloaded(kind)
        before = getattr(app.get(rows[0][0]), kept)
        rows[0][columns.index(column)] = value
        assert [o.changes for o in run(app, write_xlsx({kind: (columns, rows)})).outcomes][0] == (column,), kind
        assert getattr(app.get(rows[0][0]), kept) == before and before, kind
    # Members change through the partnership's own commands: a row that differs there is refused, whole.
    columns, rows = downloaded("partnerships")
    rows[0][columns.index("members")] = "Instytut Badań Edukacyjnych (leader)"
    rows[0][columns.index("purpose")] = "Inny cel"
    length = app.log_length()
    report = run(app, write_xlsx({"partnerships": (columns, rows)}))
    assert [(p.row, p.column) for p in report.problems] == [(2, "members")] and "forms" in report.problems[0].message
    assert app.log_length() == length and app.get(rows[0][0]).purpose != "Inny cel"


def test_the_template_has_a_sheet_per_kind_with_its_columns_and_instructions():
    tables, problems = read_file(template(), "template.xlsx")
    assert problems == [] and [t.kind for t in tables] == list(SHEETS)
    assert all(t.columns == list(SHEETS[t.kind].columns) and t.rows == [] for t in tables)


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://evil\")", "@SUM(A1)", "\x07bell"])
def test_a_name_that_looks_like_a_formula_is_written_as_text_and_reads_back_as_it_was(cell):
    from io import BytesIO

    from openpyxl import load_workbook

    ws = load_workbook(BytesIO(write_xlsx({"organisations": (("name",), [(cell,)])})))["organisations"]
    assert ws["A2"].data_type == "s" and "\x07" not in str(ws["A2"].value)
    csv_text = write_csv(("name",), [(cell,)]).decode("utf-8-sig")
    assert not csv_text.splitlines()[1].lstrip('"').startswith(("=", "@"))  # Excel would run it
    tables, _ = read_file(write_csv(("key", "name"), [("k", cell)]), "organisations.csv")
    assert tables[0].rows[0][1]["name"] == cell
