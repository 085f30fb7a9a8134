"""flask content check: passes the shipped content, and names file, key and text for each rule."""

import shutil

import pytest
import yaml
from click.testing import CliRunner
from flask.cli import cli as flask_command_line

from tests.conftest import ROOT
from trialfinder.lib.locales import LOCALES
from trialfinder.sponsor.checks import check_content
from trialfinder.sponsor.termbase import word_pattern

NCT = "NCT06709469"
TRIAL = f"content/trials/{NCT}"


@pytest.fixture
def copies(tmp_path):
    """A copy of the shipped content and catalogs that a test may break."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(
        ROOT / "translations", tmp_path / "translations", ignore=shutil.ignore_patterns("*.mo")
    )
    return tmp_path


@pytest.fixture
def check(make_app, copies):
    """Run `flask content check` on the copies; return (exit code, stdout, stderr)."""

    def run():
        app = make_app(
            CONTENT_DIR=str(copies / "content"),
            BABEL_TRANSLATION_DIRECTORIES=str(copies / "translations"),
        )
        result = app.test_cli_runner().invoke(args=["content", "check"])
        return result.exit_code, result.stdout, result.stderr

    return run


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def rewrite(path, change):
    """Load a YAML file, let change() edit the data, write it back in the same key order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def catalog(copies, lang):
    return copies / "translations" / lang / "LC_MESSAGES" / "messages.po"


