"""Every template compiles; email subjects are one line."""

from pathlib import Path

import pytest

from tests.conftest import ROOT

TEMPLATES = sorted(
    str(path.relative_to(ROOT / "templates"))
    for path in (ROOT / "templates").rglob("*")
    if path.is_file()
)


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_compiles(module_app, name):
    module_app.jinja_env.get_template(name)


@pytest.mark.parametrize("name", [name for name in TEMPLATES if name.endswith("subject.txt")])
def test_email_subject_template_is_one_line(name):
    text = (ROOT / "templates" / name).read_text(encoding="utf-8").strip()
    assert "\n" not in text, f"{name} spans several lines"
    assert Path(name).parent.joinpath("body.txt").as_posix() in TEMPLATES
    assert Path(name).parent.joinpath("body.html").as_posix() in TEMPLATES
