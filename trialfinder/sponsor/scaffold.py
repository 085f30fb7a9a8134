"""`flask trials new`: the content files of a trial, ready to fill in. No Flask.

Every text a sponsor must write is "TODO: " and a one-line hint; `flask content check` fails
while any is left. Facts come from the imported registry record.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import yaml
from flask import current_app

from trialfinder.extensions import db
from trialfinder.leads.languages import country_language
from trialfinder.lib.files import trial_folder
from trialfinder.lib.locales import LOCALES
from trialfinder.lib.statuses import TAKING_PEOPLE
from trialfinder.prescreen import basic, seed
from trialfinder.prescreen.services import basic_template_path
from trialfinder.trials.models import Trial

RECRUITING = "RECRUITING"


@dataclass(frozen=True)
class Facts:
    """What the scaffold takes from an imported trial."""

    nct_id: str
    brief_title: str
    status: str
    min_age_years: float | None
    max_age_years: float | None
    sex: str
    start_date: str
    completion_date: str
    conditions: tuple[str, ...]
    sites: tuple[dict, ...]  # facility, city, country, status, emails
    central_emails: tuple[str, ...]
    record: dict


class Dumper(yaml.SafeDumper):
    """Write texts of several lines as | blocks, the way the shipped content is written."""


Dumper.add_representer(
    str,
    lambda dumper, text: dumper.represent_scalar(
        "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None
    ),
)


def dump(data: dict) -> str:
    return yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100)


def todo(hint: str) -> str:
    return f"TODO: {hint}"


def years(value: float | None) -> str:
    return "none" if value is None else f"{value:g}"


def fact_lines(facts: Facts) -> list[str]:
    """Return the registry facts, as comment lines for the top of each locale file."""
    lines = [
        f"Registry facts of {facts.nct_id} (they come from the record: change them there):",
        f"  title: {facts.brief_title}",
        f"  ages: minimum {years(facts.min_age_years)}, maximum {years(facts.max_age_years)}",
        f"  sex: {facts.sex}",
        f"  start: {facts.start_date or 'not given'}; end: {facts.completion_date or 'not given'}",
        f"  conditions: {'; '.join(facts.conditions) or 'not given'}",
    ]
    # The sites are listed once, in sites.yaml: a trial with a thousand sites keeps small files.
    recruiting = len(recruiting_sites(facts))
    lines.append(f"  sites: {len(facts.sites)}, {recruiting} recruiting (listed in sites.yaml)")
    return lines


def recruiting_sites(facts: Facts) -> list[dict]:
    """The sites looking for participants: none while the trial itself takes nobody."""
    if facts.status not in TAKING_PEOPLE:
        return []
    return [site for site in facts.sites if site["status"] == RECRUITING]


# The one-line hint of each text a sponsor writes (heading: the English heading to translate).
HINTS = {
    "title": "the study in plain words, in one line. Registry title: {title}",
    "what": ("heading 'What does this study test?'", "what it tests and why, in 3-5 sentences."),
    "who": ("heading 'Who is it for?'", "who may take part. Registry ages: {ages}; sex: {sex}."),
    "involves": (
        "heading 'What does taking part involve?'",
        "the main steps; say what the record does not say (visits, hospital stays).",
    ),
    "where": ("heading 'Where does it take place?'", "what a family far away should ask."),
    "intro": "one or two sentences: this list is short and simple; the study team decides.",
    "can_heading": "heading 'The study may be right for someone who:'",
    "can": "one main rule per line, from the registry criteria, in plain words.",
    "cannot_heading": "heading 'The study is not for someone who:'",
    "cannot": "one main exclusion per line, in plain words.",
    "outro": "what the team checks that a family cannot know at home.",
}


def summary_part(part_id: str, values: dict, body_start: str = "") -> dict:
    heading, hint = HINTS[part_id]
    return {
        "id": part_id,
        "heading": todo(heading),
        "body": body_start + todo(hint.format(**values)),
    }


def locale_content(facts: Facts) -> dict:
    """Return every key the trial pages read, with TODO hints and the record's facts."""
    values = {
        "title": facts.brief_title,
        "ages": f"minimum {years(facts.min_age_years)}, maximum {years(facts.max_age_years)}",
        "sex": facts.sex,
    }
    return {
        "reviewed": False,
        "generic_faq_off": [],
        "title": todo(HINTS["title"].format(**values)),
        "summary": [
            summary_part("what", values),
            summary_part("who", values),
            summary_part("involves", values),
            summary_part("where", values),
        ],
        "who_can_join": {
            key: [todo(HINTS[key])] if key in ("can", "cannot") else todo(HINTS[key])
            for key in ("intro", "can_heading", "can", "cannot_heading", "cannot", "outro")
        },
        "glossary": [],
        "faq": [],
    }


