"""The register check by verb forms, not by a word list: tú in es, tu in ca, one man in ar.

A pronoun list (content/terms/terms.yaml) misses "¿Estás embarazada?", "Dónde vives", "Revisa el
formulario", "pregunta-ho" or «افتح». These rules look at how a verb is formed:

- es and ca: a lemmatiser (simplemma, a dictionary that ships in its PyPI package and works
  offline) says whether a word is a verb and which infinitive it comes from; the ending then says
  the person: a verb form ending in -s other than -mos/-is (es) or -m/-u (ca) is the second person
  singular ("estás", "vives", "tomas", "tens", "prefereixes"); a preterite "-aste/-iste", "has"
  before a participle; an enclitic imperative whose vowel is the tú one ("inténtalo", "déjalo",
  "escríbenos" against "inténtelo", "escríbanos"; ca "pregunta-ho", "digues-nos" against
  "pregunti-ho"); a sentence that opens with a bare imperative ("Revisa el formulario", "Piensa
  en", "Compta els medicaments"), not a question ("¿Está embarazada?" is usted).
- ar: the plural address the content uses ends its verbs in ـوا/ـون and its pronouns in ـكم; the
  rules find a clause that opens with a singular imperative (افتح، أضف، فكّر، احتفظ), a singular
  verb after لم/لن/لا/هل/إذا كنت (لم تعرف، هل تتناول), the singular future (ستخضع، ستتلقى) and
  the singular pronoun ـك on a noun (طفلك).

Each finding names the word. The termbase's `allowed` phrases are removed first, as for the word
list. Pure Python, no Flask.
"""

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

SENTENCE_MARKS = frozenset({"", ".", "!", "?", ":", ";", ",", "¿", "¡", "…"})
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
QUESTION_START = re.compile(r"¿\s*([^\W\d_]+)")

# Words after which an -s word is a noun or adjective, not a verb ("las pruebas", "tus datos").
ES_DETERMINERS = frozenset(
    "las los unas unos sus mis estas estos esas esos otras otros muchas muchos pocas pocos "
    "algunas algunos todas todos ambas ambos varias varios cuántas cuántos nuestras nuestros "
    "dos tres cuatro cinco seis siete ocho nueve diez doce veinte treinta más menos sus".split()
)
ES_NOT_VERBS = frozenset(
    "además atrás detrás jamás demás más después través inglés francés portugués japonés "
    "interés estrés mes tres antes entonces pues veces meses lunes martes miércoles jueves "
    "viernes análisis crisis síntesis diagnosis dosis tesis bases clases fases gracias "
    "existe consiste insiste resiste asiste persiste subsiste triste chiste quiste desiste "
    "contraste baste gaste mujeres hombres".split()
)
# Verbs a text tells the reader to do: a sentence that opens with one speaks to the reader, and
# its tú form ("Revisa", "Piensa", "Cuenta") is the third person too, so only these are read so.
ES_INSTRUCTIONS = frozenset(
    "revisar pensar contar volver enviar añadir escribir pulsar elegir acortar intentar dejar "
    "preguntar comprobar abrir buscar guardar llamar usar marcar indicar seguir cambiar confirmar "
    "consultar anotar recordar esperar seleccionar introducir completar rellenar descargar "
    "compartir olvidar llevar traer cerrar continuar probar responder contestar avisar copiar "
    "pegar imprimir borrar quitar leer hablar tomar".split()
) - {"seguir"}  # "Sigue guardada": it stays saved
ES_INSTRUCTIONS = frozenset(ES_INSTRUCTIONS)
ES_IMPERATIVES = frozenset("haz pon ten dime dinos".split())
# tú's imperatives the lemmatiser reads as nouns ("cuenta", "pregunta"), at a clause's start.
ES_OPENING_IMPERATIVES = frozenset("cuenta pregunta mira".split())
# What comes before a verb that has no subject written: the start, a question word, a clitic.
ES_BEFORE_VERB = (
    frozenset(
        "¿ ¡ no ya si que cuando donde dónde cómo como qué cuándo tú te lo la le se me nos les y o "
        "también ahora aún todavía solo sólo nunca siempre mientras pero porque".split()
    )
    | SENTENCE_MARKS
)
CLITIC_FORM = re.compile(r"(?:r|[áéí]\w*)(?:nos|les|los|las|selo|selos)$")
ES_CLITICS = re.compile(
    r"(?:selo|sela|selos|selas|melo|mela|noslo|nosla|lo|la|los|las|le|les|nos|me|te|se)$"
)
# -s words the lemmatiser reads as verbs that are participles or nouns ("hechas", "revisiones").
ES_NOT_SECOND = (
    "ados",
    "adas",
    "idos",
    "idas",
    "ones",
    "chas",
    "chos",
    "stas",
    "stos",
    "ertas",
    "ertos",
    "itas",
    "itos",
    "eltas",
    "eltos",
    "otas",
    "otos",
    "mos",
    "éis",
    "áis",
    "ís",
)

