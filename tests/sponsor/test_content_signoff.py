"""Signed reviews: `reviewed: true` counts only with a named reviewer (and role) and a date."""

import shutil
from datetime import date

import pytest
import yaml

from tests.conftest import ROOT
from trialfinder.lib.locales import LOCALES
from trialfinder.lib.signoff import signed, signoff_problems
from trialfinder.sponsor.checks import check_content

NCT = "NCT06709469"
SIGNER = {"reviewed_by": "Ana Ruiz Gómez, medical translator", "reviewed_on": date(2026, 12, 4)}
NOTICE_ES = "Esta traducción"  # the start of the not-yet-checked notice in Spanish


@pytest.mark.parametrize(
    "data",
    [
        {"reviewed": True},  # the shipped es.yaml of de61acd
        {"reviewed": True, "reviewed_by": "Ana Ruiz Gómez, medical translator"},
        {"reviewed": True, "reviewed_on": date(2026, 12, 4)},
        {"reviewed": True, "reviewed_by": "Ana Ruiz", "reviewed_on": date(2026, 12, 4)},  # no role
        {"reviewed": True, "reviewed_by": "Ana Ruiz, translator", "reviewed_on": "last week"},
    ],
)
def test_an_unsigned_review_is_refused_and_does_not_count(data):
    assert signoff_problems(data)
    assert not signed(data["reviewed"], data.get("reviewed_by"), data.get("reviewed_on"))


def test_a_signed_review_counts():
    assert signoff_problems({"reviewed": True, **SIGNER}) == []
    assert signed(True, SIGNER["reviewed_by"], SIGNER["reviewed_on"])
    assert signed(True, SIGNER["reviewed_by"], "2026-12-04")  # a quoted date is read too
    assert not signed(False, SIGNER["reviewed_by"], SIGNER["reviewed_on"])
    assert signoff_problems({"reviewed": False}) == []


def sign(path, **fields):
    """Mark a content file reviewed, with the sign-off fields given (none: unsigned)."""
    data = {"reviewed": True, **fields}
    data |= {
        k: v
        for k, v in yaml.safe_load(path.read_text(encoding="utf-8")).items()
        if k not in ("reviewed", *fields)
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def content_copy(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path / "content"


def test_content_check_names_every_unsigned_review(content_copy):
    sign(content_copy / f"trials/{NCT}/es.yaml")
    sign(content_copy / "faq/es.yaml")
    report = check_content(content_copy, ROOT / "translations", LOCALES)
    unsigned = {p.path for p in report.problems if "without reviewed_by" in p.message}
    assert {f"content/trials/{NCT}/es.yaml", "content/faq/es.yaml"} <= unsigned
    sign(content_copy / f"trials/{NCT}/es.yaml", **SIGNER)
    sign(content_copy / "faq/es.yaml", **SIGNER)
    report = check_content(content_copy, ROOT / "translations", LOCALES)
    signed_files = {f"content/trials/{NCT}/es.yaml", "content/faq/es.yaml"}
    assert not [p for p in report.problems if p.path in signed_files and p.where == "reviewed"]


def test_the_page_says_not_yet_checked_until_the_review_is_signed(make_app, content_copy):
    sign(content_copy / f"trials/{NCT}/es.yaml")
    sign(content_copy / "faq/es.yaml")
    client = make_app(CONTENT_DIR=str(content_copy)).test_client()
    for page in (f"/es/trials/{NCT}/", f"/es/trials/{NCT}/faq"):
        assert NOTICE_ES in client.get(page).get_data(as_text=True), page
    sign(content_copy / f"trials/{NCT}/es.yaml", **SIGNER)
    sign(content_copy / "faq/es.yaml", **SIGNER)
    client = make_app(CONTENT_DIR=str(content_copy)).test_client()
    for page in (f"/es/trials/{NCT}/", f"/es/trials/{NCT}/faq"):
        assert NOTICE_ES not in client.get(page).get_data(as_text=True), page
    # The other languages are still unsigned: they keep the notice.
    assert 'class="callout callout-warning notice"' in client.get(f"/ca/trials/{NCT}/").get_data(
        as_text=True
    )
