"""The closed lists of the domain: organisation kinds, member roles, meeting formats, areas.

Codes are stored in events; labels are for people (Polish first, English second).
"""

from __future__ import annotations

ORGANISATION_KINDS: dict[str, tuple[str, str]] = {
    "research_institute": ("instytut badawczy", "research institute"),
    "education_authority": ("organ nadzoru pedagogicznego", "education authority"),
    "school": ("szkoła", "school"),
    "university": ("uczelnia", "university"),
    "employer": ("pracodawca", "employer"),
    "ngo": ("organizacja pozarządowa", "NGO"),
    "mediation_centre": ("centrum mediacji", "mediation centre"),
    "certifying_institution": ("instytucja certyfikująca", "certifying institution"),
    "other": ("inna", "other"),
}

ROLES: dict[str, tuple[str, str]] = {
    "leader": ("Lider Partnerstwa", "leader"),
    "leading_partner": ("Partner Wiodący", "leading partner"),
    "business_partner": ("Partner Biznesowy", "business partner"),
    "partner": ("Partner", "partner"),
    "observer": ("Obserwator", "observer"),
}
LEADER = "leader"

MEETING_FORMATS: dict[str, tuple[str, str]] = {
    "conference": ("konferencja", "conference"),
    "seminar": ("seminarium", "seminar"),
    "lecture": ("prelekcja", "lecture"),
    "workshop": ("warsztaty", "workshop"),
    "webinar": ("webinarium", "webinar"),
    "study_visit": ("wizyta studyjna", "study visit"),
    "other": ("inne", "other"),
}

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
