"""`content check` reads the questionnaires (each trial's and the basic pre-screen) and the email
texts like the trial files: their English follows the termbase, every catalog translates them, and
a problem in their translation names the questionnaire line or the template. Pure, no app."""

import shutil

import pytest
from babel.messages.pofile import read_po, write_po

from tests.conftest import ROOT
from trialfinder.lib.locales import LOCALES
from trialfinder.sponsor.checks import check_content

ALERT_LINK = "To start the alerts, follow this link within 7 days:"


@pytest.fixture
def copies(tmp_path):
    for folder in ("content", "templates", "translations"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("*.mo"))
    return tmp_path


def run(copies):
    return check_content(
        copies / "content", copies / "translations", LOCALES, copies / "templates"
    ).problems


def set_translation(copies, lang, msgid, text):
    path = copies / "translations" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po_file:
        catalog = read_po(po_file, locale=lang)
    catalog[msgid].string = text
    with path.open("wb") as po_file:
        write_po(po_file, catalog, width=100)


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_basic_prescreen_english_follows_the_termbase(copies):
    edit(
        copies / "content/prescreen/basic.yaml",
        "Any other health problem",
        "Any leukemia or other health problem",
    )
    found = [p for p in run(copies) if p.path == "content/prescreen/basic.yaml"]
    assert [p.message.split(":")[0] for p in found] == ["leukaemia"]


def test_an_email_text_missing_from_the_catalogs_is_named_with_its_template(copies):
    edit(
        copies / "templates/emails/alert_confirm/body.txt",
        "trialfinder\n",
        "{{ _('Keep this email.') }}\ntrialfinder\n",
    )
    missing = [p for p in run(copies) if p.text == "Keep this email."]
    assert len(missing) == len(LOCALES)
    assert all(p.where.startswith("templates/emails/alert_confirm/body.txt") for p in missing)


def test_the_quoted_singular_address_in_an_alert_email_is_found_and_placed(copies):
    # po:1124 at de61acd (review A-M1): «افتح» addresses one man in the alert emails.
    broken = "لبدء التنبيهات، افتح هذا الرابط خلال 7 أيام:"
    set_translation(copies, "ar", ALERT_LINK, broken)
    found = [p for p in run(copies) if p.text == broken]
    # Named by the verb rule, and by the termbase's list of forms where it also lists the word.
    assert found and all("افتح" in p.message for p in found)
    assert all("templates/emails/alert_confirm/body" in p.where for p in found)
    fixed = "لبدء التنبيهات، افتحوا هذا الرابط خلال 7 أيام:"
    set_translation(copies, "ar", ALERT_LINK, fixed)
    assert not [p for p in run(copies) if p.text == fixed]


def test_the_quoted_tu_form_in_a_questionnaire_is_placed_at_its_question(copies):
    # po:762 at de61acd (review M1): "¿Estás embarazada o dando el pecho?"
    path = copies / "translations/es/LC_MESSAGES/messages.po"
    with path.open("rb") as po_file:
        catalog = read_po(po_file, locale="es")
    msgid = next(m.id for m in catalog if "embarazada o dando el pecho" in str(m.string))
    set_translation(copies, "es", msgid, "¿Estás embarazada o dando el pecho?")
    found = [p for p in run(copies) if p.text == "¿Estás embarazada o dando el pecho?"]
    assert len(found) == 1 and "questionnaire.yaml line" in found[0].where
    set_translation(copies, "es", msgid, "¿Está embarazada o dando el pecho?")
    assert not [p for p in run(copies) if "embarazada o dando" in p.text]
