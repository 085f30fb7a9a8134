"""Key facts the record states (sex, study type, phase, healthy volunteers) and registry text
rendered from its Markdown, on real registry records (tests/data/records/SOURCE.md)."""

import html
import json
import re

import pytest
from flask_babel import force_locale

from tests.conftest import NCT, ROOT, translate
from trialfinder.trials import facts
from trialfinder.trials.registry_text import render_registry
from trialfinder.web.typography import space_text

LOCALES = ("es", "en", "ca", "fr", "pt", "ro", "ar")
RECORDS = ROOT / "tests" / "data" / "records"
OBSERVATIONAL = "NCT05594173"  # completed, observational, healthy volunteers, no phase
ESCAPED = "NCT06131398"  # criteria with \> \[ \] and nested '*' lists


def record(nct_id: str) -> dict:
    return json.loads((RECORDS / f"{nct_id}.json").read_text(encoding="utf-8"))


def shown_as(app, lang: str):
    """Return a function giving a message as the page shows it (French spacing included)."""
    spaced = space_text if lang == "fr" else str
    return lambda msgid: spaced(translate(app, lang, msgid))


def key_facts(page: str) -> dict[str, str]:
    """Return the first screen's facts as the visitor reads them, term -> value."""
    block = re.search(r'<dl class="facts facts-key">(.*?)</dl>', page, re.S).group(1)
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block, re.S)
    return {
        html.unescape(term): html.unescape(re.sub("<[^>]+>", "", value)) for term, value in pairs
    }


@pytest.fixture
def imported(runner):
    for nct_id in (OBSERVATIONAL, ESCAPED):
        result = runner.invoke(args=["trials", "import", str(RECORDS / f"{nct_id}.json")])
        assert result.exit_code == 0, result.output


@pytest.fixture
def in_locale(app):
    def run(lang: str, function, *args):
        with app.test_request_context(f"/{lang}/"), force_locale(lang):
            return str(function(*args))

    return run


@pytest.mark.parametrize(
    ("eligibility", "ages", "said"),
    [
        ({"sex": "FEMALE"}, (18, None), "Women only"),
        ({"sex": "FEMALE"}, (None, 17), "Girls only"),
        ({"sex": "FEMALE"}, (12, 65), "Women and girls only"),
        ({"sex": "FEMALE"}, (None, None), "Women and girls only"),  # no age limit: any age
        ({"sex": "MALE"}, (50, 80), "Men only"),
        ({"sex": "MALE"}, (1, 8), "Boys only"),
        ({"sex": "MALE"}, (0.5, 18), "Men and boys only"),  # at 18, an adult
        ({"sex": "MALE", "genderBased": True}, (18, None), "Men only (by gender)"),
        ({"sex": "MALE", "genderBased": True}, (1, 8), "Boys only (by gender)"),
        ({"sex": "ALL"}, (1, 8), ""),
        ({}, (None, None), ""),
    ],
)
def test_the_sex_limit_is_said_only_when_set_and_as_the_ages_call_the_people(
    in_locale, eligibility, ages, said
):
    """'Men only' for a study of boys of 1 to 8 would turn a parent away."""
    assert in_locale("en", facts.sex_limit, eligibility, *ages) == said


@pytest.mark.parametrize(
    ("lang", "phases", "said"),
    [
        ("en", ["PHASE1", "PHASE2"], "Phase 1 and Phase 2"),
        ("es", ["PHASE1", "PHASE2"], "Fase 1 y Fase 2"),
        ("en", ["EARLY_PHASE1"], "Early phase 1"),
        ("en", ["NA"], ""),
        ("fr", [], ""),
    ],
)
def test_phases_in_plain_words_and_not_applicable_hidden(in_locale, lang, phases, said):
    assert in_locale(lang, facts.phase_list, phases) == said


@pytest.mark.parametrize("lang", LOCALES)
def test_an_observational_record_says_its_type_and_healthy_volunteers(app, client, imported, lang):
    page = client.get(f"/{lang}/trials/{OBSERVATIONAL}/").get_data(as_text=True)
    shown = key_facts(page)
    t = shown_as(app, lang)
    observational = t("Observational: it watches and records, it gives no study treatment")
    assert shown[t("Type of study")] == observational
    assert shown[t("Healthy volunteers")] == t("Can take part")
    assert t("Phase") not in shown, "the record has no phase: nothing is said"
    assert t("Sex") not in shown, "the record takes everyone"
    assert t("Interventional: it tests a treatment or other care") not in page


@pytest.mark.parametrize("lang", LOCALES)
def test_the_shipped_trial_says_interventional_and_its_phase(app, client, lang):
    page = client.get(f"/{lang}/trials/{NCT}/").get_data(as_text=True)
    shown = key_facts(page)
    t = shown_as(app, lang)
    assert shown[t("Type of study")] == t("Interventional: it tests a treatment or other care")
    assert shown[t("Phase")] == t("Phase 1")
    assert t("Healthy volunteers") not in shown  # healthyVolunteers is false


