"""Compile the .po catalogs into .mo files: at build time (setup.py) and by `make catalogs`.

Never at start: several workers booting together would all write the same files. This module
imports only Babel, so the wheel's build step can load it without the app's dependencies.
"""

import os
import sys
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def stale_catalogs(directory: Path) -> list[Path]:
    """Return every .po whose .mo is missing or older."""
    stale = []
    for po_path in sorted(Path(directory).glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            stale.append(po_path)
    return stale


def compile_catalogs(directory: Path) -> list[Path]:
    """Compile every .po whose .mo is missing or older; return the compiled paths.

    Each .mo is written to a file of its own name and renamed into place, so a reader (or a
    second compiler) never sees half a catalog.
    """
    compiled = []
    for po_path in stale_catalogs(directory):
        mo_path = po_path.with_suffix(".mo")
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        handle, tmp_name = tempfile.mkstemp(dir=mo_path.parent, prefix=".messages-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as mo_file:
                write_mo(mo_file, catalog)
            os.chmod(tmp_name, 0o644)
            os.replace(tmp_name, mo_path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        compiled.append(mo_path)
    return compiled


if __name__ == "__main__":  # python trialfinder/lib/catalogs.py translations (make catalogs)
    for path in compile_catalogs(Path(sys.argv[1] if len(sys.argv) > 1 else "translations")):
        print(f"compiled {path}")
