"""A content file broken by an edit: the site keeps its last good version and says so once."""

import functools
import logging
import re
import shutil

import pytest
import yaml

from tests.conftest import CONTROLLER, DPO_EMAIL, NCT, ROOT
from tests.web.test_caching import served_within
from trialfinder.leads.sites import sites_path
from trialfinder.lib import files
from trialfinder.lib.files import ContentFiles, read_yaml, trial_folder
from trialfinder.lib.locales import LOCALES
from trialfinder.sponsor.checks import check_content
from trialfinder.trials.content import content_path

BROKEN_YAML = 'title: "an unclosed quote\nsummary: [\n'


def test_the_same_text_in_two_files_is_parsed_once_and_each_reader_gets_its_own_copy(
    tmp_path, monkeypatch
):
    parses, real = [], functools.partial(yaml.load, Loader=files.SAFE_LOADER)
    monkeypatch.setattr(files.yaml, "load", lambda text, Loader: parses.append(text) or real(text))
    text = (
        f"title: Leucemia {tmp_path.name}\nsummary:\n  - body: |\n      Una línea.\n      Otra.\n"
    )
    first, second, crlf = tmp_path / "a.yaml", tmp_path / "b.yaml", tmp_path / "c.yaml"
    first.write_text(text, encoding="utf-8")
    second.write_text(text, encoding="utf-8")
    crlf.write_bytes(text.replace("\n", "\r\n").encode())
    one = read_yaml(first)
    one["summary"][0]["body"] = "changed by a reader"  # not by the next one
    assert read_yaml(second) == read_yaml(first) == real(text)
    assert read_yaml(crlf) == real(text)  # as read_text gives it
    assert len(parses) == 2  # the text, and the same with other line breaks
    first.write_text("title: Otra\n", encoding="utf-8")
    assert read_yaml(first) == {"title": "Otra"}
    first.write_text(BROKEN_YAML, encoding="utf-8")
    with pytest.raises(yaml.YAMLError):
        read_yaml(first)


def test_a_broken_edit_keeps_the_last_good_version_and_is_logged_once(tmp_path, caplog):
    path = tmp_path / "texts.txt"
    files = ContentFiles(parse_number, (ValueError,))
    path.write_text("1")
    assert files.get(path) == 1
    path.write_text("one")
    with caplog.at_level(logging.ERROR, "trialfinder.lib.files"):
        assert [files.get(path) for _ in range(3)] == [1, 1, 1]
    assert [record.getMessage() for record in caplog.records] == [
        f"{path}: not a number; its last good version is served until it is fixed"
    ]
    path.write_text("2")
    assert files.get(path) == 2
    assert files.get(tmp_path / "absent.txt") is None


def test_a_file_never_read_well_is_left_out(tmp_path):
    path = tmp_path / "texts.txt"
    path.write_text("one")
    assert ContentFiles(parse_number, (ValueError,)).get(path) is None


def parse_number(path):
    text = path.read_text()
    if not text.isdigit():
        raise ValueError(f"{path}: not a number")
    return int(text)


