"""`flask trials new`: a sponsor's content folder for an imported trial, ready to fill in."""

import re

import pytest
import yaml

from tests.sponsor_support import TEST_NCT, import_test_trial
from trialfinder.leads.sites import load_operator_settings
from trialfinder.prescreen.questionnaire import load_questionnaire
from trialfinder.trials.content import content_path, read_content

LOCALES = ("es", "en", "ca", "fr", "pt", "ro", "ar")
TODO = re.compile(r"TODO: [^\n']*")


@pytest.fixture
def app_config(app_config, tmp_path):
    """A sponsor's own content folder (TRIALFINDER_CONTENT_DIR): the shipped site texts,
    termbase, generic FAQ and basic pre-screen, and no trial yet."""
    import shutil

    from trialfinder.config import ROOT

    shutil.copytree(ROOT / "content", tmp_path / "content", ignore=shutil.ignore_patterns("NCT*"))
    return app_config | {"CONTENT_DIR": str(tmp_path / "content")}


@pytest.fixture
def folder(app, runner, tmp_path):
    import_test_trial(runner, tmp_path)
    result = runner.invoke(args=["trials", "new", TEST_NCT])
    assert result.exit_code == 0, result.output
    assert "flask content check" in result.output
    return tmp_path / "content" / "trials" / TEST_NCT


def texts(data) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [text for key, value in data.items() if key != "id" for text in texts(value)]
    if isinstance(data, list):
        return [text for value in data for text in texts(value)]
    return []


def test_every_locale_file_has_every_key_the_pages_read(folder):
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [f"{lang}.yaml" for lang in LOCALES] + ["questionnaire.yaml", "sites.yaml", "record.json"]
    )
    for lang in LOCALES:
        content = read_content(content_path(str(folder.parent.parent), TEST_NCT, lang))
        assert content.reviewed is False
        assert [part["id"] for part in content.summary] == ["what", "who", "involves", "where"]
        assert set(content.who_can_join) == {
            "intro", "can_heading", "can", "cannot_heading", "cannot", "outro"
        }  # fmt: skip
        written = texts(yaml.safe_load((folder / f"{lang}.yaml").read_text(encoding="utf-8")))
        assert all("TODO: " in text for text in written), "every text is a TODO with its hint"
        raw = (folder / f"{lang}.yaml").read_text(encoding="utf-8")
        assert "TEST DATA: not a real trial" in raw  # the registry title, as a fact to start from
        assert "sites: 1, 1 recruiting (listed in sites.yaml)" in raw  # no list in 7 files
        assert "La Paz" not in raw
        assert "minimum 18, maximum 65" in raw and "FEMALE" in raw  # ages and sex
        assert "2025-07-08" in raw  # the start date


def test_questionnaire_is_seeded_from_the_basic_prescreen(folder):
    questionnaire = load_questionnaire(folder / "questionnaire.yaml")
    assert questionnaire.trial == TEST_NCT
    age = questionnaire.by_id["age_years"]
    assert (age.passes_at_least, age.passes_at_most) == (18, 65)
    assert age.reason == "The registry lists this study for ages 18 to 65 years."
    assert questionnaire.by_id["sex"].by_value["male"].verdict == "fail"
    text = (folder / "questionnaire.yaml").read_text(encoding="utf-8")
    assert "shown_if" in text and "type: integer" in text and "arms:" in text  # examples


def test_sites_file_names_each_site_with_an_address_and_language_to_confirm(folder):
    settings = load_operator_settings(folder.parent.parent, TEST_NCT)
    (site,) = settings.values()
    assert site.lead_email == ""  # the record has none: never guessed, never a placeholder
    assert site.staff_language == "es"
    text = (folder / "sites.yaml").read_text(encoding="utf-8")
    assert "TODO confirm" in text and "Hospital Universitario La Paz" in text
    assert "example" not in text


