"""Real Chromium over https, behind a TLS-terminating proxy (PROXY_COUNT=1), CSRF on.

The app sees what it sees behind nginx: plain http from the proxy, with X-Forwarded-Proto:
https. Chromium talks TLS to the test server and sends the Origin and Referer that each page's
Referrer-Policy allows, so the CSRF check meets what a hospital's browser sends.
"""

import datetime
import ipaddress
import re
import shutil
import ssl
import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from playwright.sync_api import expect
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from tests.browser.test_browser_prescreen import answer_with_keyboard
from tests.conftest import NCT, ROOT, free_port
from tests.contact.test_contact_delivery import LA_PAZ
from tests.contact_support import DATA, MESSAGE, MULTI, OPERATOR_FILE

pytestmark = pytest.mark.browser

FAMILY = "zurine.family@example.com"


def self_signed(folder) -> ssl.SSLContext:
    """Return a server context with a throwaway certificate for 127.0.0.1 and localhost."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .sign(key, hashes.SHA256())
    )
    (folder / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    return context


class BehindProxy:
    """What nginx hands the app: plain http, the browser's scheme and address in headers."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        environ["wsgi.url_scheme"] = "http"
        environ["HTTP_X_FORWARDED_PROTO"] = "https"
        environ["HTTP_X_FORWARDED_FOR"] = "203.0.113.7"
        return self.app(environ, start_response)


def serve(wsgi_app, context) -> tuple[str, object]:
    server = make_server("127.0.0.1", free_port(), wsgi_app, threaded=True, ssl_context=context)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return f"https://127.0.0.1:{server.server_port}", server


@pytest.fixture
def app_config(app_config, tmp_path):
    content = tmp_path / "content" / "trials"
    shutil.copytree(ROOT / "content" / "trials" / NCT, content / NCT)
    (content / MULTI).mkdir()
    shutil.copy(DATA / "contact_multisite.json", content / MULTI / "record.json")
    (content / MULTI / "sites.yaml").write_text(OPERATOR_FILE, encoding="utf-8")
    return app_config | {
        "CONTENT_DIR": str(tmp_path / "content"),
        "WTF_CSRF_ENABLED": True,
        "PROXY_COUNT": 1,
    }


@pytest.fixture
def tls(tmp_path_factory):
    return self_signed(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def site(app, tls):
    """The app over https behind the proxy; links in emails point at it."""
    address, server = serve(BehindProxy(app.wsgi_app), tls)
    app.config["BASE_URL"] = address
    yield address
    server.shutdown()


@pytest.fixture
def elsewhere(tls):
    """Another https site (another origin): records the Referer of every request it gets."""
    seen = []

    @Request.application
    def record(request):
        if request.path == "/away":  # not the favicon the browser asks for after it
            seen.append(request.headers.get("Referer"))
        return Response("elsewhere")

    address, server = serve(record, tls)
    yield address.replace("127.0.0.1", "localhost"), seen
    server.shutdown()


@pytest.fixture
def https_page(browser):
    context = browser.new_context(ignore_https_errors=True)
    page = context.new_page()
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request))
    page.posts = posts
    yield page
    context.close()


def send_contact_form(page, site: str, lang: str, nct: str) -> None:
    page.goto(f"{site}/{lang}/trials/{nct}/contact")
    page.fill("#first_name", "Zuriñe")
    page.fill("#last_name", "Etxeberria")
    page.fill("#email", FAMILY)
    page.check("#respondent-1")
    page.select_option("#country", "ES")
    page.fill("#postal_code", "28013")
    page.fill("#message", MESSAGE)
    page.check("#consent")
    page.click("form.contact button[type=submit]")
    page.wait_for_url(f"**/{lang}/trials/{nct}/contact/sent/TF-*")


def staff_link(smtp, address: str, site: str) -> str:
    text = smtp.to(address)[-1].get_body(("plain",)).get_content()
    (link,) = set(re.findall(re.escape(site) + r"/[a-z]{2}/leads/[A-Za-z0-9_.\-]+", text))
    return link


def assert_sent_from(post, site: str, page_url: str) -> None:
    """The POST carried what Chromium sends from a same-origin page: its Origin and URL."""
    headers = post.all_headers()
    assert headers.get("origin") == site
    assert headers.get("referer") == page_url