def test_a_women_only_trial_says_so_on_its_first_screen(app, client, runner, tmp_path):
    from tests.sponsor_support import TEST_NCT, import_test_trial

    import_test_trial(runner, tmp_path)  # sex FEMALE in the record
    for lang in LOCALES:
        shown = key_facts(client.get(f"/{lang}/trials/{TEST_NCT}/").get_data(as_text=True))
        assert shown[translate(app, lang, "Sex")] == translate(app, lang, "Women only")


def test_registry_escapes_and_lists_read_as_written(client, imported):
    page = client.get(f"/en/trials/{ESCAPED}/").get_data(as_text=True)
    criteria = record(ESCAPED)["protocolSection"]["eligibilityModule"]["eligibilityCriteria"]
    assert "\\>" in criteria and "\\[" in criteria  # the record really has the escapes
    assert "\\&gt;" not in page and "\\[" not in page and "\\]" not in page
    item = r"<li>\s*(<p>)?Life expectancy of &gt; 3 months, in the opinion of the investigator\."
    assert re.search(item, page)
    # The nested list stays nested under its item.
    assert re.search(
        r"pre-screening:(</p>)?\s*<ul>\s*<li>Group A: NSCLC, CRC, GC, and melanoma", page
    )
    assert "<pre>" not in page.split('id="who-can-join"')[1].split("</section>")[0]


def test_the_shipped_records_criteria_are_a_list(client):
    page = client.get(f"/es/trials/{NCT}/").get_data(as_text=True)
    official = page.split('id="who-can-join"')[1].split("</section>")[0]
    assert official.count("<li>") >= 10
    assert "<li>Life expectancy greater than 12 weeks.</li>" in official
    assert "\n* " not in official


HOSTILE = [
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<img src=x onerror="alert(1)">',
    "![x](javascript:alert(1))",
    "* <iframe src=//evil.example></iframe>\n* `<svg onload=alert(1)>`",
    '<a href="javascript:alert(1)">x</a>',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_registry_text_runs_nothing(text):
    out = str(render_registry(text))
    assert not re.search(r"<(script|img|iframe|svg|a\s+href=\"(?!https?:|mailto:))", out, re.I), out
    assert "javascript:" not in re.findall(r'href="([^"]*)"', out)
    assert not re.search(r"<[a-z][^>]*\son\w+=", out, re.I), out


def test_web_links_in_a_record_stay_links():
    out = str(render_registry("See [the site](https://example.org/study) or *call* us."))
    assert '<a href="https://example.org/study">the site</a>' in out
    assert "<em>call</em>" in out


def test_hostile_text_in_an_imported_record_shows_as_text(client, runner, tmp_path):
    from tests.sponsor_support import TEST_NCT, import_test_trial, sample_record

    hostile = sample_record()
    hostile["protocolSection"]["eligibilityModule"]["eligibilityCriteria"] = "\n".join(HOSTILE)
    hostile["protocolSection"]["descriptionModule"]["briefSummary"] = HOSTILE[1]
    import_test_trial(runner, tmp_path, hostile)
    page = client.get(f"/en/trials/{TEST_NCT}/").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "javascript:alert" not in "".join(re.findall(r'href="([^"]*)"', page))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as the words it is


@pytest.mark.parametrize("lang", LOCALES)
def test_a_completed_study_gives_who_took_part_and_when_it_ended(app, client, imported, lang):
    page = client.get(f"/{lang}/trials/{OBSERVATIONAL}/").get_data(as_text=True)
    details = page.split('id="details"')[1].split("</section>")[0]
    t = shown_as(app, lang)
    pairs = {
        html.unescape(term): html.unescape(value)
        for term, value in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", details, re.S)
    }
    assert pairs[t("People who took part")] == "20"  # enrollmentInfo ACTUAL
    assert t("Number of participants") not in pairs  # never "about 20"
    assert t("Ended") in pairs and t("Expected to end") not in pairs


def test_a_gender_based_limit_shows_the_registrys_words(app, client, runner, tmp_path):
    from tests.sponsor_support import TEST_NCT, import_test_trial, sample_record

    words = "Participants who identify as women, including <transgender> women."
    record = sample_record(genderBased=True, genderDescription=words)
    import_test_trial(runner, tmp_path, record)
    page = client.get(f"/es/trials/{TEST_NCT}/").get_data(as_text=True)
    assert key_facts(page)["Sexo"] == translate(app, "es", "Women only (by gender)")
    escaped = "including &lt;transgender&gt; women."
    assert f'<dd><span lang="en" dir="ltr">Participants who identify as women, {escaped}' in page
    plain = client.get(f"/es/trials/{NCT}/").get_data(as_text=True)
    assert translate(app, "es", "Sex limit, in the registry's words") not in plain