def test_refuses_to_overwrite(folder, runner):
    before = (folder / "es.yaml").read_text(encoding="utf-8")
    (folder / "es.yaml").write_text(before + "# edited\n", encoding="utf-8")
    result = runner.invoke(args=["trials", "new", TEST_NCT])
    assert result.exit_code == 1
    assert "refusing to overwrite" in result.output
    assert (folder / "es.yaml").read_text(encoding="utf-8").endswith("# edited\n")


def test_a_trial_that_is_not_imported_is_refused(runner, app):
    result = runner.invoke(args=["trials", "new", "NCT09990009"])
    assert result.exit_code == 1 and "flask trials import" in result.output


def fill(folder) -> None:
    """Replace every TODO with a plain sentence, as a sponsor would (test data)."""
    for lang in LOCALES:
        path = folder / f"{lang}.yaml"
        path.write_text(
            TODO.sub("This is a test text.", path.read_text(encoding="utf-8")), encoding="utf-8"
        )
    sites = folder / "sites.yaml"
    sites.write_text(
        sites.read_text(encoding="utf-8").replace("change-me@example.org", "team@test.invalid")
    )


def test_filled_scaffold_shows_on_the_trial_pages(folder, client):
    fill(folder)
    page = client.get(f"/en/trials/{TEST_NCT}/").get_data(as_text=True)
    assert "This is a test text." in page and "TODO" not in page
    assert 'id="glossary"' not in page  # no empty glossary heading
    faq = client.get(f"/en/trials/{TEST_NCT}/faq").get_data(as_text=True)
    assert "What is a clinical trial?" in faq


def test_content_check_fails_on_todo_and_passes_once_filled(folder, runner, app):
    """Needs `flask content check` (from the translations work): skipped until it is merged."""
    if "content" not in app.cli.commands:
        pytest.skip("`flask content check` is not in this branch yet")
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code != 0
    assert TEST_NCT in result.output and "TODO" in result.output
    fill(folder)
    # The seeded questionnaire.yaml is in English until its texts are translated in the
    # catalogs (docs/sponsors.md); without it the trial has the basic pre-screen, translated.
    result = runner.invoke(args=["content", "check"])
    assert "TODO" not in result.output
    assert "questionnaire.yaml" in result.output and "no catalog entry" in result.output
    (folder / "questionnaire.yaml").unlink()
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("lang", LOCALES)
def test_a_scaffold_is_a_draft_and_shows_no_todo(folder, client, runner, lang):
    """Until a locale file is complete, the page keeps the registry's title and text."""
    page = client.get(f"/{lang}/trials/{TEST_NCT}/").get_data(as_text=True)
    assert "TODO" not in page
    # The registry title, not a hint (fr spaces the colon), marked as English outside English.
    marked = "" if lang == "en" else '<span lang="en" dir="ltr">'
    assert re.search(
        f"<h1>{re.escape(marked)}[^<]*not a real trial{'</span>' * bool(marked)}</h1>", page
    )
    contact = client.get(f"/{lang}/trials/{TEST_NCT}/contact").get_data(as_text=True)
    assert "TODO" not in contact and "not a real trial" in contact
    faq = client.get(f"/{lang}/trials/{TEST_NCT}/faq").get_data(as_text=True)
    assert "TODO" not in faq


def test_a_draft_keeps_the_translated_basic_prescreen_and_is_not_searched(folder, client, runner):
    assert runner.invoke(args=["trials", "reindex"]).exit_code == 0
    start = client.get(f"/es/trials/{TEST_NCT}/prescreen")
    assert start.status_code == 200
    page = start.get_data(as_text=True)
    assert "TODO" not in page
    assert "Es una comprobación básica" in page  # the basic pre-screen, in Spanish
    found = client.get("/es/?q=todo").get_data(as_text=True).split('id="held"')[0]
    assert TEST_NCT not in found  # the scaffold's "TODO" hints are not in the index
