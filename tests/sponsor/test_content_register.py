"""The register check reads verb forms: the review's tú, tu and singular Arabic lines fail it,
their formal rewrites pass, and the correct texts around them raise nothing. Pure, no app."""

import pytest

from trialfinder.sponsor.register import informal_forms

# (locale, broken form the second review quoted, the review's correction)
QUOTED = [
    ("es", "¿Estás embarazada o dando el pecho?", "¿Está embarazada o dando el pecho?"),
    ("es", "¿Has recibido antes células CAR-T contra CD19?", "¿Ha recibido antes células CAR-T?"),
    ("es", "Cuenta las medicinas por boca.", "Cuente los medicamentos por boca."),
    (
        "es",
        "Si algo no está claro, pregunta al equipo del estudio.",
        "Si algo no está claro, pregunte al equipo del estudio.",
    ),
    ("es", "Vuelve atrás e inténtalo de nuevo.", "Vuelva atrás e inténtelo de nuevo."),
    ("es", "Dónde vives", "Dónde vive"),
    ("es", "Revisa el formulario", "Revise el formulario"),
    (
        "es",
        "Piensa en la mayoría de los días de la última semana.",
        "Piense en la mayoría de los días de la última semana.",
    ),
    (
        "es",
        "¿Tomas medicinas que frenan el sistema inmunitario?",
        "¿Toma medicamentos que frenan el sistema inmunitario?",
    ),
    ("es", "Acórtalo a 254 caracteres como máximo.", "Acórtelo a 254 caracteres como máximo."),
    ("es", "Déjalo vacío para recibir alertas.", "Déjelo vacío para recibir alertas."),
    ("ca", "Estàs embarassada o dones el pit?", "Està embarassada o dona el pit?"),
    (
        "ca",
        "Et respondrà l'equip central de l'assaig.",
        "Li respondrà l'equip central de l'assaig.",
    ),
    (
        "ca",
        "Si alguna cosa no és clara, pregunta-ho a l'equip de l'estudi.",
        "Si alguna cosa no és clara, pregunti-ho a l'equip de l'estudi.",
    ),
    ("ca", "Digues-nos quin idioma prefereixes.", "Digui'ns quin idioma prefereix."),
    ("ca", "On vius", "On viu"),
    (
        "ca",
        "Ara prens medicaments per a alguna infecció?",
        "Ara pren medicaments per a alguna infecció?",
    ),
    ("ca", "Compta els medicaments per boca.", "Compti els medicaments per boca."),
    ("ca", "Revisa el formulari", "Revisi el formulari"),
    ("ca", "Torna-ho a provar d'aquí a un minut.", "Torni-ho a provar d'aquí a un minut."),
    ("ar", "هل تلقّيتَ من قبل علاجًا بخلايا CAR-T؟", "هل تلقّيتم من قبل علاجًا بخلايا CAR-T؟"),
    (
        "ar",
        "إذا نجح العلاج، فهل ستخضع لزراعة خلايا جذعية بعده؟",
        "إذا نجح العلاج، فهل ستخضعون لزراعة خلايا جذعية بعده؟",
    ),
    ("ar", "فكّر في معظم أيام الأسبوع الماضي.", "فكّروا في معظم أيام الأسبوع الماضي."),
    ("ar", "هل تتلقى الآن دواءً لعلاج عدوى؟", "هل تتلقّون الآن دواءً لعلاج عدوى؟"),
    ("ar", "هل تتناول أدوية تُخفّف نشاط جهاز المناعة؟", "هل تتناولون أدوية تُخفّف نشاط المناعة؟"),
    (
        "ar",
        "احتفظ بهذا الرقم، واذكره إذا تواصلت مع فريق الدراسة.",
        "احتفظوا بهذا الرقم، واذكروه إذا تواصلتم مع فريق الدراسة.",
    ),
    (
        "ar",
        "لبدء التنبيهات، افتح هذا الرابط خلال 7 أيام:",
        "لبدء التنبيهات، افتحوا هذا الرابط خلال 7 أيام:",
    ),
    ("ar", "الأسئلة التي لم تعرف إجابتها بالتأكيد", "الأسئلة التي لم تعرفوا إجابتها بالتأكيد"),
    ("ar", "أضف كلمات أو عمرًا لتضييق البحث.", "أضيفوا كلمات أو عمرًا لتضييق البحث."),
    ("ar", "مع رمز البلد إذا كنت في الخارج.", "مع رمز البلد إذا كنتم في الخارج."),
]