def test_shipped_content_passes_with_a_figure_per_section(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.stderr
    assert "content check passed" in result.stdout
    out = result.stdout
    assert f"readability {NCT} en summary.what: Flesch-Kincaid grade" in out
    assert f"readability {NCT} es faq.how_long: Fernández-Huerta" in out
    assert out.count(f"readability {NCT} en ") == out.count(f"readability {NCT} es ") >= 19


def test_a_dead_glossary_link_is_named(check, copies):
    edit(copies / TRIAL / "fr.yaml", "[rechute](#relapse)", "[rechute](#rechute)")
    code, _out, err = check()
    assert code == 1
    assert f"{TRIAL}/fr.yaml: summary[what].body: glossary link to #rechute" in err


def test_a_forbidden_variant_in_a_trial_file_is_named(check, copies):
    edit(copies / TRIAL / "fr.yaml", "une espérance de vie de plus de", "vivra plus de")
    code, _out, err = check()
    assert code == 1
    assert f"{TRIAL}/fr.yaml: who_can_join.can[6]: life_expectancy: 'vivra' is forbidden" in err
    assert "'espérance de vie'" in err and "vivra plus de 12 semaines" in err


def test_a_forbidden_variant_in_a_site_file_is_named(check, copies):
    edit(copies / "content/site/ca.yaml", "Privadesa:", "Privacitat:")
    code, _out, err = check()
    assert code == 1
    assert "content/site/ca.yaml: privacy.title: privacy_page: 'privacitat' is forbidden" in err


def test_the_generic_faq_is_checked_like_a_trial_file(check, copies):
    edit(copies / "content/faq/ca.yaml", "pàgina de privadesa", "pàgina de privacitat")
    edit(copies / "content/faq/fr.yaml", "Phase 1", "Phase 7")
    code, _out, err = check()
    assert code == 1
    where = "content/faq/ca.yaml: faq[my_data].answer"
    assert f"{where}: privacy_page: 'privacitat' is forbidden" in err
    assert "content/faq/fr.yaml: faq[phases].answer: numbers differ from en" in err


def test_a_forbidden_variant_in_a_catalog_is_named_with_its_line(check, copies):
    edit(
        catalog(copies, "fr"),
        "Oui, les médecins parlent de SNC-3.",
        "Oui, les médecins parlent de CNS-3.",
    )
    code, _out, err = check()
    assert code == 1
    assert "translations/fr/LC_MESSAGES/messages.po: line " in err
    assert "cns: 'CNS' is forbidden, write 'SNC" in err


def test_the_register_of_a_locale_is_checked(check, copies):
    edit(catalog(copies, "pt"), "provavelmente por si", "provavelmente você")
    code, _out, err = check()
    assert code == 1
    assert "translations/pt/LC_MESSAGES/messages.po: line " in err
    assert "register: 'você' is forbidden" in err


def test_arabic_writes_western_digits_only(check, copies):
    edit(copies / TRIAL / "ar.yaml", "خلال آخر 4 أسابيع", "خلال آخر ٤ أسابيع")
    code, _out, err = check()
    assert code == 1
    assert (
        f"{TRIAL}/ar.yaml: who_can_join.cannot[0]: digits: 'Arabic-Indic digits' is forbidden"
        in err
    )


def test_an_allowed_phrase_keeps_a_variant_legal_only_there(check, copies):
    # "(en anglais, B-ALL)" is allowed in the glossary; B-ALL alone is not.
    edit(
        copies / TRIAL / "fr.yaml",
        "[LAL B](#b_all) avec le marqueur",
        "[B-ALL](#b_all) avec le marqueur",
    )
    code, _out, err = check()
    assert code == 1
    assert err.count("b_all: 'B-ALL' is forbidden") == 1


@pytest.mark.parametrize(
    ("broken", "message"),
    [("title: [unclosed\n", "line 2: not valid YAML"), ("- a list\n", "must be a mapping")],
)
def test_a_file_that_cannot_be_read_is_named_and_the_rest_still_checked(copies, broken, message):
    # The site keeps such a file's last good version (test_content_files.py); checked directly.
    (copies / TRIAL / "ro.yaml").write_text(broken, encoding="utf-8")
    edit(copies / TRIAL / "fr.yaml", "[rechute](#relapse)", "[rechute](#rechute)")
    report = check_content(copies / "content", copies / "translations", LOCALES)
    problems = [str(problem) for problem in report.problems]
    assert any(p.startswith(f"{TRIAL}/ro.yaml: trial {NCT}: {message}") for p in problems)
    assert any("glossary link to #rechute" in p for p in problems)


def test_a_missing_key_is_named(check, copies):
    rewrite(copies / TRIAL / "ro.yaml", lambda data: data["faq"][2].pop("answer"))
    code, _out, err = check()
    assert code == 1
    assert f"{TRIAL}/ro.yaml: faq[how_long].answer: missing: en has this text" in err


def test_contacts_links_and_the_lede_are_checked_in_trial_and_site_files(check, copies):
    def trial(data):
        data["lede"] = data["lede"] + " " + data["lede"]  # two ledes: too long for one line
        data["faq"][0]["answer"] += " Llame al +34 91 727 70 00."
        data["faq"][1]["question"] = "¿Qué es un [ensayo](#clinical_trial)?"

    rewrite(copies / TRIAL / "es.yaml", trial)
    rewrite(
        copies / "content/site/fr.yaml",
        lambda data: data["privacy"]["sections"][0].update(body="Écrivez à dpo@example.org."),
    )
    code, _out, err = check()
    assert code == 1
    assert f"{TRIAL}/es.yaml: lede: the line under the title is one line of at most 150" in err
    assert f"{TRIAL}/es.yaml: faq[what_is_trial].answer: '+34 91 727 70 00' looks like" in err
    assert f"{TRIAL}/es.yaml: faq[why_take_part].question: a glossary link where none" in err
    assert "content/site/fr.yaml: privacy.sections[0].body: 'dpo@example.org' looks like" in err


def test_a_missing_site_section_is_named(check, copies):
    rewrite(copies / "content/site/pt.yaml", lambda data: data["accessibility"]["sections"].pop())
    code, _out, err = check()
    assert code == 1
    assert "content/site/pt.yaml: accessibility.sections[4].heading: missing" in err


@pytest.mark.parametrize(
    ("lang", "old", "new", "message"),
    [
        (
            "es",
            "más de 12 semanas",
            "más de 10 semanas",
            "who_can_join.can[6]: numbers differ from en: ['12'] vs ['10']",
        ),
        (
            "ar",
            "8 يوليو 2025",
            "8 يوليو 2026",
            "faq[how_long].answer: numbers differ from en: ['1', '2025', '2030', '8'] vs "
            "['1', '2026', '2030', '8']",
        ),
    ],
)
def test_a_number_that_differs_from_en_is_named(check, copies, lang, old, new, message):
    edit(copies / TRIAL / f"{lang}.yaml", old, new)
    code, _out, err = check()
    assert code == 1
    assert f"{TRIAL}/{lang}.yaml: {message}" in err


def test_a_placeholder_that_differs_from_the_msgid_is_named(check, copies):
    edit(catalog(copies, "ro"), "Spital: %(site)s (%(city)s).", "Spital: %(site)s (%(oras)s).")
    code, _out, err = check()
    assert code == 1
    assert "translations/ro/LC_MESSAGES/messages.po: line " in err
    assert "placeholders differ from en" in err and "%(oras)s" in err


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('msgstr "Sí, los médicos lo llaman SNC-3."', 'msgstr ""', "empty translation"),
        (
            "#. questionnaire cns_disease yes: label\n",
            "#. questionnaire cns_disease yes: label\n#, fuzzy\n",
            "fuzzy entry",
        ),
    ],
)
def test_an_empty_or_fuzzy_catalog_entry_is_named(check, copies, old, new, message):
    edit(catalog(copies, "es"), old, new)
    code, _out, err = check()
    assert code == 1
    assert "translations/es/LC_MESSAGES/messages.po: line " in err
    assert f"{message}: 'Yes, doctors call it CNS-3.'" in err


