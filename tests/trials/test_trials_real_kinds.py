"""Real records of kinds the others lack (tests/data/records/SOURCE.md): what a family sees.

NCT06388018 (NRG-GY032): recruiting, women only, 18 years and older, one site in Providence.
NCT04267848_full.json (ALCHEMIST Chemo-IO): recruiting, 1,148 sites in the United States and
Guam, 659 of them recruiting, the others suspended or active but not recruiting.
NCT00841061 (iron in cereals for breastfed infants): completed, ages 28 days to 1 year, healthy
volunteers, one site in Iowa City: the only full real record with ages in days found so far.
search_phelan_limit5_20260811.json: a search page of five Phelan-McDermid studies, with the
fields its requester asked for (no sites, no sex); NCT07119606 among them is not yet recruiting,
ages 3 months to 99 years.
studies-small.json: a search page of two completed studies; NCT00517179 among them is for men
only, ages 50 to 80 years, with one site in Hong Kong (listed in China).
"""

import html
import json
import re
import shutil

import pytest
from flask_babel import force_locale, format_decimal, gettext, ngettext

from tests.conftest import ROOT, reading_app
from tests.contact_support import leads, post, reference_of
from trialfinder.extensions import db
from trialfinder.leads.checks import trials_and_sites
from trialfinder.prescreen import basic
from trialfinder.prescreen.engine import evaluate
from trialfinder.trials.models import Trial
from trialfinder.web.i18n import ngettext_count

RECORDS = ROOT / "tests" / "data" / "records"
WOMEN, MANY, DAYS = "NCT06388018", "NCT04267848", "NCT00841061"
FILES = {WOMEN: "NCT06388018.json", MANY: "NCT04267848_full.json", DAYS: "NCT00841061.json"}
LOCALES = ("es", "en", "ca", "fr", "pt", "ro", "ar")
PHELAN, MONTHS = "search_phelan_limit5_20260811.json", "NCT07119606"
SMALL, MEN = "studies-small.json", "NCT00517179"
MEN_ONLY = "The registry lists this study for men and boys only."
WOMEN_ONLY = "The registry lists this study for women and girls only."
# Measured: the page of the 1,148-site study is 155,647 bytes in English, 156,726 in Spanish and
# 171,744 in Arabic (in English: its list of 659 recruiting sites about 60 KB, its map 36 KB, the
# recruiting sites' names in its structured data; 174,803 bytes before those left out the rest).
PAGE_BOUND = 200_000
TEMPLATE = basic.load_template(ROOT / "content" / "prescreen" / "basic.yaml")


def content_with(folder, *ncts):
    """Write a content folder holding these records, each as its trial's record.json."""
    trials = folder / "content" / "trials"
    for nct in ncts:
        (trials / nct).mkdir(parents=True)
        shutil.copy(RECORDS / FILES[nct], trials / nct / "record.json")
    return folder / "content"


@pytest.fixture(scope="module")
def kinds_app(tmp_path_factory, migrated_databases):
    """One app on both records for the tests that only read (pages, the finder, pre-screens)."""
    folder = tmp_path_factory.mktemp("real-kinds")
    content = str(content_with(folder, WOMEN, MANY, DAYS))
    with reading_app(folder, migrated_databases, CONTENT_DIR=content) as app:
        # As a sponsor imports a search page: each of its studies becomes a trial.
        for page, studies in ((PHELAN, 5), (SMALL, 2)):
            imported = app.test_cli_runner().invoke(args=["trials", "import", str(RECORDS / page)])
            assert imported.exit_code == 0, imported.output
            assert imported.output.count(" new") == studies, imported.output
        yield app


@pytest.fixture
def reader(kinds_app):
    return kinds_app.test_client()


@pytest.fixture
def app_config(app_config, tmp_path):
    """For the contact tests (they store leads and send mail): the many-site study alone."""
    return app_config | {"CONTENT_DIR": str(content_with(tmp_path, MANY))}


def test_the_address_check_reads_each_trial_with_exactly_its_own_sites(kinds_app):
    """A production start reads trials and sites side by side, a chunk at a time: here studies
    without sites (the Phelan-McDermid page) lie between ones with one site and with 1,148."""
    with kinds_app.app_context():
        streamed = {trial.nct_id: sites for trial, sites in trials_and_sites()}
        stored = db.session.scalars(db.select(Trial)).all()
        assert {
            trial.nct_id: [site.facility for site in streamed[trial.nct_id]] for trial in stored
        } == {trial.nct_id: [site.facility for site in trial.sites] for trial in stored}
    assert len(streamed) == len(stored) == 10
    assert len(streamed[MANY]) == 1148 and streamed[MONTHS] == []


