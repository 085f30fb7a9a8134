"""Injection: hostile text stays text in every page and email, header injection adds no header,
and no user value reaches a shell, a file path or SQL text."""

import re
from html.parser import HTMLParser

import pytest
from markupsafe import escape

from tests.alerts.test_alerts_signup import form_data as alert_form
from tests.conftest import NCT, ROOT
from tests.contact.test_contact_delivery import confirmation
from tests.contact.test_contact_injection import EXPECTED_HEADERS
from tests.contact_support import EMAIL, bodies, post, reference_of
from tests.notes.test_notes_views import share
from tests.security_support import NCT_LIKE_PATHS, XSS, count
from trialfinder.alerts.models import Subscriber

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcdoc"}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset"}
# A data block, not a script: the browser never runs it.
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}


class InertnessCheck(HTMLParser):
    """Collect everything in a document that could run code."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name, value in attrs:
            compact = re.sub(r"[\s\x00-\x1f]", "", (value or "")).lower()
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and compact.startswith(DANGEROUS_SCHEMES):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag in FORBIDDEN_TAGS or (tag == "meta" and "http-equiv" in values):
            self.problems.append(f"<{tag}>")
        if tag == "script":
            data_block = values.get("type") in DATA_SCRIPT_TYPES
            if not data_block and not values.get("src", "").startswith("/static/"):
                self.problems.append(f"<script {values}>")
            self.in_script = not data_block

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.problems.append(f"inline script: {data[:60]!r}")


def assert_inert(html: str, payload: str | None = None) -> None:
    """Fail if the document could run code; if a payload is given, it must show as text."""
    check = InertnessCheck()
    check.feed(html)
    check.close()
    assert check.problems == [], check.problems
    if payload is not None:
        assert str(escape(payload)) in html


# ---- every free-text field, every page, every email -------------------------------------------


@pytest.mark.parametrize("payload", XSS)
def test_contact_values_are_inert_in_the_form_the_confirmation_and_both_emails(
    client, smtp, payload
):
    fields = {"first_name": payload, "last_name": payload, "city": payload, "message": payload}
    fields |= {"preferred_language": "other", "other_language": payload}
    refused = post(client, "en", consent=None, email=payload, postal_code=payload[:12], **fields)
    assert refused.status_code == 200
    assert_inert(refused.get_data(as_text=True), payload)
    reference = reference_of(post(client, "en", **fields))
    assert_inert(confirmation(client, reference))
    assert len(smtp.messages) == 2
    for message in smtp.messages:
        text, html = bodies(message)
        staff = message["To"] != EMAIL
        assert_inert(html, payload if staff else None)
        # The staff read what was typed, as typed; the family's copy carries none of it.
        assert (payload in text) is staff
        assert staff or str(escape(payload)) not in html
        assert "<" not in message["Subject"]


@pytest.mark.parametrize("payload", XSS)
def test_alert_sign_up_values_are_inert(client, app, smtp, payload):
    refused = client.post(
        "/en/alerts",
        data=alert_form(email=payload, postal_code=payload, interests=[payload], language=payload),
    )
    assert refused.status_code == 200
    assert_inert(refused.get_data(as_text=True), payload)
    assert_inert(client.get("/en/alerts", query_string={"interest": payload}).get_data(True))
    assert count(app, Subscriber) == 0 and smtp.messages == []


@pytest.mark.parametrize("payload", XSS)
def test_notes_and_passcodes_are_inert_on_the_recipients_pages(client, payload):
    path, passcode = share(client, [{"quote": payload, "text": payload}])
    assert_inert(client.post(path, data={"passcode": payload}).get_data(as_text=True), payload)
    opened = client.post(path, data={"passcode": passcode})
    assert opened.status_code == 200
    assert_inert(opened.get_data(as_text=True), payload)


@pytest.mark.parametrize("payload", XSS)
def test_search_words_are_inert_on_the_trial_list(client, payload):
    page = client.get("/en/", query_string={"q": payload, "age": payload, "status": payload})
    assert_inert(page.get_data(as_text=True), payload[:200])


def test_the_trial_pages_themselves_pass_the_check(client):
    # The checker must not wave through the site's own pages; they load scripts by src only.
    for path in (
        "/en/",
        f"/en/trials/{NCT}/",
        f"/en/trials/{NCT}/faq",
        f"/ar/trials/{NCT}/contact",
    ):
        assert_inert(client.get(path).get_data(as_text=True))
    with pytest.raises(AssertionError):
        assert_inert('<p><img src=x onerror="alert(1)"></p>')
    with pytest.raises(AssertionError):
        assert_inert("<a href=' javascript:alert(1)'>x</a>")


# ---- header injection ----------------------------------------------------------------------

BREAKS = ["\r\nBcc: victim@example.net", "\nBcc: victim@example.net", "\rBcc: victim@example.net"]


@pytest.mark.parametrize("breaker", BREAKS)
def test_a_line_break_in_the_alerts_address_adds_no_header_and_sends_nothing(
    client, app, smtp, breaker
):
    response = client.post("/en/alerts", data=alert_form(email=f"ana@example.com{breaker}"))
    assert response.status_code == 200 and 'role="alert"' in response.get_data(as_text=True)
    assert count(app, Subscriber) == 0 and smtp.messages == []


def test_sent_alert_and_contact_emails_carry_only_their_own_headers(client, smtp):
    assert client.post("/en/alerts", data=alert_form()).status_code == 302
    reference_of(post(client, "en", message="Hi\r\nBcc: victim@example.net\r\n\r\nbody"))
    allowed = EXPECTED_HEADERS | {"list-unsubscribe", "list-unsubscribe-post"}
    assert len(smtp.messages) == 3
    for message in smtp.messages:
        assert {name.lower() for name in message.keys()} <= allowed
        assert "victim" not in str(message["To"]) + str(message.get("Cc", ""))
    assert smtp.to("victim@example.net") == []


# ---- no shell, no file path, no SQL text from users -------------------------------------------

DANGEROUS_CODE = {
    r"\bsubprocess\b": "a shell or another program",
    r"\bos\.(system|popen|exec\w*|spawn\w*)\(": "a shell or another program",
    r"shell\s*=\s*True": "a shell",
    r"\b(eval|exec)\(": "code built from text",
    r"\bpickle\b|\bmarshal\b": "objects built from bytes",
    r"yaml\.load\(|yaml\.unsafe_load": "objects built from YAML",
    r"\btext\(\s*f[\"']": "SQL text built from values",
    r"\.execute\(\s*f[\"']|exec_driver_sql\(\s*f[\"']": "SQL text built from values",
    r"\.execute\(\s*[\"'][^\"']*[\"']\s*%": "SQL text built from values",
    r"\bsend_file\(|render_template_string\(": "a file or template chosen by a request",
    r"\bliteral_column\(": "SQL text built from values",
}
# Lines that match a pattern above and are safe, with the reason.
REVIEWED = {
    'connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")': (
        "an integer constant of the migrations"
    ),
    'connection.execute(text(f"DROP TABLE IF EXISTS {TABLE}"))': "the index's table name",
    'connection.execute(text(f"DELETE FROM {TABLE}"))': "the index's table name",
    'connection.execute(text(f"VACUUM (ANALYZE) trial, site, {TABLE}"))': "the index's table name",
    'connection.execute(text(f"ANALYZE {TABLE}"))': "the index's table name",
    'connection.execute(text(f"CLUSTER {TABLE} USING ix_{TABLE}_order"))': (
        "the index's table and index names"
    ),
    'cursor.execute(f"SET random_page_cost = {RANDOM_PAGE_COST}")': "a number constant",
    'op.execute(f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS {name} {kind}")': (
        "the fixed column names and types migration 0008 adds"
    ),
    'op.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {name}")': (
        "the fixed column names migration 0008 added"
    ),
    "value = yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - the safe loader": (
        "PyYAML's safe loader (libyaml's CSafeLoader when built with it)"
    ),
}


def test_no_user_value_can_reach_a_shell_sql_text_or_code():
    found = []
    for path in sorted((ROOT / "trialfinder").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for pattern, danger in DANGEROUS_CODE.items():
                if re.search(pattern, line) and line.strip() not in REVIEWED:
                    found.append(f"{path.relative_to(ROOT)}:{number}: {danger}: {line.strip()}")
    assert found == []


def test_the_code_check_finds_what_it_looks_for():
    samples = ['db.session.execute(text(f"SELECT {x}"))', "subprocess.run(cmd, shell=True)"]
    for sample in samples:
        assert any(re.search(pattern, sample) for pattern in DANGEROUS_CODE), sample


def path_like_urls() -> list[str]:
    urls = []
    for evil in NCT_LIKE_PATHS:
        urls += [
            f"/en/trials/{evil}/",
            f"/en/trials/{evil}/faq",
            f"/en/trials/{evil}/contact",
            f"/en/trials/{NCT}/contact/sent/{evil}",
            f"/en/notes/{evil}",
            f"/{evil}/privacy",
            f"/static/{evil}",
            f"/static/..%2F..%2F..%2F..%2Fetc%2Fpasswd{evil}",
        ]
    return urls


@pytest.mark.parametrize("url", path_like_urls())
def test_path_like_ids_are_not_found_and_read_no_file(client, url):
    response = client.get(url)
    body = response.get_data(as_text=True)
    response.close()
    assert response.status_code in (404, 308), (url, response.status_code)
    if response.status_code == 308:  # werkzeug adds the trailing slash: it must lead nowhere
        assert client.get(response.headers["Location"]).status_code == 404
    assert "root:" not in body and "protocolSection" not in body and "[fonts]" not in body


@pytest.mark.parametrize("evil", NCT_LIKE_PATHS)
def test_path_like_tokens_are_refused_links(client, evil):
    for url in (f"/en/alerts/confirm/{evil}", f"/en/alerts/unsubscribe/{evil}"):
        response = client.get(url)
        assert response.status_code in (400, 404), url
        assert "root:" not in response.get_data(as_text=True)


def test_a_path_like_trial_in_the_notes_api_is_an_unknown_trial(client):
    for evil in ("../../etc/passwd", "NCT06709469/../../../etc/passwd", "/etc/passwd"):
        notes = {"trial": evil, "lang": "en", "notes": [{"quote": "q", "text": "t"}]}
        response = client.post("/api/v1/notes", json=notes)
        assert response.status_code == 400 and response.get_json()["field"] == "trial"


@pytest.mark.parametrize("payload", XSS)
def test_questionnaire_answers_are_inert_when_shown_back(client, payload):
    step = f"/en/trials/{NCT}/prescreen"
    assert client.post(f"{step}/respondent", data={"answer": "child"}).status_code == 302
    number = client.post(f"{step}/age_years", data={"answer": payload})
    assert number.status_code == 200
    assert_inert(number.get_data(as_text=True), payload)
    choice = client.post(f"{step}/diagnosis", data={"answer": payload})
    assert choice.status_code == 200
    assert_inert(choice.get_data(as_text=True))