LOCALE_FOOTER = """
# glossary: words explained in place. Mark a word in any text as [words](#term_id).
#   - id: term_id
#     term: "The word"
#     definition: "One or two short sentences."
# faq: the trial's own questions; they come before the generic ones (content/faq/<lang>.yaml).
#   Use a generic id (what_is_trial, phases, new_treatment, is_it_free, how_to_take_part,
#   leaving_the_study, my_data, who_to_ask) to replace that answer, or list it in generic_faq_off.
#   - id: travel
#     question: "..."
#     answer: |
#       ...
"""


def locale_file(facts: Facts, lang: str) -> str:
    header = "".join(f"# {line}\n" for line in fact_lines(facts))
    body = dump(locale_content(facts))
    return f"# Content of {facts.nct_id} in {lang}.\n" + header + body + LOCALE_FOOTER


def sites_file(facts: Facts) -> str:
    """Return sites.yaml: each recruiting site's lead email and staff language, to confirm."""
    lines = [
        f"# Where the contact requests of {facts.nct_id} go, and the language its staff read.",
        "# TODO: confirm every address and language. A site with no address gets no request:",
        "# its requests go to the central contact or TRIALFINDER_DEFAULT_LEAD_EMAIL, and where",
        "# nobody would get them the site offers no contact form (a production start refuses it).",
        "# Only recruiting sites are listed: add one here when it starts to recruit.",
        "sites:",
    ]
    sites = recruiting_sites(facts)
    for site in sites:
        emails = list(site["emails"]) or list(facts.central_emails)
        country = site["country"] or "no country"
        lines.append(f"  - facility: {json.dumps(site['facility'], ensure_ascii=False)}")
        if emails:
            lines.append(f"    lead_email: {emails[0]}  # TODO confirm (from the registry)")
        else:
            lines.append("    # lead_email: TODO the coordinator's address (the registry has none)")
        language = country_language(site["country"])
        lines.append(f"    staff_language: {language}  # TODO confirm (from {country})")
    if not sites:
        lines.append("  []  # no site recruits: none in the record, or the study takes nobody now")
    return "\n".join(lines) + "\n"


def scaffold(facts: Facts, template: dict, locales: tuple[str, ...]) -> dict[str, str]:
    """Return every file of a new trial folder, by name."""
    files = {f"{lang}.yaml": locale_file(facts, lang) for lang in locales}
    limits = basic.limits_of(
        facts.nct_id, facts.record, facts.conditions, facts.min_age_years, facts.max_age_years
    )
    files["questionnaire.yaml"] = seed.questionnaire_file(limits, template)
    files["sites.yaml"] = sites_file(facts)
    return files


def write(folder: Path, files: dict[str, str], record: dict) -> list[Path]:
    """Write the files, refusing if any exists; add record.json when it is missing."""
    existing = [folder / name for name in files if (folder / name).exists()]
    if existing:
        raise FileExistsError(", ".join(str(path) for path in existing))
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    if not (folder / "record.json").exists():
        text = json.dumps(record, ensure_ascii=False, indent=2)
        (folder / "record.json").write_text(text + "\n", encoding="utf-8")
        written.append(folder / "record.json")
    return written


def new_content(nct_id: str) -> list[Path]:
    """Write the content scaffold of an imported trial under the content folder."""
    trial = db.session.get(Trial, nct_id)
    if trial is None:
        raise LookupError("not imported: run `flask trials import` with its record first")
    folder = trial_folder(current_app.config["CONTENT_DIR"], trial.nct_id)
    if folder.joinpath("questionnaire.yaml").exists() or any(
        folder.joinpath(f"{lang}.yaml").exists() for lang in LOCALES
    ):
        existing = sorted(str(path) for path in folder.glob("*.yaml"))
        raise FileExistsError(f"refusing to overwrite {', '.join(existing)}")
    facts = Facts(
        nct_id=trial.nct_id,
        brief_title=trial.brief_title,
        status=trial.status,
        min_age_years=trial.min_age_years,
        max_age_years=trial.max_age_years,
        sex=trial.sex,
        start_date=trial.start_date,
        completion_date=trial.completion_date,
        conditions=tuple(trial.conditions),
        sites=tuple(
            {k: getattr(site, k) for k in ("facility", "city", "country", "status", "emails")}
            for site in trial.sites
        ),
        central_emails=tuple(trial.central_emails),
        record=trial.record,
    )
    template = basic.load_template(basic_template_path())
    return write(folder, scaffold(facts, template, LOCALES), trial.record)
