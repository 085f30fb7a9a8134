"""Importing registry records and keeping the search index; the finder is in finder.py."""

import json
import logging
from pathlib import Path

from flask import abort, current_app
from flask_babel import format_number
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from trialfinder.config import ROOT
from trialfinder.extensions import db
from trialfinder.lib.clock import utcnow
from trialfinder.lib.files import trial_folder
from trialfinder.lib.locales import LOCALES
from trialfinder.trials import faq as generic_faqs
from trialfinder.trials import labels, search_index, vocabulary, words
from trialfinder.trials.content import TrialContent, load_content, plain_text
from trialfinder.trials.models import AGES_UNSET, Site, Trial
from trialfinder.trials.registry import RecordError, StudyRecord, parse_study, studies_in
from trialfinder.web import content_version

RECORD_FILE = "record.json"
log = logging.getLogger(__name__)
SHIPPED_CONTENT = str(ROOT / "content")  # its vocabulary serves a sponsor's folder without one
FIELDS = (
    "brief_title official_title acronym status min_age_years max_age_years sex sponsor start_date "
    "completion_date last_update brief_summary detailed_description eligibility_criteria"
).split()
LIST_FIELDS = ("conditions", "keywords", "phases", "central_emails")
ANALYZE_AFTER = 100  # studies in one file: refresh the query planner's statistics
CHUNK = 500  # ids per IN (...) list


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


def trial_row(record: StudyRecord, version: str) -> dict:
    """Return the trial table's columns for a record."""
    row = {name: getattr(record, name) for name in FIELDS}
    row |= {name: list(getattr(record, name)) for name in LIST_FIELDS}
    return row | {"nct_id": record.nct_id, "record": record.raw, "version": version}


def site_rows(record: StudyRecord) -> list[dict]:
    """Return the site table's rows for a record, in registry order, with its age limits."""
    ages = {"youngest": record.min_age_years or 0.0, "oldest": record.max_age_years}
    ages["oldest"] = AGES_UNSET if ages["oldest"] is None else ages["oldest"]
    return [
        {**vars(site), "emails": list(site.emails), "trial_id": record.nct_id, "position": n} | ages
        for n, site in enumerate(record.sites)
    ]


def index_text(record: StudyRecord | Trial, content_dir: str) -> str:
    """Return what the finder searches, so that a family's own words find the trial.

    The registry's titles, conditions, keywords and summary; the places of its sites; every
    name, in the seven languages, of the conditions it names (content/vocabulary); and the
    trial's plain-language texts in every locale, except what a scaffold still marks TODO.
    """
    registry = [record.nct_id, record.acronym, record.brief_title, record.official_title]
    registry += [*record.conditions, *record.keywords]
    places = [text for site in record.sites for text in (site.facility, site.city)]
    written = trial_folder(content_dir, record.nct_id).is_dir()  # most imports: none
    plain = [
        text
        for lang in LOCALES
        if written and (content := load_content(content_dir, record.nct_id, lang))
        for text in content_texts(content)
        if "TODO" not in text
    ]
    named = vocabulary.load_vocabulary(content_dir, SHIPPED_CONTENT).expansions(*registry, *plain)
    return words.document(*registry, record.brief_summary, *places, *named, *plain)


def content_texts(content: TrialContent) -> list[str]:
    """Return the words a family reads on a trial's page: title, lede, summary, who can join."""
    texts = [content.title, content.lede]
    texts += [section.get(key) or "" for section in content.summary for key in ("heading", "body")]
    for value in content.who_can_join.values():
        texts += value if isinstance(value, list) else [value]
    texts += [entry.get("term") or "" for entry in content.glossary]
    return [plain_text(str(text)) for text in texts if text]


def known_versions(ids: list[str]) -> dict[str, str]:
    """Return the stored version of each of these trials that is already imported."""
    versions = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        query = select(Trial.nct_id, Trial.version).where(Trial.nct_id.in_(chunk))
        versions.update(db.session.execute(query).all())
    return versions