CA_DETERMINERS = frozenset(
    "les els unes uns seves seus meves meus aquestes aquests aquelles aquells altres moltes "
    "molts poques pocs algunes alguns totes tots ambdues ambdós diverses diversos dues dos tres "
    "quatre cinc sis set vuit nou deu dotze vint trenta més menys".split()
)
CA_NOT_VERBS = frozenset(
    "és altres permès suspès més després abans mes tres dues dos pues vegades mesos dies "
    "anàlisi crisi dosi fases "
    "bases classes gràcies dilluns dimarts dimecres dijous divendres".split()
)
CA_INSTRUCTIONS = frozenset(
    "revisar pensar comptar tornar enviar afegir escriure prémer triar escollir preguntar "
    "comprovar obrir cercar buscar desar guardar trucar marcar indicar seguir canviar confirmar "
    "consultar anotar recordar esperar seleccionar introduir completar emplenar descarregar "
    "compartir tancar continuar provar respondre contestar avisar copiar enganxar llegir mirar "
    "escurçar intentar deixar".split()
) - {"continuar"}  # "Continua desada": it stays saved
CA_IMPERATIVES = frozenset(
    "prem digues fes vine ves escriu obre omple llegeix afegeix compta mira pregunta".split()
)
CA_SECOND_SINGULAR = frozenset(
    "ets has tens pots vols saps vas fas dius prens vens reps vius estàs creus veus".split()
)
# Nouns that are also tu's verbs ("dones", women / you give): a verb when an article follows.
CA_AMBIGUOUS = frozenset(
    "dones penses esperes busques notes marques preguntes comptes proves mires".split()
)
CA_ARTICLES = frozenset("el la els les un una l' al a".split())
CA_BEFORE_VERB = (
    frozenset(
        "no ja si que quan on com què tu et t' ho hi en li ens i o també ara encara només mai "
        "sempre mentre però perquè".split()
    )
    | SENTENCE_MARKS
)
CA_NOT_SECOND = ("ts", "ds", "ns", "des", "ses", "sos", "eu", "em", "ès")
CA_CLITIC = re.compile(
    r"^(?P<base>[^\W\d_]+)(?:-(?:ho|hi|ne|n|la|les|lo|los|li|nos|vos|me|te|"
    r"se|s|l)|['’](?:ns|n|l|m|t|s|hi|ho|ls))+$"
)

AR_DIACRITICS = re.compile("[\u064b-\u0652\u0670\u0640]")
AR_WORD = re.compile(r"[\u0621-\u064a\u064b-\u0652\u0670\u0640]+")
AR_CLAUSE_MARKS = frozenset({"", ".", ",", "!", "?", "؟", ":", "،", "؛", "«", "(", "\n"})
# Singular imperatives (masculine) a text may tell the reader; the plural adds ـوا.
AR_IMPERATIVES = frozenset(
    "افتح اكتب أضف أدخل اختر احتفظ استخدم أرسل ابحث انقر اقرأ اسأل انتظر اترك ارجع اضغط "
    "فكر جرب تأكد راجع حاول أكمل تذكر ضع قل خذ دع كن اتصل أخبر اذكر أجب اتبع انظر "
    "اطلب املأ عد".split()
)
# Questions and negations about the reader: هل / لم + a verb in ت- with no plural ending.
AR_PARTICLES = frozenset("هل لم".split())
# Verbs in ت- after هل/لم that speak of a thing, not of the reader ("لا توجد", "لم تعد").
AR_THIRD_PERSON = frozenset("توجد تعد تزال تكلف تكون تحتوي".split())
# Subjects that follow a verb in ت- without the article ("هل تحمل خلايا…").
AR_SUBJECTS = frozenset("خلايا نتيجة دراسة تجربة رسالة عائلة".split())


