"""Run every rule over a content folder and the site's catalogs. Pure Python, no Flask."""

import json
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO
from pathlib import Path

import yaml

from trialfinder.leads.sites import SitesFileError, parse_sites, sites_path
from trialfinder.lib.files import yaml_problem
from trialfinder.lib.signoff import FIELDS as SIGNOFF_FIELDS
from trialfinder.lib.signoff import signoff_problems
from trialfinder.prescreen.questionnaire import QuestionnaireError, read_questionnaire
from trialfinder.sponsor import rules
from trialfinder.sponsor.readability import Score, scores
from trialfinder.sponsor.termbase import (
    TERMBASE_FILE,
    forbidden_variants,
    load_termbase,
    required_terms,
)
from trialfinder.sponsor.texts import (
    SOURCE,
    catalog_path,
    email_texts,
    flatten,
    locale_files,
    questionnaire_texts,
    read_catalog,
    read_yaml,
    trial_dirs,
)
from trialfinder.trials.content import shape_problems
from trialfinder.trials.services import RECORD_FILE, ImportFailed, read_records


@dataclass
class Report:
    """The problems found, and the readability figure of every en and es section."""

    problems: list[rules.Problem] = field(default_factory=list)
    readability: list[tuple[str, str, Score]] = field(default_factory=list)


def relative(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base.parent))
    except ValueError:
        return str(path)


def load(path: Path, name: str, owner: str, report: Report) -> dict | None:
    """Return a locale file's data, or None with a problem when it is missing or not a mapping."""
    if not path.is_file():
        report.problems.append(rules.Problem(name, owner, "missing: en has this file"))
        return None
    try:
        data = read_yaml(path)
    except yaml.YAMLError as error:
        message = yaml_problem(path, error).removeprefix(f"{path}: ")
        report.problems.append(rules.Problem(name, owner, message))
        return None
    if not isinstance(data, dict):
        report.problems.append(rules.Problem(name, owner, "must be a mapping of keys to texts"))
        return None
    return data


def texts_of(data: dict) -> dict[str, str]:
    """Return a file's texts by key; who signed the review and when are not texts."""
    return flatten({key: value for key, value in data.items() if key not in SIGNOFF_FIELDS})


def check_locale_file(name, data, source, lang, termbase) -> list[rules.Problem]:
    """The rules every trial or site file of a locale follows."""
    texts = texts_of(data)
    variants, allowed = forbidden_variants(termbase, lang)
    found = rules.forbidden(name, texts, variants, allowed)
    found += rules.register_forms(name, texts, lang, allowed)
    found += rules.required(name, texts, required_terms(termbase, lang))
    found += rules.glued_numbers(name, texts)
    found += rules.contact_details(name, texts)
    found += rules.misplaced_links(name, texts)
    found += rules.todos(name, source["owner"], texts)
    found += [rules.Problem(name, "reviewed", text) for text in signoff_problems(data)]
    if lang != SOURCE:
        found += rules.missing_keys(name, texts, source["texts"])
        found += rules.differences(name, texts, source["texts"])
    return found


def check_trial_file(name: str, data: dict, lang: str, context: dict, report: Report) -> None:
    """Check one trial file: the shared rules, its glossary links and its readability."""
    report.problems += check_locale_file(name, data, context["source"], lang, context["termbase"])
    owner = context["source"]["owner"]
    report.problems += [rules.Problem(name, owner, text) for text in shape_problems(data)]
    term_ids = {entry.get("id") for entry in data.get("glossary") or [] if isinstance(entry, dict)}
    report.problems += rules.dead_links(name, texts_of(data), term_ids)
    report.problems += rules.unlinked_terms(name, texts_of(data), term_ids)
    report.problems += rules.long_lede(name, texts_of(data))
    for score in scores(lang, data):
        report.readability.append((context["nct_id"], lang, score))
        if not score.passes:
            report.problems.append(rules.hard_to_read(name, score))


