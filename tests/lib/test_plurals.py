"""Limits written into sentences take the noun's plural form for their number, per locale."""

import pytest
from flask_babel import force_locale

from trialfinder.contact import forms
from trialfinder.notes import services


@pytest.mark.parametrize(
    ("lang", "limit", "said"),
    [
        ("en", 1, "Please shorten this to 1 character or fewer."),
        ("en", 100, "Please shorten this to 100 characters or fewer."),
        ("ro", 1, "Scurtați textul la cel mult 1 caracter."),
        ("ro", 19, "Scurtați textul la cel mult 19 caractere."),
        ("ro", 100, "Scurtați textul la cel mult 100 de caractere."),
        ("fr", 1, "Raccourcissez ce texte à 1 caractère au maximum."),
        ("es", 254, "Acórtelo a 254 caracteres como máximo."),
        ("ar", 11, "يُرجى تقصير النص. الحد الأقصى لعدد الأحرف: 11."),
    ],
)
def test_a_length_limit_agrees_with_its_number(app, lang, limit, said):
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        assert forms.TOO_LONG % {"max": limit} == said


def test_the_notes_limits_say_de_from_20_in_romanian(app):
    with app.test_request_context("/ro/"), force_locale("ro"):
        assert services.TOO_MANY % {"max": 50} == "Puteți trimite cel mult 50 de notițe odată."
        assert services.TEXT_TOO_LONG % {"max": 2000} == (
            "O notiță poate avea cel mult 2.000 de caractere."
        )