def fold(word: str) -> str:
    """Lower-case a word and drop its accents: 'Inténtalo' -> 'intentalo'."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c) or c == "\u0303")


@lru_cache(maxsize=50_000)
def lemma(word: str, lang: str) -> str:
    from simplemma import lemmatize

    return lemmatize(word.lower(), lang=lang)


def infinitive(word: str, lang: str) -> str:
    """Return the infinitive a word is a form of, or '' when the lemmatiser reads it as no verb."""
    found = lemma(word, lang)
    endings = ("ar", "er", "ir", "re") if lang == "ca" else ("ar", "er", "ir")
    if found != word.lower() and found.endswith(endings) and len(found) > 2:
        return found
    return ""


TOKEN = re.compile(rf"{WORD.pattern}|[^\w\s]|\d+")


def words_around(text: str):
    """Yield (previous, word, next) for every word, the neighbours lower-cased.

    A neighbour across punctuation is '' ('¿' stays itself), so a word after a full stop
    counts as the first of its sentence.
    """
    tokens = [match.group() for match in TOKEN.finditer(text)]
    for index, word in enumerate(tokens):
        if not WORD.fullmatch(word):
            continue
        before = tokens[index - 1] if index else ""
        after = tokens[index + 1] if index + 1 < len(tokens) else ""
        previous = before.lower()
        following = after.lower() if WORD.fullmatch(after) else ""
        if before.isdigit():
            previous = "0"
        yield previous, word, following


def tu_vowel(base: str, verb: str) -> bool:
    """The imperative vowel of tú: -a for -ar verbs, -e for -er/-ir (usted has the other)."""
    end = fold(base)
    return end.endswith("a") if verb.endswith("ar") else end.endswith("e")


OPENING_MARKS = frozenset({"", ".", "!", "?", ":", ";", ",", "…", "(", "«", '"', "“", "-"})


def openings(text: str) -> list[str]:
    """The first word of every sentence or clause that is not a question, unless 'si'
    ('whether') or 'de' follows it: 'Mira si…' says what a study checks, 'Pregunta 3 de 5'
    is a noun."""
    return [
        word
        for previous, word, following in words_around(text)
        if previous in OPENING_MARKS and following not in ("si", "de", "del", "")
    ]


def spanish(text: str) -> list[str]:
    """Return the words of a Spanish text that address the reader as tú."""
    found = []
    for previous, word, _following in words_around(text):
        low = word.lower()
        if low in ES_NOT_VERBS or previous in ES_DETERMINERS or "-" in low or low == "es":
            continue
        if low == "has" or low in ES_IMPERATIVES:
            found.append(word)
        elif low.endswith(("aste", "iste")) and spanish_preterite(low):
            found.append(word)
        elif (
            low.endswith("s")
            and previous in ES_BEFORE_VERB
            and not low.endswith(ES_NOT_SECOND)
            and not CLITIC_FORM.search(low)
            and infinitive(low, "es")
        ):
            found.append(word)
        elif len(low) > 5 and enclitic(low):
            found.append(word)
    for word in openings(text):
        low = word.lower()
        verb = infinitive(low, "es")
        if low in ES_OPENING_IMPERATIVES or (
            verb in ES_INSTRUCTIONS and not low.endswith(("r", "ndo", "o")) and tu_vowel(low, verb)
        ):
            found.append(word)
    return list(dict.fromkeys(found))


def spanish_preterite(word: str) -> bool:
    """'recibiste', 'enviaste': the stem of the infinitive and -aste/-iste ('existe' is not)."""
    verb = infinitive(word, "es")
    return bool(verb) and word == verb[:-2] + ("aste" if verb.endswith("ar") else "iste")


def enclitic(word: str) -> bool:
    """An imperative with pronouns attached whose vowel is tú's: 'inténtalo', not 'inténtelo'."""
    match = ES_CLITICS.search(word)
    if not match or not re.search("[áéíóú]", word):
        return False
    base = word[: match.start()]
    verb = infinitive(fold(base), "es")
    if not verb or fold(base).endswith(("r", "ndo")):
        return False
    return tu_vowel(base, verb)