@pytest.mark.parametrize(
    ("action", "button"),
    [
        ("contacted", "form:has(input[value=contacted]) button"),
        ("not_suitable", "form:has(input[value=not_suitable]) button"),
        ("forward", "form:has(#site) button"),
    ],
)
def test_staff_buttons_answer_over_https_behind_the_proxy(
    app, site, https_page, smtp, action, button
):
    page = https_page
    send_contact_form(page, site, "en", MULTI)
    link = staff_link(smtp, "madrid@hospital.test", site)
    page.goto(link)
    if action == "forward":
        page.select_option("#site", label="Hospital del Mar (Barcelona)")
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.click(button)
    assert answer.value.status == 303  # recorded, back to the page (400: CSRF refused)
    page.wait_for_url(link)
    if action == "forward":
        expect(page.locator(".notice")).to_contain_text("Hospital del Mar")
        assert staff_link(smtp, "barcelona@hospital.test", site)
    else:
        expect(page.locator(f"input[value={action}]")).to_have_count(0)
    told = [m for m in smtp.to(FAMILY) if "the study team has it" in m["Subject"]]
    assert len(told) == (1 if action == "contacted" else 0)
    assert_sent_from(page.posts[-1], site, link)


def add_link(page, address: str) -> None:
    """Put a link to another site on the page (a mail app or a wiki could add one)."""
    page.evaluate(
        "address => { const a = document.createElement('a'); a.href = address;"
        " a.id = 'away'; a.textContent = 'away'; document.querySelector('main').append(a); }",
        address,
    )


def test_the_staff_link_never_leaves_in_a_referer_to_another_site(
    site, https_page, smtp, elsewhere
):
    other, seen = elsewhere
    page = https_page
    send_contact_form(page, site, "es", NCT)
    response = page.goto(staff_link(smtp, LA_PAZ, site))
    assert response.headers["referrer-policy"] == "same-origin"
    add_link(page, other + "/away")
    page.click("#away")
    page.wait_for_url(other + "/away")
    assert seen == [None]
    # The same link on a reading page sends only the site's origin (strict-origin-...).
    page.goto(f"{site}/es/trials/{NCT}/")
    add_link(page, other + "/away")
    page.click("#away")
    page.wait_for_url(other + "/away")
    assert seen == [None, site + "/"]


@pytest.mark.parametrize("javascript", [True, False])
def test_questionnaire_alerts_and_notes_post_over_https_behind_the_proxy(
    browser, site, smtp, javascript
):
    context = browser.new_context(ignore_https_errors=True, java_script_enabled=javascript)
    page = context.new_page()
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request))
    page.goto(f"{site}/en/trials/{NCT}/prescreen")
    for _step in range(2):  # each answer is a POST (a fetch with JavaScript, a form without)
        before = page.url
        choices = {"respondent": "child", "diagnosis": "b_all"}  # the rest: the age, 12
        answer_with_keyboard(page, choices.get(question(page), 12))
        assert page.url != before and "send the form again" not in page.content().lower()
    page.goto(f"{site}/en/trials/{NCT}/")
    page.click("#contact a[href^='/en/alerts?interest=']")
    page.wait_for_url("**/en/alerts?interest=*")
    page.fill("#email", FAMILY)
    page.fill("#age_years", "9")
    page.fill("#postal_code", "28046")
    page.check("#consent")
    page.click("form.alerts-form button[type=submit]")
    page.wait_for_url("**/en/alerts/check-email")
    assert smtp.to(FAMILY)
    if javascript:  # the notes panel is a script: it asks /api/v1/csrf, then posts JSON
        page.goto(f"{site}/en/trials/{NCT}/")
        page.locator("#summary p").first.click(click_count=3)
        page.locator(".notes-add-selection").click()
        page.locator("#notes-text").fill("Ask about the hotel nearby")
        page.locator(".notes-editor button[type=submit]").click()
        page.locator(".notes-send-button").click()
        expect(page.locator("#notes-link")).to_have_value(re.compile(rf"^{site}/en/notes/"))
        link = page.locator("#notes-link").input_value()
        passcode = page.locator("#notes-passcode").input_value()
        page.goto(link)
        page.fill("#passcode", passcode)
        page.click("main button[type=submit]")
        expect(page.locator(".shared-note .shared-text")).to_contain_text("hotel nearby")
    assert len(posts) == (5 if javascript else 3)
    for post in posts:
        assert post.all_headers().get("origin") == site, post.url
    context.close()


def question(page) -> str:
    return page.get_attribute("form[data-prescreen-step]", "action").rsplit("/", 1)[1]