def said(app, lang: str, msgid: str, **values) -> str:
    with app.test_request_context(), force_locale(lang):
        return gettext(msgid, **values)


UNITS = {
    "year": ("%(age)s year", "%(age)s years"),
    "month": ("%(age)s month", "%(age)s months"),
    "day": ("%(age)s day", "%(age)s days"),
}


def years(app, lang: str, number: int, unit: str = "year") -> str:
    """'18 years' (or '3 months', '28 days') as the catalog of the language says it, with its
    plural form."""
    with app.test_request_context(), force_locale(lang):
        return ngettext(*UNITS[unit], number, age=format_decimal(number))


AGES_BETWEEN = "The registry lists this study for ages %(low)s to %(high)s."


def between(app, lang: str, msgid: str, low: tuple[int, str], high: int) -> str:
    """A message naming two ages, the lower in its own unit: 'From 3 months to 99 years'."""
    return said(app, lang, msgid, low=years(app, lang, *low), high=years(app, lang, high))


def fact(page: str, label: str) -> str | None:
    """Return the value of a key fact of a trial page (None when the page does not give it)."""
    found = re.search(rf"<dt>{re.escape(label)}</dt><dd>(.*?)</dd>", page, re.S)
    return found.group(1) if found else None


def record_sites(nct: str) -> list[dict]:
    record = json.loads((RECORDS / FILES[nct]).read_text(encoding="utf-8"))
    study = record["studies"][0] if "studies" in record else record
    return study["protocolSection"]["contactsLocationsModule"]["locations"]


def listed_sites(page: str) -> list[str]:
    """The places of the page's list of sites, as text: 'Facility, City (Country)'."""
    found = re.search(r'<ul class="sites">(.*?)</ul>', page, re.S)
    items = re.findall(r"<li>(.*?)</li>", found.group(1), re.S) if found else []
    return [html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]


def map_summary(page: str) -> str:
    found = re.search(r'<title id="site-map-title">(.*?)</title>', page, re.S)
    return html.unescape(found.group(1)) if found else ""


# ---- women only -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
def test_a_women_only_study_says_its_sex_and_ages_in_the_key_facts(kinds_app, reader, lang):
    page = reader.get(f"/{lang}/trials/{WOMEN}/").get_data(as_text=True)
    ages = said(kinds_app, lang, "%(low)s and older", low=years(kinds_app, lang, 18))
    assert fact(page, said(kinds_app, lang, "Ages")) == ages
    assert fact(page, said(kinds_app, lang, "Sex")) == said(kinds_app, lang, "Women only")
    assert "Providence" in fact(page, said(kinds_app, lang, "Where"))


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
def test_a_men_only_study_says_its_sex_and_ages_in_the_key_facts(kinds_app, reader, lang):
    page = reader.get(f"/{lang}/trials/{MEN}/").get_data(as_text=True)
    with kinds_app.test_request_context(), force_locale(lang):
        low = format_decimal(50)  # one unit, said once: "From 50 to 80 years"
    high = years(kinds_app, lang, 80)
    ages = said(kinds_app, lang, "From %(low)s to %(high)s", low=low, high=high)
    assert fact(page, said(kinds_app, lang, "Ages")) == ages
    assert fact(page, said(kinds_app, lang, "Sex")) == said(kinds_app, lang, "Men only")
    assert "Hong Kong" in fact(page, said(kinds_app, lang, "Where"))


