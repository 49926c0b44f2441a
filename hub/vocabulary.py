"""The closed lists of the domain: organisation kinds, member roles, account roles, meeting formats, areas.

Codes are stored in events; labels are for people (Polish first, English second).
Each list is a :class:`Vocabulary`, the one home of its codes, its labels and the
message that refuses an unknown code: the command schemas (``hub.commands``) and
the aggregates' rules both ask it, so a refusal reads the same wherever it is
caught.
"""

from __future__ import annotations

from enum import StrEnum

from hub.errors import InvalidCommand, Phrase


class Vocabulary(dict[str, tuple[str, str]]):
    """Codes → (Polish label, English label), with the rule that refuses any other code.

    >>> formats = Vocabulary("format", {"seminar": ("seminarium", "seminar")})
    >>> formats.label("seminar", "pl"), formats.refusal("party")
    ('seminarium', "unknown format 'party'; one of: seminar")
    """

    def __init__(self, what: str, labels: dict[str, tuple[str, str]]):
        super().__init__(labels)
        self.what = what

    def refusal(self, code: object) -> str:
        return Phrase("unknown %(what)s %(code)s; one of: %(codes)s", what=self.what, code=repr(code),
                      codes=", ".join(self))

    def require(self, code: object, field: str) -> None:
        """Refuse ``code`` unless it is in the vocabulary (a field error)."""
        if not isinstance(code, str) or code not in self:
            raise InvalidCommand(self.refusal(code), field)

    def label(self, code: str, language: str) -> str:
        """The label in ``language`` (``pl`` or ``en``); an unknown code reads as itself."""
        labels = self.get(code)
        return code if labels is None else labels[0 if language == "pl" else 1]


ORGANISATION_KINDS = Vocabulary("organisation kind", {
    "research_institute": ("instytut badawczy", "research institute"),
    "education_authority": ("organ nadzoru pedagogicznego", "education authority"),
    "school": ("szkoła", "school"),
    "university": ("uczelnia", "university"),
    "employer": ("pracodawca", "employer"),
    "ngo": ("organizacja pozarządowa", "NGO"),
    "mediation_centre": ("centrum mediacji", "mediation centre"),
    "certifying_institution": ("instytucja certyfikująca", "certifying institution"),
    "labour_office": ("urząd pracy", "labour office"),
    "regional_government": ("samorząd województwa", "regional government"),
    "local_government": ("samorząd lokalny", "local government"),
    "employers_organisation": ("organizacja pracodawców", "employers' organisation"),
    "chamber": ("izba gospodarcza", "chamber of commerce"),
    "training_provider": ("instytucja szkoleniowa", "training provider"),
    "sectoral_skills_centre": ("branżowe centrum umiejętności", "sectoral skills centre"),
    "other": ("inna", "other"),
})

MEMBER_ROLES = Vocabulary("member role", {
    "leader": ("Lider Partnerstwa", "leader"),
    "leading_partner": ("Partner Wiodący", "leading partner"),
    "business_partner": ("Partner Biznesowy", "business partner"),
    "coordinator": ("Koordynator", "coordinator"),
    "partner": ("Partner", "partner"),
    "observer": ("Obserwator", "observer"),
})
LEADER = "leader"


class AccountRole(StrEnum):
    """What a person using the hub may do (see ``hub.authorisation``)."""

    MANAGER = "manager"  # sees and grows the network: every command
    AUDITOR = "auditor"  # reads everything, changes nothing
    PARTNER = "partner"  # reports cooperation for the one organisation the account is bound to


ACCOUNT_ROLES = Vocabulary("account role", {
    AccountRole.MANAGER: ("menedżer sieci", "network manager"),
    AccountRole.AUDITOR: ("audytor", "auditor"),
    AccountRole.PARTNER: ("partner", "partner"),
})

