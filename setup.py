"""The wheel's build step: the top-level folders become the package's shipped files.

The repository keeps templates/, static/, translations/ and content/ at its top; the wheel carries
them in trialfinder/shipped/, with the catalogs compiled, and trialfinder.config finds them there
when the package is installed (and the top-level folders when it runs from a checkout).
"""

import importlib.util
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SHIPPED_FOLDERS = ("templates", "static", "translations", "content")


def compile_catalogs(directory: Path) -> list[Path]:
    """Compile with trialfinder/lib/catalogs.py, loaded by path: the build has only Babel."""
    source = HERE / "trialfinder" / "lib" / "catalogs.py"
    spec = importlib.util.spec_from_file_location("catalogs", source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.compile_catalogs(directory)


class BuildWithShippedFiles(build_py):
    """Copy the shipped folders into the built package and compile the catalogs there."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout's own folders
        target = Path(self.build_lib) / "trialfinder" / "shipped"
        for name in SHIPPED_FOLDERS:
            shutil.rmtree(target / name, ignore_errors=True)
            shutil.copytree(
                HERE / name,
                target / name,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", ".*"),
            )
        if not compile_catalogs(target / "translations"):
            raise SystemExit("no catalog compiled: translations/*/LC_MESSAGES/*.po missing")


setup(cmdclass={"build_py": BuildWithShippedFiles})