@pytest.mark.parametrize("lang", LOCALES)
def test_a_registry_title_is_marked_as_english_where_the_page_is_not(reader, lang):
    """No plain-language title in this language: the registry's English one, marked so that a
    screen reader reads it in an English voice (WCAG 3.1.2) and Arabic keeps its order."""
    title = (
        "Effect of Vardenafil on Blood Pressure in Patients With Erectile Dysfunction Who "
        "Received Concomitant Doxazosin GITS"
    )
    shown = title if lang == "en" else f'<span lang="en" dir="ltr">{title}</span>'
    assert f"<h1>{shown}</h1>" in reader.get(f"/{lang}/trials/{MEN}/").get_data(as_text=True)
    assert f">{shown}</a></h3>" in reader.get(f"/{lang}/?q=prostatic").get_data(as_text=True)
    faq = reader.get(f"/{lang}/trials/{MEN}/faq").get_data(as_text=True)
    assert f'<p class="subtitle">{shown} · {MEN}</p>' in faq


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
def test_the_api_gives_a_woman_the_men_only_study_as_not_fitting(kinds_app, reader, lang):
    woman = reader.get(f"/api/v1/trials?q=prostatic&sex=female&lang={lang}").get_json()
    assert [item["nct_id"] for item in woman["results"]] == []
    (item,) = woman["not_fitting"]
    assert item["nct_id"] == MEN and item["sex"] == "MALE"
    assert item["fit"]["reasons"] == ["sex"]
    assert item["fit"]["text"] == [said(kinds_app, lang, MEN_ONLY)]
    man = reader.get(f"/api/v1/trials?q=prostatic&sex=male&age=60&lang={lang}").get_json()
    assert [item["nct_id"] for item in man["results"]] == [MEN] and man["not_fitting"] == []


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
def test_a_study_for_everyone_says_no_sex_limit(kinds_app, reader, lang):
    page = reader.get(f"/{lang}/trials/{MANY}/").get_data(as_text=True)
    assert fact(page, said(kinds_app, lang, "Sex")) is None
    ages = said(kinds_app, lang, "%(low)s and older", low=years(kinds_app, lang, 18))
    assert fact(page, said(kinds_app, lang, "Ages")) == ages


def test_the_finder_shows_a_man_the_women_only_study_only_as_not_his_sex(kinds_app, reader):
    page = reader.get("/en/?q=endometrial&sex=male").get_data(as_text=True)
    fitting, _, outside = page.partition('<h2 id="not-fitting">')
    assert f"/en/trials/{WOMEN}/" not in fitting
    assert said(kinds_app, "en", "Trials that match your search, but not this age or sex") in (
        '<h2 id="not-fitting">' + outside
    )
    assert f"/en/trials/{WOMEN}/" in outside and said(kinds_app, "en", WOMEN_ONLY) in outside
    woman = reader.get("/en/?q=endometrial&sex=female").get_data(as_text=True)
    fitting, _, outside = woman.partition('<h2 id="not-fitting">')
    assert f"/en/trials/{WOMEN}/" in fitting and f"/en/trials/{WOMEN}/" not in outside


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
def test_the_api_gives_a_man_the_women_only_study_as_not_fitting(kinds_app, reader, lang):
    man = reader.get(f"/api/v1/trials?q=endometrial&sex=male&lang={lang}").get_json()
    assert [item["nct_id"] for item in man["results"]] == []
    (item,) = man["not_fitting"]
    assert item["nct_id"] == WOMEN and item["sex"] == "FEMALE"
    assert item["fit"]["code"] == "does_not_fit" and item["fit"]["reasons"] == ["sex"]
    assert item["fit"]["text"] == [said(kinds_app, lang, WOMEN_ONLY)]
    woman = reader.get(f"/api/v1/trials?q=endometrial&sex=female&age=50&lang={lang}").get_json()
    assert [item["nct_id"] for item in woman["results"]] == [WOMEN]
    assert woman["results"][0]["fit"]["code"] == "may_fit" and woman["not_fitting"] == []


def test_the_women_only_study_is_open_so_its_prescreen_asks_the_sex(reader):
    record = json.loads((RECORDS / FILES[WOMEN]).read_text(encoding="utf-8"))
    assert record["studies"][0]["protocolSection"]["statusModule"]["overallStatus"] == "RECRUITING"
    questions = reader.get(f"/api/v1/trials/{WOMEN}/questionnaire?lang=en").get_json()
    assert {"age_years", "sex"} <= {question["id"] for question in questions["questions"]}


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
def test_the_prescreen_does_not_fit_a_man_or_a_girl_of_17(kinds_app, reader, lang):
    url = f"/api/v1/trials/{WOMEN}/prescreen?lang={lang}"

    def result(**answers):
        reply = reader.post(url, json={"answers": {"has_condition": "yes"} | answers})
        assert reply.status_code == 200, reply.get_data(as_text=True)
        return reply.get_json()

    man = result(sex="male", age_years=40)
    assert man["fit"] == "unlikely"
    assert man["reasons"] == [{"question": "sex", "text": said(kinds_app, lang, WOMEN_ONLY)}]
    girl = result(sex="female", age_years=17)
    assert girl["fit"] == "unlikely"
    over = said(
        kinds_app,
        lang,
        "The registry lists this study for ages %(low)s and over.",
        low=years(kinds_app, lang, 18),
    )
    assert girl["reasons"] == [{"question": "age_years", "text": over}]
    woman = result(sex="female", age_years=18)
    assert woman["fit"] == "likely" and woman["reasons"] == []