def store_all(records: list[StudyRecord]) -> dict[str, str]:
    """Insert or update trials in bulk; return 'new', 'changed' or 'same' for each."""
    latest = {record.nct_id: record for record in records}  # listed twice: the last one wins
    versions = {nct_id: record.version for nct_id, record in latest.items()}
    known = known_versions(list(latest))
    outcomes = {
        nct_id: "same" if known.get(nct_id) == version else "changed" if nct_id in known else "new"
        for nct_id, version in versions.items()
    }
    new = [latest[nct_id] for nct_id, outcome in outcomes.items() if outcome == "new"]
    changed = [latest[nct_id] for nct_id, outcome in outcomes.items() if outcome == "changed"]
    now = utcnow()
    if new:
        rows = [trial_row(r, versions[r.nct_id]) | {"imported_at": now} for r in new]
        # Core inserts: the ORM's bulk path costs more than the database does, at 1,000 a page.
        db.session.execute(insert(Trial.__table__), [row | {"changed_at": now} for row in rows])
    if changed:
        rows = [trial_row(r, versions[r.nct_id]) | {"changed_at": now} for r in changed]
        db.session.execute(update(Trial), rows)
        for start in range(0, len(changed), CHUNK):
            ids = [r.nct_id for r in changed[start : start + CHUNK]]
            db.session.execute(
                delete(Site).where(Site.trial_id.in_(ids)),
                execution_options={"synchronize_session": False},
            )
    sites = [row for record in new + changed for row in site_rows(record)]
    if sites:
        db.session.execute(insert(Site.__table__), sites)
    content_dir = current_app.config["CONTENT_DIR"]
    texts = {record.nct_id: index_text(record, content_dir) for record in new + changed}
    search_index.replace(db.session.connection(), texts)
    if new or changed:
        content_version.bump()  # cached pages are rebuilt, in every process
    return outcomes


def import_file(path: Path) -> dict[str, str]:
    """Import every study of a file in one transaction: all of it, or nothing."""
    records = read_records(path)
    try:
        outcomes = store_all(records)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if len(records) >= ANALYZE_AFTER:
        with db.engine.connect() as connection:
            search_index.analyze(connection.execution_options(isolation_level="AUTOCOMMIT"))
    return outcomes


def keep_in_title_order() -> bool:
    """After an import or a reindex: the search index's rows back in title order if needed."""
    with db.engine.connect() as connection:
        autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
        return search_index.keep_in_title_order(autocommit)


def shipped_records(content_dir: Path) -> list[Path]:
    """Return the record files shipped in the content folder."""
    return sorted(Path(content_dir).glob(f"trials/*/{RECORD_FILE}"))


def load_shipped(content_dir: Path) -> int:
    """Import the shipped records when the database holds no trial yet; return how many.

    A record that cannot be read is left out, with a warning that names it: the site serves
    the other trials, and `flask content check` fails on it until it is fixed.
    """
    if db.session.scalar(select(func.count()).select_from(Trial)):
        return 0
    imported = 0
    try:
        for path in shipped_records(content_dir):
            try:
                imported += len(import_file(path))
            except ImportFailed as error:
                log.warning("trial left out: %s", error)
    except IntegrityError:  # another worker starting at the same moment imported them first
        return 0
    return imported


def reindex() -> int:
    """Rebuild the whole search index (after plain-language titles change); return its size."""
    content_dir = current_app.config["CONTENT_DIR"]
    query = select(Trial).options(selectinload(Trial.sites)).execution_options(yield_per=CHUNK)
    trials = db.session.scalars(query)
    documents = ((trial.nct_id, index_text(trial, content_dir)) for trial in trials)
    count = search_index.rebuild(db.session.connection(), documents)
    content_version.bump()
    db.session.commit()
    keep_in_title_order()
    return count


def generic_faq(lang: str):
    """Return the generic FAQ from the content folder, else the one shipped with the site."""
    content_dir = current_app.config["CONTENT_DIR"]
    if not generic_faqs.faq_path(content_dir, lang).is_file():
        content_dir = ROOT / "content"
    return generic_faqs.load_generic(content_dir, lang)


def faq_entries(trial: Trial, content, generic) -> list[dict]:
    """Return the trial's own questions, then the generic ones with the record's facts."""
    facts = generic_faqs.record_facts(trial.record, trial.status)
    counts = ("enrolment", "enrolment_actual")
    shown = {
        "phase": ", ".join(labels.phase_label(code) for code in facts.get("phase", ())),
        **{name: format_number(facts[name]) for name in counts if name in facts},
        "start_date": labels.registry_date(facts.get("start_date", "")),
    }
    now = generic_faqs.situation(trial.record, trial.status)
    generic_entries = [
        entry | {"answer": generic_faqs.answer(entry, facts, shown, generic.lang)}
        for entry in generic_faqs.select(generic.faq if generic else [], now)
    ]
    own = content.faq if content else []
    return generic_faqs.merged(own, generic_entries, content.generic_faq_off if content else ())


def trial_title(trial: Trial, lang: str) -> str:
    """Return the trial's plain-language title in a language, else its registry title."""
    content = load_content(current_app.config["CONTENT_DIR"], trial.nct_id, lang)
    return content.title if content and content.title else trial.brief_title


def trial_or_404(nct_id: str) -> Trial:
    """Return an imported trial by its NCT id (any case), else answer 404 Not Found."""
    trial = db.session.get(Trial, nct_id.upper())
    if trial is None:
        abort(404)
    return trial
