"""The operator's file content/trials/<NCT>/sites.yaml: where each site's leads go. No Flask."""

from pathlib import Path

import yaml

from trialfinder.leads.routing import DEFAULT_STAFF_LANGUAGE, SiteSettings, facility_key
from trialfinder.lib.files import ContentFiles, read_yaml, trial_folder, yaml_problem
from trialfinder.lib.locales import LOCALES

SITES_FILE = "sites.yaml"


class SitesFileError(ValueError):
    """The operator file is malformed; the message names the file and the entry."""


def sites_path(content_dir: str | Path, nct_id: str) -> Path:
    """Return where a trial's operator file lives."""
    return trial_folder(content_dir, nct_id) / SITES_FILE


def load_operator_settings(content_dir: str | Path, nct_id: str) -> dict[str, SiteSettings]:
    """Return each site's settings by facility key; an absent file means no override."""
    return FILES.get(sites_path(content_dir, nct_id)) or {}


def parse_sites(path: Path) -> dict[str, SiteSettings]:
    try:
        data = read_yaml(path) or {}
    except yaml.YAMLError as error:
        raise SitesFileError(yaml_problem(path, error)) from None
    entries = data.get("sites") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise SitesFileError(f"{path}: expected a list under 'sites'")
    return dict(_entry(path, index, entry) for index, entry in enumerate(entries))


def _entry(path: Path, index: int, entry: object) -> tuple[str, SiteSettings]:
    where = f"{path}: sites[{index}]"
    if not isinstance(entry, dict) or not str(entry.get("facility") or "").strip():
        raise SitesFileError(f"{where}: each site needs a 'facility' name")
    email = str(entry.get("lead_email") or "").strip()
    if email and ("@" not in email or any(char.isspace() for char in email)):
        raise SitesFileError(f"{where}: lead_email is not an email address")
    language = str(entry.get("staff_language") or DEFAULT_STAFF_LANGUAGE)
    if language and language not in LOCALES:  # none given: the site's country decides
        raise SitesFileError(f"{where}: staff_language must be one of {', '.join(LOCALES)}")
    return facility_key(entry["facility"]), SiteSettings(email, language)


# A broken edit keeps the last good routing; a file never read well routes as if absent (to the
# registry's contacts), and a production start refuses it (checks.check_lead_addresses).
FILES = ContentFiles(parse_sites, (SitesFileError,))