# ---- ages in days -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LOCALES)
@pytest.mark.parametrize(
    ("nct", "low", "high", "english", "in_years"),
    [
        (DAYS, (28, "day"), 1, "From 28 days to 1 year", "0.07"),
        (MONTHS, (3, "month"), 99, "From 3 months to 99 years", "0.25"),
    ],
    ids=["days", "months"],
)
def test_ages_in_days_or_months_are_said_in_their_unit_in_every_locale(
    kinds_app, reader, nct, low, high, english, in_years, lang
):
    page = reader.get(f"/{lang}/trials/{nct}/").get_data(as_text=True)
    ages = between(kinds_app, lang, "From %(low)s to %(high)s", low, high)
    assert fact(page, said(kinds_app, lang, "Ages")) == ages
    assert in_years not in page and in_years.replace(".", ",") not in page  # the lower age
    if lang == "en":
        assert ages == english


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_of_five_phelan_mcdermid_studies_a_baby_of_6_months_fits_the_one_from_3_months(
    kinds_app, reader, lang
):
    baby = reader.get(f"/api/v1/trials?q=phelan&age=0.5&lang={lang}").get_json()
    assert [item["nct_id"] for item in baby["results"]] == [MONTHS]
    younger = reader.get(f"/api/v1/trials?q=phelan&age=0.2&lang={lang}").get_json()
    assert younger["results"] == []
    texts = {item["nct_id"]: item["fit"]["text"] for item in younger["not_fitting"]}
    assert texts[MONTHS] == [between(kinds_app, lang, AGES_BETWEEN, (3, "month"), 99)]


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
def test_the_finder_takes_a_baby_of_3_months_and_names_the_days_to_a_child_of_2(
    kinds_app, reader, lang
):
    baby = reader.get(f"/api/v1/trials?q=iron&age=0.25&lang={lang}").get_json()
    assert [item["nct_id"] for item in baby["results"]] == [DAYS]
    assert baby["results"][0]["fit"]["code"] == "may_fit"
    child = reader.get(f"/api/v1/trials?q=iron&age=2&lang={lang}").get_json()
    assert child["results"] == [] and [item["nct_id"] for item in child["not_fitting"]] == [DAYS]
    limits = between(kinds_app, lang, AGES_BETWEEN, (28, "day"), 1)
    assert child["not_fitting"][0]["fit"]["text"] == [limits]


@pytest.mark.parametrize(
    ("age", "fit"),
    [(0, "possible"), (1, "likely"), (2, "unlikely")],  # "0": 2 weeks or 6 months old
)
def test_the_basic_prescreen_leaves_a_baby_under_1_to_the_study_team(kinds_app, age, fit):
    with kinds_app.app_context():
        trial = db.session.get(Trial, DAYS)
        record, conditions = trial.record, trial.conditions
        ages = trial.min_age_years, trial.max_age_years
    questionnaire = basic.build(TEMPLATE, basic.limits_of(DAYS, record, conditions, *ages))
    result = evaluate(questionnaire, {"age_years": age, "has_condition": "yes"})
    assert result.fit == fit
    assert [finding.question for finding in result.to_check] == (
        ["age_years"] if fit == "possible" else []
    )
    assert [reason.question for reason in result.reasons] == (
        ["age_years"] if fit == "unlikely" else []
    )


# ---- 1,148 sites --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
def test_the_many_site_page_lists_only_the_recruiting_sites_and_stays_small(reader, lang):
    response = reader.get(f"/{lang}/trials/{MANY}/")
    assert response.status_code == 200
    assert len(response.get_data()) < PAGE_BOUND, len(response.get_data())
    page = response.get_data(as_text=True)
    sites = record_sites(MANY)
    recruiting = {(s["facility"], s["city"]) for s in sites if s["status"] == "RECRUITING"}
    closed = {(s["facility"], s["city"]) for s in sites if s["status"] != "RECRUITING"}
    assert len(sites) == 1148 and len(recruiting) == 659 and closed - recruiting
    listed = listed_sites(page)
    assert len(listed) == 659
    for facility, city in closed - recruiting:
        assert not any(item.startswith(f"{facility}, {city} (") for item in listed), facility
    for facility, city in recruiting:
        assert any(item.startswith(f"{facility}, {city} (") for item in listed), facility