@pytest.mark.parametrize(("lang", "broken", "correct"), QUOTED)
def test_the_quoted_informal_form_fails_and_its_formal_rewrite_passes(lang, broken, correct):
    assert informal_forms(broken, lang), broken
    assert informal_forms(correct, lang) == [], correct


# Correct text of the shipped content that a cruder rule flagged: third persons, nouns,
# participles, infinitives with pronouns, usted's and vostè's own imperatives, the passive.
CORRECT = [
    ("es", "Un ensayo clínico es un estudio. Prueba nuevas formas de tratar una enfermedad."),
    ("es", "Sobre todo mira si el tratamiento es seguro y qué dosis usar."),
    ("es", "Ayudan al cuerpo a luchar contra los gérmenes y las células enfermas."),
    ("es", "Las células son del propio paciente (autólogas). Puede escribirles desde la página."),
    ("es", "Pregunta %(current)s de %(total)s"),
    ("es", "Su solicitud está guardada. Sigue guardada aunque el servidor no la haya aceptado."),
    ("es", "Cuéntenos un problema. Díganos qué idioma prefiere. Escríbalo en una sola línea."),
    ("es", "El estudio es solo para mujeres y niñas. Tiene como máximo 254 caracteres."),
    ("es", "Los médicos lo ven con una punción lumbar. Existe un riesgo pequeño."),
    ("ca", "Un assaig clínic és un estudi. Prova noves maneres de tractar una malaltia."),
    ("ca", "Guardem les seves notes xifrades i li donem un enllaç. Provem les pàgines."),
    ("ca", "Respostes del qüestionari, compartides per la família. No permès."),
    ("ca", "Per compartir-les, activi JavaScript. Pregunti-ho a l'equip. Indiqui l'edat."),
    ("ca", "La seva sol·licitud s'ha desat. Continua desada fins que l'equip la llegeixi."),
    ("ca", "Les dones embarassades no poden participar."),
    ("ar", "هل تحمل خلايا ابيضاض الدم لديكم العلامة CD22؟"),
    ("ar", "هل تلقّى طفلكم من قبل علاجًا بخلايا CAR-T؟"),
    ("ar", "لا، لا تحمل الخلايا العلامة CD22. لا توجد تجارب للاختيار منها بعد."),
    ("ar", "أُرسل هذا الطلب إلى جهة التواصل المركزية. أُدخل رمز المرور بشكل خاطئ."),
    ("ar", "تختبر ما إذا كان العلاج ينفع، وتواصل مراقبة السلامة."),
    ("ar", "لن تتلقى العائلة أي رسالة. لم تعد لديكم محاولات أخرى. لم تصلكم الرسالة."),
    ("ar", "إذا كانت النتيجة سلبية، فأخبروا فريق الدراسة."),
]


@pytest.mark.parametrize(("lang", "text"), CORRECT)
def test_correct_text_raises_nothing(lang, text):
    assert informal_forms(text, lang) == []


def test_an_allowed_phrase_is_left_out_and_other_locales_are_not_read():
    assert informal_forms("Revisa el formulario", "es", allowed=["Revisa el formulario"]) == []
    assert informal_forms("Revisa el formulario", "pt") == []


def test_content_check_names_the_file_key_and_word(tmp_path):
    import shutil

    from tests.conftest import ROOT
    from trialfinder.sponsor.checks import check_content
    from trialfinder.web.i18n import LOCALES

    shutil.copytree(ROOT / "content", tmp_path / "content")
    path = tmp_path / "content/faq/es.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Pregunte al equipo", "Pregunta al equipo", 1), encoding="utf-8")
    report = check_content(tmp_path / "content", ROOT / "translations", LOCALES)
    found = [
        p for p in report.problems if p.path == "content/faq/es.yaml" and "register" in p.message
    ]
    assert [p.where for p in found] == ["faq[is_it_free].answer"]
    assert "Pregunta" in found[0].message
