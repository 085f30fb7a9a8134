"""Hostile input: header injection never adds a header, HTML is escaped in pages and emails."""

import pytest
from markupsafe import escape

from tests.contact.test_contact_delivery import LA_PAZ, confirmation
from tests.contact_support import EMAIL, bodies, headers_of, leads, post, reference_of

EXPECTED_HEADERS = {
    "content-type",
    "mime-version",
    "subject",
    "from",
    "to",
    "date",
    "message-id",
    "reply-to",
    "content-language",
}
XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)//<a href=x>",
    "{{ 7*7 }}{% raw %}",
]


@pytest.mark.parametrize(
    "field", ["first_name", "last_name", "email", "phone", "city", "postal_code"]
)
def test_header_injection_is_refused_and_nothing_is_sent(client, app, smtp, field):
    response = post(client, "en", **{field: "x@example.com\r\nBcc: victim@example.net"})
    assert response.status_code == 200 and 'role="alert"' in response.get_data(as_text=True)
    assert leads(app) == [] and smtp.messages == []


def test_line_breaks_allowed_in_the_message_stay_in_the_body(client, smtp):
    message = "Hello\r\nBcc: victim@example.net\r\nSubject: hijacked\r\n\r\n<b>body</b>"
    reference = reference_of(post(client, "en", message=message, first_name="Ana\u2028Bcc: x"))
    assert len(smtp.messages) == 2
    for received in smtp.messages:
        assert headers_of(received) <= EXPECTED_HEADERS
        assert received["Subject"].count(reference) == 1 and "hijacked" not in received["Subject"]
        assert "victim" not in str(received["To"]) + str(received["Reply-To"] or "")
    assert smtp.to("victim@example.net") == []
    assert smtp.to(LA_PAZ)[0]["Reply-To"] == EMAIL


@pytest.mark.parametrize("payload", XSS)
def test_html_is_escaped_in_the_page_and_the_html_email_and_kept_in_the_text(client, smtp, payload):
    fields = {"first_name": payload, "last_name": payload, "city": payload, "message": payload}
    escaped = str(escape(payload))
    # A failed submit shows the values back, escaped.
    page = post(client, "en", consent=None, **fields).get_data(as_text=True)
    assert escaped in page and (payload == escaped or payload not in page)
    reference = reference_of(post(client, "en", **fields))
    assert payload not in confirmation(client, reference)  # shows nothing the visitor typed
    assert len(smtp.messages) == 2
    staff, family = smtp.to(LA_PAZ)[0], smtp.to(EMAIL)[0]
    text, html = bodies(staff)
    assert payload in text  # plain text is not HTML: shown as typed, never entity-escaped
    assert escaped in html and (payload == escaped or payload not in html)
    text, html = bodies(family)  # the family's copy carries nothing typed into the form
    assert payload not in text and escaped not in html