def test_its_structured_data_names_the_recruiting_sites_only(reader):
    """Search engines are not sent to the 489 sites that take nobody (suspended, or closed)."""
    page = reader.get(f"/en/trials/{MANY}/").get_data(as_text=True)
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]
    )
    recruiting = [s["facility"] for s in record_sites(MANY) if s["status"] == "RECRUITING"]
    assert sorted(data["studyLocation"]) == sorted(recruiting)


def test_the_many_site_key_facts_name_three_places_and_count_the_rest(kinds_app, reader):
    page = reader.get(f"/en/trials/{MANY}/").get_data(as_text=True)
    where = html.unescape(re.sub(r"<[^>]+>", "", fact(page, "Where")))
    with kinds_app.test_request_context(), force_locale("en"):
        rest = ngettext_count("%(num)s more place", "%(num)s more places", 656)
    assert where.startswith("Katmai Oncology Group, Anchorage (United States), ")
    assert where.endswith(rest)


def test_the_map_says_how_many_hospitals_are_looking_for_participants(kinds_app, reader):
    """The map has one spot per town (480); its text counts the hospitals it places."""
    page = reader.get(f"/en/trials/{MANY}/").get_data(as_text=True)
    with kinds_app.app_context():  # placed by the record's map point, else by town or code
        sites = db.session.get(Trial, MANY).sites
        placed = [site for site in sites if site.status == "RECRUITING" and site.lat is not None]
    with kinds_app.test_request_context(), force_locale("en"):
        said_number = ngettext_count(
            "Map: %(num)s hospital looking for participants, %(sites)s.",
            "Map: %(num)s hospitals looking for participants, %(sites)s.",
            len(placed),
            sites="",
        )
    assert 600 < len(placed) <= len(listed_sites(page))
    assert map_summary(page).startswith(said_number.rstrip(". "))
    # It names the first twelve of its 480 towns and counts the others, for a screen reader.
    with kinds_app.test_request_context(), force_locale("en"):
        rest = ngettext_count("%(num)s more place", "%(num)s more places", 480 - 12)
    assert map_summary(page).endswith(f", and {rest}.")
    towns = map_summary(page).split("participants, ", 1)[1].split(", ")
    assert len(towns) == 13 and towns[0] == "Anchorage"  # twelve, then "and 468 more places."


def sent_page(client, response) -> str:
    reference_of(response)
    return html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))


def test_a_family_near_a_recruiting_site_with_an_address_reaches_it(app, smtp):
    client = app.test_client()
    assert client.get(f"/en/trials/{MANY}/contact").status_code == 200
    page = sent_page(client, post(client, "en", MANY, country="US", postal_code="44870", phone=""))
    (lead,) = leads(app)
    assert lead.location_label == "Sandusky"
    assert (lead.site_facility, lead.site_city) == ("North Coast Cancer Care", "Sandusky")
    assert lead.distance_km is not None and lead.distance_km < 10
    assert len(smtp.to("TaussigResearch@ccf.org")) == 1
    assert "It is the nearest hospital taking part" in page and "North Coast Cancer Care" in page


def test_a_family_in_boston_reaches_a_recruiting_site_near_boston(app, smtp):
    client = app.test_client()
    reference_of(post(client, "en", MANY, country="US", postal_code="02215", phone=""))
    (lead,) = leads(app)
    assert lead.location_label == "Boston"
    # The three Boston sites give a phone only; the nearest recruiting site that gives an
    # address is Lahey Hospital and Medical Center (Burlington, 19 km).
    sites = {(site["facility"], site["city"]): site for site in record_sites(MANY)}
    assert sites[(lead.site_facility, lead.site_city)]["status"] == "RECRUITING"
    assert (lead.site_facility, lead.site_city) == (
        "Lahey Hospital and Medical Center",
        "Burlington",
    )
    assert lead.staff_email in sites[(lead.site_facility, lead.site_city)]["contacts"][0]["email"]
    # Not "the nearest hospital taking part" (nearer ones take part, by phone): no distance said.
    assert lead.distance_km is None
    assert len(smtp.to(lead.staff_email)) == 1


def test_the_confirmation_does_not_deny_a_place_it_found(app, smtp):
    client = app.test_client()
    page = sent_page(client, post(client, "en", MANY, country="US", postal_code="02215", phone=""))
    (lead,) = leads(app)
    assert lead.location_label == "Boston"
    assert "We could not work out your location" not in page
    assert (
        said(
            app,
            "en",
            "The study team at %(site)s (%(city)s) will answer you.",
            site=f"<bdi>{lead.site_facility}</bdi>",  # kept whole in Arabic sentences too
            city=f"<bdi>{lead.site_city}</bdi>",
        )
        in page
    )
