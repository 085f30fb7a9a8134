"""Importing registry records and finding trials."""

import json
from dataclasses import asdict
from pathlib import Path

from sqlalchemy import func, or_, select

from ..extensions import db
from .models import Site, Trial, utcnow
from .registry import RecordError, StudyRecord, parse_study, studies_in

RECORD_FILE = "record.json"
FIELDS = (
    "brief_title official_title acronym status min_age_years max_age_years sex sponsor start_date "
    "completion_date last_update brief_summary detailed_description eligibility_criteria"
).split()
LIST_FIELDS = ("conditions", "keywords", "phases", "central_emails")


class ImportFailed(Exception):
    """A file could not be imported; the message names the file and the field."""


def read_records(path: Path) -> list[StudyRecord]:
    """Parse every study in a file, or raise ImportFailed naming the file and the field."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        return [parse_study(study, where) for where, study in studies_in(document)]
    except OSError as error:
        raise ImportFailed(f"{path}: cannot read the file ({error.strerror})") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ImportFailed(f"{path}: not valid JSON ({error})") from error
    except RecordError as error:
        raise ImportFailed(f"{path}: field {error.field} {error.message}") from error


def store(record: StudyRecord) -> str:
    """Insert or update one trial in the session; return 'new', 'changed' or 'same'."""
    trial = db.session.get(Trial, record.nct_id)
    if trial is not None and trial.version == record.version:
        return "same"
    outcome = "new" if trial is None else "changed"
    if trial is None:
        trial = Trial(nct_id=record.nct_id)
        db.session.add(trial)
    for name in FIELDS:
        setattr(trial, name, getattr(record, name))
    for name in LIST_FIELDS:
        setattr(trial, name, list(getattr(record, name)))
    trial.record, trial.version, trial.changed_at = record.raw, record.version, utcnow()
    trial.sites = [
        Site(position=index, **{**asdict(site), "emails": list(site.emails)})
        for index, site in enumerate(record.sites)
    ]
    return outcome


def import_file(path: Path) -> dict[str, str]:
    """Import every study of a file in one transaction: all of it, or nothing."""
    records = read_records(path)
    try:
        outcomes = {record.nct_id: store(record) for record in records}
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return outcomes


def shipped_records(content_dir: Path) -> list[Path]:
    """Return the record files shipped in the content folder."""
    return sorted(Path(content_dir).glob(f"trials/*/{RECORD_FILE}"))


def load_shipped(content_dir: Path) -> int:
    """Import the shipped records when the database holds no trial yet; return how many."""
    if db.session.scalar(select(func.count()).select_from(Trial)):
        return 0
    return sum(len(import_file(path)) for path in shipped_records(content_dir))


def search(words: str = "", age: float | None = None, status: str = "") -> list[Trial]:
    """Return trials matching all the words, open to the age, with the status."""
    query = select(Trial).order_by(Trial.brief_title)
    for word in words.split()[:10]:
        pattern = f"%{word}%"
        query = query.where(
            or_(
                Trial.brief_title.ilike(pattern),
                Trial.official_title.ilike(pattern),
                Trial.acronym.ilike(pattern),
                Trial.nct_id.ilike(pattern),
                Trial.brief_summary.ilike(pattern),
                func.cast(Trial.conditions, db.String).ilike(pattern),
                func.cast(Trial.keywords, db.String).ilike(pattern),
            )
        )
    if age is not None:
        query = query.where(or_(Trial.min_age_years.is_(None), Trial.min_age_years <= age))
        query = query.where(or_(Trial.max_age_years.is_(None), Trial.max_age_years >= age))
    if status:
        query = query.where(Trial.status == status)
    return list(db.session.scalars(query.limit(100)))
