"""The privacy page names who answers for the data, and how a family uses each right."""

import html

import pytest

from tests.conftest import CONTROLLER, DPO_EMAIL
from trialfinder import create_app
from trialfinder.config import ConfigError
from trialfinder.extensions import db
from trialfinder.lib.locales import LOCALES

# In each locale: the legal basis, each right (access, rectification, erasure, restriction,
# portability), withdrawing consent, and the authority to complain to.
WORDS = {
    "en": ["9(2)(a)", "access", "rectification", "erasure", "restriction", "portability",
           "withdraw your consent"],
    "es": ["artículo 9, apartado 2, letra a", "acceso", "rectificación", "supresión",
           "limitación", "portabilidad", "retirar su consentimiento"],
    "ca": ["article 9, apartat 2, lletra a", "accés", "rectificació", "supressió",
           "limitació", "portabilitat", "retirar el seu consentiment"],
    "fr": ["article 9, paragraphe 2, point a", "accès", "rectification", "effacement",
           "limitation", "portabilité", "retirer votre consentement"],
    "pt": ["artigo 9.º, n.º 2, alínea a)", "acesso", "retificação", "apagamento", "limitação",
           "portabilidade", "retirar o seu consentimento"],
    "ro": ["articolul 9 alineatul (2) litera (a)", "acces", "rectificare", "ștergere",
           "restricționare", "portabilitate", "retrageți consimțământul"],
    "ar": ["المادة 9، الفقرة 2، البند (أ)", "الوصول", "التصحيح", "المحو", "تقييد المعالجة",
           "قابلية النقل", "سحب موافقتكم"],
}  # fmt: skip
CONTACT = "familias.ensayos@hospital.test"


def text_of(client, lang: str) -> str:
    response = client.get(f"/{lang}/privacy")
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("lang", LOCALES)
def test_the_privacy_page_names_the_controller_the_dpo_and_every_right(client, lang):
    page = text_of(client, lang)
    # Each filled value is isolated, so that it keeps its direction inside Arabic text.
    assert f"\u2068{CONTROLLER}\u2069" in page
    assert page.count(f"\u2068{DPO_EMAIL}\u2069") >= 2  # the DPO, and the route for rights
    for word in WORDS[lang]:
        assert word in page, word
    assert "Agencia Española de Protección de Datos (www.aepd.es)" in page
    assert "{" not in page.split("<main", 1)[1]  # no placeholder left unfilled
    assert "no-reply" not in page  # the rights go to a reachable address


def test_every_locale_is_checked():
    assert set(WORDS) == set(LOCALES)


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_rights_go_to_the_contact_address_when_one_is_set(make_app, lang):
    page = text_of(make_app(CONTACT_EMAIL=CONTACT).test_client(), lang)
    assert f"\u2068{CONTACT}\u2069" in page  # where to write to use a right
    assert page.count(f"\u2068{DPO_EMAIL}\u2069") == 2  # the DPO, named twice, stays


@pytest.fixture
def public_start(monkeypatch, tmp_path):
    """Start an app as a public server does (no TESTING, no `flask run`)."""
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    for name in ("DATA_CONTROLLER", "DPO_EMAIL"):
        monkeypatch.delenv(f"TRIALFINDER_{name}", raising=False)
    started = []

    def start(**settings):
        base = {
            "SECRET_KEY": "a-long-random-production-secret",
            "LEAD_EMAIL_OVERRIDE": "coordinator@hospital.test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'public.db'}",
        }
        started.append(create_app(base | settings))
        return started[-1]

    yield start
    for app in started:
        with app.app_context():
            db.engine.dispose()


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({}, "TRIALFINDER_DATA_CONTROLLER and TRIALFINDER_DPO_EMAIL are not set"),
        ({"DATA_CONTROLLER": CONTROLLER}, "TRIALFINDER_DPO_EMAIL is not set"),
        ({"DPO_EMAIL": DPO_EMAIL}, "TRIALFINDER_DATA_CONTROLLER is not set"),
    ],
)
def test_a_public_start_refuses_without_the_controller_and_the_dpo(public_start, settings, named):
    with pytest.raises(ConfigError, match=named) as refused:
        public_start(**settings)
    assert refused.value.code == 3 and "\n" not in refused.value.message
    assert "privacy page" in refused.value.message


def test_a_public_start_with_both_serves_the_privacy_page(public_start):
    app = public_start(DATA_CONTROLLER=CONTROLLER, DPO_EMAIL=DPO_EMAIL)
    assert app.config["SERVES_PUBLIC"] is True
    page = app.test_client().get("/en/privacy", base_url="http://127.0.0.1:5000")
    assert CONTROLLER in html.unescape(page.get_data(as_text=True))