MEETING_FORMATS = Vocabulary("meeting format", {
    "conference": ("konferencja", "conference"),
    "seminar": ("seminarium", "seminar"),
    "lecture": ("prelekcja", "lecture"),
    "workshop": ("warsztaty", "workshop"),
    "webinar": ("webinarium", "webinar"),
    "study_visit": ("wizyta studyjna", "study visit"),
    "other": ("inne", "other"),
})

SCOPES = Vocabulary("scope", {
    "regional": ("regionalne", "regional"),
    "supra-regional": ("ponadregionalne", "supra-regional"),
    "national": ("krajowe", "national"),
})

MEETING_STATUSES = Vocabulary("meeting status", {
    "announced": ("zapowiedziane", "announced"),
    "held": ("odbyło się", "held"),
    "cancelled": ("odwołane", "cancelled"),
})

EXCHANGE_STATUSES = Vocabulary("exchange status", {
    "unconfirmed": ("niepotwierdzona", "unconfirmed"),
    "confirmed": ("potwierdzona", "confirmed"),
    "disputed": ("zakwestionowana", "disputed"),
    "retracted": ("wycofana", "retracted"),
})

QUALIFICATION_TYPES = Vocabulary("qualification type", {
    "full": ("pełna", "full"),
    "partial": ("cząstkowa", "partial"),
})

INITIATIVE_STATUSES = Vocabulary("initiative status", {
    "drafted": ("w przygotowaniu", "drafted"),
    "submitted": ("złożona do ZRK", "submitted to the register"),
    "included": ("włączona do ZSK", "included in the register"),
})

# The seven areas of activity named in the Podkarpackie agreement (2020-12-08).
# Partnerships may declare free areas too, with codes of their own (so this list refuses nothing).
STANDARD_AREAS = Vocabulary("area", {
    "A1": (
        "upowszechnianie idei uczenia się przez całe życie (LLL) i rozwiązań ZSK "
        "poprzez organizowanie wydarzeń, konferencji, seminariów, prelekcji",
        "promoting lifelong learning and the Integrated Qualifications System through "
        "events, conferences, seminars and lectures",
    ),
    "A2": (
        "inicjowanie, konsultowanie i wspieranie procesu opisu oraz włączania "
        "kwalifikacji rynkowych",
        "initiating, consulting and supporting the description and inclusion of "
        "market qualifications",
    ),
    "A3": (
        "prowadzenie działań stymulujących przyrost liczby kwalifikacji rynkowych oraz "
        "zwiększenie liczby Instytucji Certyfikujących w regionie",
        "stimulating growth in market qualifications and certifying institutions in "
        "the region",
    ),
    "A4": (
        "sieciowanie i wymiana doświadczeń z podmiotami działającymi w sferze edukacji "
        "oraz rynku pracy",
        "networking and exchanging experience with education and labour-market bodies",
    ),
    "A5": (
        "pilotaż modelowych rozwiązań systemowych na rzecz uczenia się przez całe "
        "życie poprzez wdrożenie rozwiązań ZSK na poziomie regionalnym i lokalnym",
        "piloting model lifelong-learning solutions by implementing the system "
        "regionally and locally",
    ),
    "A6": (
        "prowadzenie badań i analiz regionalnych w zakresie zapotrzebowania na "
        "kwalifikacje",
        "regional research and analysis of the demand for qualifications",
    ),
    "A7": (
        "sieciowanie z innymi partnerstwami regionalnymi i ponadregionalnymi",
        "networking with other regional and supra-regional partnerships",
    ),
})


def vocabularies() -> dict[str, Vocabulary]:
    """Every closed list by its name in the API, for people and programs that show the Polish labels."""
    return {
        "organisation_kinds": ORGANISATION_KINDS, "member_roles": MEMBER_ROLES, "account_roles": ACCOUNT_ROLES,
        "meeting_formats": MEETING_FORMATS, "meeting_statuses": MEETING_STATUSES,
        "exchange_statuses": EXCHANGE_STATUSES, "initiative_statuses": INITIATIVE_STATUSES,
        "qualification_types": QUALIFICATION_TYPES,
        "areas": STANDARD_AREAS, "scopes": SCOPES,
    }