def catalan(text: str) -> list[str]:
    """Return the words of a Catalan text that address the reader as tu."""
    found = []
    for previous, word, following in words_around(text.replace("’", "'")):
        low = word.lower()
        if low in CA_NOT_VERBS or previous in CA_DETERMINERS:
            continue
        if (clitic := CA_CLITIC.match(low)) and catalan_imperative(clitic.group("base")):
            found.append(word)
        elif low in CA_SECOND_SINGULAR or (low in CA_AMBIGUOUS and following in CA_ARTICLES):
            found.append(word)
        elif low == "et" or low.startswith("t'"):  # tu's pronoun: "Et respondrà", "t'enviarem"
            found.append(word)
        elif (
            low.endswith("s")
            and "-" not in low
            and "'" not in low
            and previous in CA_BEFORE_VERB
            and not low.endswith(CA_NOT_SECOND)
            and infinitive(low, "ca")
            and low not in CA_AMBIGUOUS
        ):
            found.append(word)
    for word in openings(text):
        low = word.lower().split("-")[0].split("'")[0]
        verb = infinitive(low, "ca")
        if low in CA_IMPERATIVES or (
            verb in CA_INSTRUCTIONS and low != verb and low.endswith(("a", "eix"))
        ):
            found.append(word)
    return list(dict.fromkeys(found))


def catalan_imperative(base: str) -> bool:
    """tu's imperative before a pronoun ends -a, -es, -u, -eix; vostè's -i ('pregunti-ho')."""
    if base in CA_IMPERATIVES:
        return True
    verb = infinitive(base, "ca")
    if not verb or base == verb or base.endswith(("i", "ï", "r", "re", "nt", "m", "eu")):
        return False
    return base.endswith(("a", "es", "u", "eix"))


def bare_arabic(word: str) -> str:
    return AR_DIACRITICS.sub("", word)


def arabic_tokens(text: str) -> list[str]:
    return [m.group() for m in re.finditer(rf"{AR_WORD.pattern}|[^\s\w]|\n", text)]


def arabic(text: str) -> list[str]:
    """Return the words of an Arabic text that address one man instead of the plural."""
    found = []
    tokens = arabic_tokens(text)
    for index, token in enumerate(tokens):
        if not AR_WORD.fullmatch(token):
            continue
        word = bare_arabic(token)
        before = bare_arabic(tokens[index - 1]) if index else ""
        if len(before) > 2 and before[0] in "وف" and before[1:] in ("هل", "إذا", "لم"):
            before = before[1:]  # فهل، وإذا
        after = bare_arabic(tokens[index + 1]) if index + 1 < len(tokens) else ""
        if before in AR_CLAUSE_MARKS and singular_imperative(token):
            found.append(word)
        elif before in ("هل", "إذا", "إن", "لو") and singular_past(word, after):
            found.append(f"{before} {word}")
        elif before in AR_PARTICLES and singular_present(word.removeprefix("س"), after):
            found.append(f"{before} {word}")
    return list(dict.fromkeys(found))


def singular_imperative(token: str) -> bool:
    """افتح، فكّر، احتفظ (also after و/ف), not the passive أُرسل / أُدخل (a damma on the alif)."""
    if len(token) > 1 and token[1] == "\u064f":
        return False
    word = bare_arabic(token)
    return word in AR_IMPERATIVES or (word[:1] in "وف" and word[1:] in AR_IMPERATIVES)


def singular_past(word: str, after: str) -> bool:
    """كنت، تلقّيت، تواصلت after هل/إذا: the past of 'you' (one man), not كانت or the plural."""
    if word == "كنت" or word.endswith("يت"):
        return True
    subject = after.startswith("ال") or after in AR_SUBJECTS
    return (
        len(word) >= 4 and word.endswith("ت") and not word.endswith(("ات", "انت")) and not subject
    )


def singular_present(word: str, after: str) -> bool:
    """A verb in ت- with no plural ending and no subject after it: هل تتناول، لم تعرف."""
    if not word.startswith("ت") or len(word) < 3 or word in AR_THIRD_PERSON:
        return False
    if word.endswith(("ون", "وا", "ين", "ن", "كم", "تم", "ة", "ات")):
        return False
    subject = (
        after.startswith("ال") and after != "الآن" or after in AR_SUBJECTS or after.endswith("كم")
    )
    return not subject


RULES = {"es": spanish, "ca": catalan, "ar": arabic}


def informal_forms(text: str, lang: str, allowed: Iterable[str] = ()) -> list[str]:
    """Return the words of a text that break the register of its locale (none: it keeps it)."""
    rule = RULES.get(lang)
    if rule is None:
        return []
    for phrase in allowed:
        text = text.replace(phrase, " ")
    text = re.sub(r"%\(\w+\)[sd]|\{\w+\}|<[^>]+>|\[([^\]]*)\]\(#[^)]*\)", r" \1 ", text)
    return rule(text)