def check_trial(folder: Path, base: Path, locales, termbase, report: Report) -> None:
    owner = f"trial {folder.name}"
    source_path = folder / f"{SOURCE}.yaml"
    source_data = load(source_path, relative(source_path, base), owner, report) or {}
    source = {"owner": owner, "texts": texts_of(source_data)}
    context = {"source": source, "termbase": termbase, "nct_id": folder.name}
    for lang, path in locale_files(folder, locales).items():
        name = relative(path, base)
        data = load(path, name, owner, report) if lang != SOURCE else source_data
        if data:
            check_trial_file(name, data, lang, context, report)
    questionnaire = folder / "questionnaire.yaml"
    if questionnaire.is_file():
        try:
            if (trial := read_questionnaire(questionnaire).trial) != folder.name:
                message = f"'trial' says {trial}, not {folder.name}"
                report.problems.append(rules.Problem(relative(questionnaire, base), owner, message))
        except QuestionnaireError as error:
            report.problems.append(unreadable(questionnaire, base, owner, error))
        found = questionnaire_texts(questionnaire)
        texts = {f"line {line} ({where})": text for line, where, text in found}
        report.problems += rules.todos(relative(questionnaire, base), owner, texts)
    if (sites := sites_path(base, folder.name)).is_file():
        try:
            parse_sites(sites)
        except SitesFileError as error:
            report.problems.append(unreadable(sites, base, owner, error))
    if (record := folder / RECORD_FILE).is_file():
        try:
            read_records(record)
        except ImportFailed as error:  # the site starts without this trial
            report.problems.append(unreadable(record, base, owner, error))


def unreadable(path: Path, base: Path, owner: str, error: Exception) -> rules.Problem:
    """A file the site cannot read: it keeps serving the last good version until it is fixed."""
    return rules.Problem(relative(path, base), owner, str(error).removeprefix(f"{path}: "))


def check_site(base: Path, locales, termbase, report: Report) -> None:
    folder = base / "site"
    source_path = folder / f"{SOURCE}.yaml"
    source_data = load(source_path, relative(source_path, base), "site", report) or {}
    source = {"owner": "site", "texts": texts_of(source_data)}
    for lang, path in locale_files(folder, locales).items():
        name = relative(path, base)
        data = load(path, name, "site", report) if lang != SOURCE else source_data
        if data:
            report.problems += check_locale_file(name, data, source, lang, termbase)
            # Site texts have no glossary: any link in them opens nothing.
            report.problems += rules.dead_links(name, texts_of(data), set())


def check_generic_faq(base: Path, locales, termbase, report: Report) -> None:
    """The questions and answers shown for every trial follow the same rules as a trial's."""
    folder = base / "faq"
    if not folder.is_dir():
        return
    source_path = folder / f"{SOURCE}.yaml"
    owner = "generic FAQ"
    source_data = load(source_path, relative(source_path, base), owner, report) or {}
    source = {"owner": owner, "texts": texts_of(source_data)}
    for lang, path in locale_files(folder, locales).items():
        name = relative(path, base)
        data = load(path, name, owner, report) if lang != SOURCE else source_data
        if data:
            report.problems += check_locale_file(name, data, source, lang, termbase)
            for score in scores(lang, data):
                report.readability.append(("generic FAQ", lang, score))
                if not score.passes:
                    report.problems.append(rules.hard_to_read(name, score))


def questionnaire_files(base: Path) -> list[Path]:
    """Every questionnaire: each trial's own and the basic pre-screen's (content/prescreen)."""
    return sorted(base.glob("trials/*/questionnaire.yaml")) + sorted(base.glob("prescreen/*.yaml"))


def wanted_msgids(base: Path, templates_dir: Path | None = None) -> dict[str, str]:
    """Return the questionnaire and email texts every catalog must translate, and where they are."""
    wanted = {}
    for path in questionnaire_files(base):
        for line, _where, text in questionnaire_texts(path):
            wanted.setdefault(text, f"{relative(path, base)} line {line}")
    if templates_dir is not None and (templates_dir / "emails").is_dir():
        for name, line, msgid in email_texts(templates_dir):
            wanted.setdefault(msgid, f"{name} line {line}")
    return wanted