@pytest.fixture
def content(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path / "content"


def retitle(path, title: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^title: .*$", f'title: "{title}"', text, count=1), "utf-8")


def test_a_typo_in_a_trial_file_on_a_running_site_never_breaks_its_pages(make_app, content):
    app = make_app(CONTENT_DIR=str(content), CONTENT_CHECK_SECONDS=0)  # every edit seen at once
    client = app.test_client()
    english = content / "trials" / NCT / "en.yaml"
    retitle(english, "The title before the typo")
    page = f"/en/trials/{NCT}/"
    assert served_within(client, page, "The title before the typo")
    english.write_text(BROKEN_YAML, encoding="utf-8")
    for path in (page, f"/en/trials/{NCT}/faq", f"/en/trials/{NCT}/contact", "/en/?q=leukaemia"):
        response = client.get(path)
        assert response.status_code == 200, path
    assert "The title before the typo" in client.get(page).get_data(as_text=True)
    shutil.copy(ROOT / "content" / "trials" / NCT / "en.yaml", english)
    retitle(english, "The title after the fix")
    assert served_within(client, page, "The title after the fix")


def test_a_site_started_with_a_broken_file_serves_the_others_and_the_check_names_it(
    make_app, content, caplog
):
    spanish = content / "trials" / NCT / "es.yaml"
    spanish.write_text(BROKEN_YAML, encoding="utf-8")
    with caplog.at_level(logging.ERROR):
        app = make_app(CONTENT_DIR=str(content), CONTENT_CHECK_SECONDS=0)  # every edit seen at once
        client = app.test_client()
        for lang in ("es", "en"):
            assert client.get(f"/{lang}/trials/{NCT}/").status_code == 200
            assert client.get(f"/{lang}/trials/{NCT}/faq").status_code == 200
    assert any(
        re.match(rf"{spanish}: line \d+: not valid YAML", r.getMessage()) for r in caplog.records
    )
    report = check_content(content, ROOT / "translations", LOCALES)
    assert any(
        problem.path.endswith(f"trials/{NCT}/es.yaml") and "not valid YAML" in problem.message
        for problem in report.problems
    )


def test_the_check_names_keys_the_site_would_not_read(content):
    for lang in ("en", "fr"):  # in the source too: a key every locale shares is still unknown
        path = content / "trials" / NCT / f"{lang}.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "subtitle: A line\n", "utf-8")
    report = check_content(content, ROOT / "translations", LOCALES)
    unknown = [p for p in report.problems if "unknown key 'subtitle'" in p.message]
    assert sorted(p.path.rsplit("/", 1)[1] for p in unknown) == ["en.yaml", "fr.yaml"]


def test_a_broken_questionnaire_keeps_the_pre_screen_and_the_check_names_it(make_app, content):
    questionnaire = content / "trials" / NCT / "questionnaire.yaml"
    app = make_app(CONTENT_DIR=str(content), CONTENT_CHECK_SECONDS=0)  # every edit seen at once
    client = app.test_client()

    def first_question() -> str:  # the page, less the visitor's token
        response = client.get(f"/en/trials/{NCT}/prescreen")
        assert response.status_code == 200
        return re.sub(r'name="csrf_token" value="[^"]*"', "", response.get_data(as_text=True))

    before = first_question()
    questionnaire.write_text(questionnaire.read_text(encoding="utf-8") + "\n  - : [\n", "utf-8")
    assert first_question() == before  # the trial's own questions, not the basic pre-screen
    report = check_content(content, ROOT / "translations", LOCALES)
    assert any(
        p.path.endswith("questionnaire.yaml") and "not valid YAML" in p.message
        for p in report.problems
    )


def test_where_leads_go_keeps_its_last_good_file_and_a_public_start_refuses_a_broken_one(
    make_app, content, tmp_path, monkeypatch
):
    from trialfinder import create_app
    from trialfinder.leads.sites import load_operator_settings

    sites = content / "trials" / NCT / "sites.yaml"
    app = make_app(CONTENT_DIR=str(content), CONTENT_CHECK_SECONDS=0)  # every edit seen at once
    good = load_operator_settings(str(content), NCT)
    assert good
    sites.write_text("sites: [\n", encoding="utf-8")
    assert load_operator_settings(str(content), NCT) == good
    assert app.test_client().get(f"/en/trials/{NCT}/contact").status_code == 200

    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    production = {
        "TESTING": False,
        "SECRET_KEY": "a-long-random-production-secret",
        "LEAD_EMAIL_OVERRIDE": "coordinator@hospital.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.db'}",
        "CONTENT_DIR": str(content),
        "DATA_CONTROLLER": CONTROLLER,
        "DPO_EMAIL": DPO_EMAIL,
    }
    with pytest.raises(
        SystemExit, match=r"sites\.yaml: line 2: not valid YAML.*flask content check"
    ):
        create_app(production)
    report = check_content(content, ROOT / "translations", LOCALES)
    found = [p.message for p in report.problems if p.path.endswith("sites.yaml")]
    assert [message.split(":")[:2] for message in found] == [["line 2", " not valid YAML"]]


def test_a_broken_site_text_keeps_the_privacy_page_and_a_locale_never_read_falls_back(
    make_app, content
):
    app = make_app(CONTENT_DIR=str(content), CONTENT_CHECK_SECONDS=0)
    client = app.test_client()
    english, french = content / "site" / "en.yaml", content / "site" / "fr.yaml"
    kept = client.get("/en/privacy").get_data(as_text=True)
    english.write_text(BROKEN_YAML, encoding="utf-8")
    french.write_text(BROKEN_YAML, encoding="utf-8")  # never read well by this app
    for path in ("/en/privacy", "/en/accessibility", "/fr/privacy", "/fr/accessibility"):
        assert client.get(path).status_code == 200, path
    response = client.get("/en/privacy?again")
    assert response.status_code == 200
    assert re.search(r"<h1[^>]*>[^<]+</h1>", response.get_data(as_text=True))
    assert re.search(r"<h1[^>]*>[^<]+</h1>", kept)


def test_every_reader_finds_a_trial_in_one_folder(tmp_path):
    folder = trial_folder(tmp_path, "NCT06709469")
    assert folder == tmp_path / "trials" / "NCT06709469"
    assert sites_path(str(tmp_path), "NCT06709469").parent == folder
    assert content_path(str(tmp_path), "NCT06709469", "ar") == folder / "ar.yaml"
