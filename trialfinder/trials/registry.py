"""ClinicalTrials.gov API v2 study records, read into plain values. No Flask, no database."""

import hashlib
import json
import re
from dataclasses import dataclass, field

from trialfinder.lib.geo import place_site
from trialfinder.lib.nct import is_nct_id

AGE_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(year|month|week|day|hour|minute)s?\s*$", re.I)
UNITS_PER_YEAR = {
    "year": 1,
    "month": 12,
    "week": 52.1775,
    "day": 365.25,
    "hour": 8766,
    "minute": 525960,
}


class RecordError(ValueError):
    """A record that cannot be imported; names the field at fault."""

    def __init__(self, field_path: str, message: str):
        super().__init__(f"{field_path}: {message}")
        self.field = field_path
        self.message = message


@dataclass(frozen=True)
class SiteRecord:
    facility: str
    city: str
    state: str
    zip: str
    country: str
    status: str
    lat: float | None
    lon: float | None
    emails: tuple[str, ...] = ()


@dataclass(frozen=True)
class StudyRecord:
    nct_id: str
    brief_title: str
    official_title: str
    acronym: str
    status: str
    conditions: tuple[str, ...]
    keywords: tuple[str, ...]
    min_age_years: float | None
    max_age_years: float | None
    sex: str
    phases: tuple[str, ...]
    sponsor: str
    start_date: str
    completion_date: str
    last_update: str
    brief_summary: str
    detailed_description: str
    eligibility_criteria: str
    central_emails: tuple[str, ...]
    sites: tuple[SiteRecord, ...]
    raw: dict = field(repr=False, compare=False)

    @property
    def version(self) -> str:
        """Return a fingerprint of the record: it changes whenever the registry text changes."""
        canonical = json.dumps(self.raw, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]


# The top-level keys of a record from the registry's retired API v1.
V1_KEYS = frozenset({"FullStudiesResponse", "FullStudy", "StudyFieldsResponse"})


def studies_in(document: object) -> list[tuple[str, object]]:
    """Return (path, study) pairs from one study object or a search page."""
    if isinstance(document, dict) and V1_KEYS & document.keys():
        raise RecordError(
            next(iter(V1_KEYS & document.keys())),
            "is the registry's old API (v1): download the record from API v2 "
            "(https://clinicaltrials.gov/api/v2/studies/<NCT id>)",
        )
    if isinstance(document, dict) and "studies" in document:
        studies = document["studies"]
        if not isinstance(studies, list):
            raise RecordError("studies", "must be a list of study objects")
        return [(f"studies[{index}]", study) for index, study in enumerate(studies)]
    return [("", document)]


def parse_age(text: object, path: str) -> float | None:
    """Return an age such as '30 Years' or '6 Months' in years; None when absent or 'N/A'."""
    if text is None or text == "N/A":
        return None
    match = AGE_PATTERN.match(text) if isinstance(text, str) else None
    if not match:
        raise RecordError(path, f"is not an age such as '30 Years' (got {text!r})")
    return round(float(match.group(1)) / UNITS_PER_YEAR[match.group(2).lower()], 4)


class _Reader:
    """Typed access to nested JSON that reports the full path of a bad field."""

    def __init__(self, data: object, path: str):
        if not isinstance(data, dict):
            raise RecordError(path or "study", "must be a JSON object")
        self.data, self.path = data, path

    def _at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def obj(self, key: str, required: bool = False) -> "_Reader":
        value = self.data.get(key)
        if value is None and not required:
            value = {}
        if value is None:
            raise RecordError(self._at(key), "is missing")
        return _Reader(value, self._at(key))

    def text(self, key: str, required: bool = False) -> str:
        value = self.data.get(key)
        if value is None or (required and value == ""):
            if required:
                raise RecordError(self._at(key), "is missing")
            return ""
        if not isinstance(value, str):
            raise RecordError(self._at(key), "must be a string")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise RecordError(self._at(key), "must be a list of strings")
        return tuple(value)

    def objs(self, key: str) -> list["_Reader"]:
        value = self.data.get(key) or []
        if not isinstance(value, list):
            raise RecordError(self._at(key), "must be a list")
        return [_Reader(item, f"{self._at(key)}[{index}]") for index, item in enumerate(value)]

    def number(self, key: str, low: float, high: float) -> float | None:
        value = self.data.get(key)
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not low <= value <= high
        ):
            raise RecordError(self._at(key), f"must be a number from {low} to {high}")
        return float(value)

    def date(self, key: str) -> str:
        return self.obj(key).text("date")


def _emails(contacts: list[_Reader]) -> tuple[str, ...]:
    return tuple(email for contact in contacts if (email := contact.text("email").strip()))


def _site(location: _Reader) -> SiteRecord:
    point = location.obj("geoPoint")
    city, zip_code, country = location.text("city"), location.text("zip"), location.text("country")
    lat, lon = point.number("lat", -90, 90), point.number("lon", -180, 180)
    if lat is None or lon is None:
        # No map point in the record: its postal code or town places it, else it stays unplaced.
        found = place_site(city, zip_code, country)
        lat, lon = (found.lat, found.lon) if found else (None, None)
    return SiteRecord(
        facility=location.text("facility"),
        city=city,
        state=location.text("state"),
        zip=zip_code,
        country=country,
        status=location.text("status") or "UNKNOWN",
        lat=lat,
        lon=lon,
        emails=_emails(location.objs("contacts")),
    )


def parse_study(study: object, path: str = "") -> StudyRecord:
    """Read one v2 study object; raise RecordError naming the first bad field."""
    root = _Reader(study, path)
    protocol = root.obj("protocolSection", required=True)
    ident = protocol.obj("identificationModule", required=True)
    nct_id = ident.text("nctId", required=True)
    if not is_nct_id(nct_id):
        raise RecordError(
            ident._at("nctId"), f"is not an NCT number such as NCT01234567 (got {nct_id!r})"
        )
    status = protocol.obj("statusModule", required=True)
    description = protocol.obj("descriptionModule")
    eligibility = protocol.obj("eligibilityModule")
    contacts = protocol.obj("contactsLocationsModule")
    return StudyRecord(
        nct_id=nct_id,
        brief_title=ident.text("briefTitle", required=True),
        official_title=ident.text("officialTitle"),
        acronym=ident.text("acronym"),
        status=status.text("overallStatus", required=True),
        conditions=protocol.obj("conditionsModule").texts("conditions"),
        keywords=protocol.obj("conditionsModule").texts("keywords"),
        min_age_years=parse_age(eligibility.data.get("minimumAge"), eligibility._at("minimumAge")),
        max_age_years=parse_age(eligibility.data.get("maximumAge"), eligibility._at("maximumAge")),
        sex=eligibility.text("sex") or "ALL",
        phases=protocol.obj("designModule").texts("phases"),
        sponsor=protocol.obj("sponsorCollaboratorsModule").obj("leadSponsor").text("name"),
        start_date=status.date("startDateStruct"),
        completion_date=status.date("completionDateStruct"),
        last_update=status.date("lastUpdatePostDateStruct"),
        brief_summary=description.text("briefSummary"),
        detailed_description=description.text("detailedDescription"),
        eligibility_criteria=eligibility.text("eligibilityCriteria"),
        central_emails=_emails(contacts.objs("centralContacts")),
        sites=tuple(_site(location) for location in contacts.objs("locations")),
        raw=root.data,  # the study itself, once _Reader has checked it is an object
    )