def check_sources(base: Path, templates_dir: Path | None, termbase, report: Report) -> None:
    """The English of the questionnaires and emails follows the termbase as a trial file does."""
    variants, allowed = forbidden_variants(termbase, SOURCE)
    for path in questionnaire_files(base):
        name = relative(path, base)
        found = questionnaire_texts(path)
        texts = {f"line {line} ({where})": text for line, where, text in found}
        report.problems += rules.forbidden(name, texts, variants, allowed)
        if path.parent.name == "prescreen":  # a trial's questionnaire: check_trial says it
            report.problems += rules.todos(name, "basic pre-screen", texts)
    if templates_dir is not None and (templates_dir / "emails").is_dir():
        by_file: dict[str, dict[str, str]] = {}
        for name, line, msgid in email_texts(templates_dir):
            by_file.setdefault(name, {})[f"line {line}"] = msgid
        for name, texts in by_file.items():
            report.problems += rules.forbidden(name, texts, variants, allowed)


def check_catalogs(
    base: Path, catalog_dir: Path, locales, termbase, report: Report, templates_dir=None
) -> None:
    """Check every catalog; a problem in a questionnaire's or an email's text says which."""
    wanted = json.dumps(wanted_msgids(base, templates_dir), sort_keys=True)
    rules_given = json.dumps(termbase, sort_keys=True, default=str)
    for lang in locales:
        path = catalog_path(catalog_dir, lang)
        name = relative(path, catalog_dir)
        if not path.is_file():
            report.problems.append(rules.Problem(name, lang, "missing catalog"))
            continue
        report.problems += catalog_problems(name, lang, path.read_bytes(), wanted, rules_given)


# A catalog's problems depend on its bytes, the texts it must translate and the termbase only:
# a process that checks content again and again (the tests, 60 times a run) checks an
# unchanged catalog once (two thirds of a check's 0.8 s).
@lru_cache(maxsize=32)
def catalog_problems(
    name: str, lang: str, po: bytes, wanted_json: str, termbase_json: str
) -> tuple[rules.Problem, ...]:
    """Return the problems of one catalog (its .po bytes) for a language."""
    wanted, termbase = json.loads(wanted_json), json.loads(termbase_json)
    entries = read_catalog(BytesIO(po), lang)
    problems = rules.catalog_entries(name, entries, wanted)
    texts = {where(e, wanted): " ".join(e.strings) for e in entries}
    variants, allowed = forbidden_variants(termbase, lang)
    problems += rules.forbidden(name, texts, variants, allowed)
    problems += rules.register_forms(name, texts, lang, allowed)
    problems += rules.required(name, texts, required_terms(termbase, lang))
    problems += rules.todos(name, f"catalog {lang}", texts)
    return tuple(problems)


def where(entry, sources: dict[str, str]) -> str:
    """'line 762 (content/trials/NCT…/questionnaire.yaml line 57)': the entry and its source."""
    source = sources.get(entry.msgid)
    return f"line {entry.line} ({source})" if source else f"line {entry.line}"


def check_content(
    content_dir: Path,
    catalog_dir: Path,
    locales: tuple[str, ...],
    templates_dir: Path | None = None,
) -> Report:
    """Check every trial, FAQ, site, questionnaire and email text and every catalog.

    `templates_dir` holds the email templates (templates/emails); without it emails are skipped.
    """
    report = Report()
    if not (content_dir / TERMBASE_FILE).is_file():
        report.problems.append(rules.Problem(str(content_dir / TERMBASE_FILE), "-", "missing"))
        termbase: dict = {}
    else:
        termbase = load_termbase(content_dir)
    for folder in trial_dirs(content_dir):
        check_trial(folder, content_dir, locales, termbase, report)
    check_site(content_dir, locales, termbase, report)
    check_generic_faq(content_dir, locales, termbase, report)
    check_sources(content_dir, templates_dir, termbase, report)
    check_catalogs(content_dir, catalog_dir, locales, termbase, report, templates_dir)
    return report
