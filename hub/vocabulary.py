"""The closed lists of the domain: organisation kinds, member roles, account roles, meeting formats, areas.

Codes are stored in events; labels are for people (Polish first, English second).
Each list is a :class:`Vocabulary`, the one home of its codes, its labels and the
message that refuses an unknown code: the command schemas (``hub.commands``) and
the aggregates' rules both ask it, so a refusal reads the same wherever it is
caught.
"""

from __future__ import annotations

from enum import StrEnum

from hub.errors import InvalidCommand


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
        return f"unknown {self.what} {code!r}; one of: {', '.join(self)}"

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
    "other": ("inna", "other"),
})

MEMBER_ROLES = Vocabulary("member role", {
    "leader": ("Lider Partnerstwa", "leader"),
    "leading_partner": ("Partner Wiodący", "leading partner"),
    "business_partner": ("Partner Biznesowy", "business partner"),
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

# The seven areas of activity named in the Podkarpackie agreement (2020-12-08).
# Partnerships may declare free areas too, with codes of their own.
STANDARD_AREAS: dict[str, tuple[str, str]] = {
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
}