def test_a_questionnaire_text_without_a_catalog_entry_is_named(check, copies):
    edit(
        copies / TRIAL / "questionnaire.yaml",
        "Give the age in whole years.",
        "Give the age in years.",
    )
    code, _out, err = check()
    assert code == 1
    assert "missing: no catalog entry for this text: 'Give the age in years.'" in err
    assert f"{TRIAL}/questionnaire.yaml line " in err


def test_a_todo_names_the_file_the_trial_and_every_key(check, copies):
    path = copies / TRIAL / "pt.yaml"
    edit(
        path,
        "Ninguém pode prometer que o tratamento",
        "TODO Ninguém pode prometer que o tratamento",
    )
    rewrite(path, lambda data: data.update(title="TODO: título"))
    code, _out, err = check()
    assert code == 1
    assert f"{TRIAL}/pt.yaml: trial {NCT}: TODO left in 2 texts: title, summary[what].body" in err


def test_a_todo_in_the_questionnaire_is_named(check, copies):
    edit(copies / TRIAL / "questionnaire.yaml", '"How old are you?"', '"TODO How old are you?"')
    code, _out, err = check()
    assert code == 1
    assert f"{TRIAL}/questionnaire.yaml: trial {NCT}: TODO left in 1 texts: line " in err


@pytest.mark.parametrize(
    ("lang", "section", "measure"),
    [("en", "faq.how_long", "Flesch-Kincaid grade"), ("es", "faq.how_long", "Fernández-Huerta")],
)
def test_a_section_too_hard_to_read_fails_with_its_figure(check, copies, lang, section, measure):
    hard = {
        "en": "Notwithstanding considerable heterogeneity, investigational autologous lymphocyte "
        "immunotherapies demonstrated unprecedented hematological reconstitution characteristics.",
        "es": "Independientemente de consideraciones metodológicas, las inmunoterapias "
        "experimentales autólogas demostraron características hematológicas extraordinariamente "
        "heterogéneas.",
    }[lang]
    rewrite(copies / TRIAL / f"{lang}.yaml", lambda data: data["faq"][2].update(answer=hard))
    code, out, err = check()
    assert code == 1
    assert f"readability {NCT} {lang} {section}: {measure}" in out and "TOO HARD" in out
    assert f"{TRIAL}/{lang}.yaml: {section}: harder to read than allowed: {measure}" in err


def test_it_reads_trialfinder_content_dir_like_the_app(copies, tmp_path):
    """`flask --app trialfinder content check` as typed, run in this process: the command line
    builds the app from the environment (tests/app/test_wheel.py runs it as a process too)."""
    edit(copies / TRIAL / "ca.yaml", "[recaiguda](#relapse)", "[recaiguda](#recaiguda)")
    env = {
        "TRIALFINDER_CONTENT_DIR": str(copies / "content"),
        "TRIALFINDER_DATABASE_URL": f"sqlite:///{tmp_path / 'check.db'}",
        # Until non-signing commands start without them (issue 11), the app asks for both.
        "TRIALFINDER_SECRET_KEY": "content-check",
        "TRIALFINDER_LEAD_EMAIL_OVERRIDE": "coordinator@hospital.test",
    }
    command = ["--app", "trialfinder", "content", "check"]
    result = CliRunner().invoke(flask_command_line, command, env=env)
    assert result.exit_code == 1, result.output
    assert f"{TRIAL}/ca.yaml: summary[what].body: glossary link to #recaiguda" in result.stderr


def test_the_termbase_fixes_a_register_per_locale_and_the_issue_concepts():
    termbase = yaml.safe_load((ROOT / "content/terms/terms.yaml").read_text(encoding="utf-8"))
    assert set(termbase["register"]) == set(LOCALES)
    assert all(entry["address"].strip() for entry in termbase["register"].values())
    assert {"es", "en"} <= {
        lang for lang, entry in termbase["register"].items() if entry.get("why")
    }
    concepts = {concept["id"]: concept for concept in termbase["concepts"]}
    for wanted in ("arm", "leukaemia", "b_all", "t_all", "car_t", "lymphoapheresis", "marker"):
        assert wanted in concepts, wanted
    for wanted in ("haploidentical_donor", "cns", "remission", "relapse", "passcode", "notes"):
        assert wanted in concepts, wanted
    assert {"privacy_page", "study_team"} <= set(concepts)
    assert set(concepts["arm"]) - {"id", "note"} == set(LOCALES)


def test_no_preferred_term_is_one_of_its_own_forbidden_variants():
    termbase = yaml.safe_load((ROOT / "content/terms/terms.yaml").read_text(encoding="utf-8"))
    for concept in termbase["concepts"]:
        for lang in LOCALES:
            entry = concept.get(lang) or {}
            preferred = entry.get("preferred", "")
            allowed = [phrase for phrase in entry.get("allowed", []) if phrase in preferred]
            for words in entry.get("forbidden", []):
                clean = preferred
                for phrase in allowed:
                    clean = clean.replace(phrase, " ")
                assert not word_pattern(words).search(clean), (concept["id"], lang, words)
