"""Site-wide texts (privacy, accessibility) as content files, one per locale."""

from functools import lru_cache
from pathlib import Path

import yaml


@lru_cache(maxsize=32)
def _load(path: Path, _mtime: float) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def load_site_text(content_dir: str, lang: str) -> dict:
    """Return the site texts of a locale: {'privacy': {...}, 'accessibility': {...}}."""
    path = Path(content_dir) / "site" / f"{lang}.yaml"
    return _load(path, path.stat().st_mtime)
