"""Validation messages people meet in the UI's forms, marked so the catalogue translates them.

They come from marshmallow and from the domain in English; the desk shows them
through ``_()`` so a Polish user reads Polish.
"""


def N_(message: str) -> str:
    return message


FORM_MESSAGES = [
    N_("Not a valid date."),
    N_("Missing data for required field."),
    N_("Must not be blank."),
    N_("Not a valid UUID."),
    N_("name at least one counterpart organisation or partnership"),
    N_("an organisation is not its own counterpart"),
    N_("each counterpart is named once"),
    N_("say why the record is retracted"),
    N_("the record was retracted"),
    N_("name at least one field to change"),
    N_("Not a valid datetime."),
    N_("Not a valid integer."),
    N_("Must be greater than or equal to 0 and less than or equal to 2147483647."),
    N_("Unknown field."),
    N_("an exchange cannot be dated in the future"),
    N_("a meeting is recorded as held from its first day on (%(day)s); until then it is announced"),
    N_("say why the record is disputed"),
    N_("only a counterpart named in the record can dispute it"),
    N_("already disputed by this organisation"),
    N_("Must not contain control characters."),
    # Phrases (hub.errors.Phrase): templates the UI words in the reader's language, and their values.
    N_("unknown %(what)s %(code)s; one of: %(codes)s"),
    N_("unknown region %(code)s: use a voivodeship TERYT code (02, 04, … 32) or 'PL'"),
    N_("no %(what)s is called “%(text)s” (give its whole name or its id)"),
    N_("%(n)s records are called “%(text)s”: give the id of the one meant"),
    N_("a row cannot change %(columns)s of a recorded %(what)s: use its page's forms"),
    # The spreadsheet import's problems with a whole file, sheet or row (hub.tables).
    N_('unknown kind %(kind)s; one of %(kinds)s'),
    N_('say which kind of record the CSV file holds (%(kinds)s): name the file after it or choose the kind'),
    N_('the file is neither UTF-8 nor Windows-1250 text, nor an XLSX workbook'),
    N_('the file is not text (it holds NUL bytes): save it as CSV or XLSX'),
    N_('the workbook cannot be read (%(error)s): save it again as XLSX'),
    N_('the workbook has no sheet named %(kind)s'),
    N_('the workbook has no sheet named after a kind of record (%(kinds)s)'),
    N_('the first row must name the columns'),
    N_('a column without a name in the first row'),
    N_('unknown column; this sheet reads %(columns)s'),
    N_('the column appears twice'),
    N_('%(n)s cell(s) beyond the named columns: name the column in the first row, or put a CSV cell that holds '
       'the separator in quotes'),
    N_('%(n)s rows; one import takes at most %(most)s'),
    N_("format"), N_("organisation kind"), N_("member role"), N_("account role"), N_("meeting format"),
    N_("scope"), N_("meeting status"), N_("exchange status"), N_("qualification type"),
    N_("initiative status"), N_("area"), N_("organisation"), N_("partnership"), N_("organisation or partnership"),
    N_("project"), N_("meeting"), N_("exchange"),
]
