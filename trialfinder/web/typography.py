"""French typography at render time: narrow no-break spaces before : ; ! ? and inside « ».

Translators type ordinary spaces (or none); the rendered French page gets U+202F, so a line
never breaks before a colon or after «. Only text is touched: text nodes, and the data-*
attributes that scripts show as text (the notes panel's messages); never other markup, URLs,
<script>, <style>, <code>, <pre>, <textarea>, or an element in another language (lang="en" on
the official registry text).
"""

import re

from flask import Flask, Response

from trialfinder.web.i18n import current_locale

NNBSP = "\u202f"
# An ordinary or no-break space before the mark, or none after a word, a closing » or ).
# Already narrow spaces count as spaces, so spacing twice changes nothing.
BEFORE_MARK = re.compile(r"(?:[ \u00a0\u202f]+|(?<=[\w»)]))([;!?])(?=\s|$|[<»)\"'])")
# A colon only when it ends a phrase: never in https://, 10:30 or a:b.
BEFORE_COLON = re.compile(r"(?:[ \u00a0\u202f]+|(?<=[\w»)]))(:)(?=\s|$|<)")
OPEN_QUOTE = re.compile(r"«[ \u00a0\u202f]*")
CLOSE_QUOTE = re.compile(r"[ \u00a0\u202f]*»")
# Left exactly as they are: URLs and character references such as &amp; or &#39;.
KEEP = re.compile(r"\b(?:https?://|www\.)\S+|&#?\w+;")
TAG = re.compile(r"(<!--.*?-->|<[^>]*>)", re.DOTALL)
RAW = re.compile(r"<(script|style|code|pre|textarea)\b", re.IGNORECASE)
# An element that says it is in another language, such as the official English registry text.
OTHER_LANGUAGE = re.compile(r"<(\w+)\b[^>]*\slang=[\"']?([\w-]+)", re.IGNORECASE)
TAG_NAME = re.compile(r"</?(\w+)")
# A data-* attribute's quoted value: the texts that scripts put on the page (notes.js).
DATA_ATTRIBUTE = re.compile(r'(\sdata-[\w-]+=")([^"]*)(")')
# Every change above starts from one of these: a text without any is left as it is (most are).
SPACED = re.compile(r"[;!?:«»]")
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
)


def space_text(text: str) -> str:
    """Return plain French text with narrow no-break spaces, leaving URLs as they are."""
    return spaced_text(text) if SPACED.search(text) else text


def spaced_text(text: str) -> str:
    """Space a text that holds at least one of SPACED's marks (space_text checks first)."""
    parts = KEEP.split(text)
    kept = KEEP.findall(text)
    spaced = []
    for part in parts:
        part = BEFORE_MARK.sub(NNBSP + r"\1", part)
        part = BEFORE_COLON.sub(NNBSP + r"\1", part)
        part = OPEN_QUOTE.sub("«" + NNBSP, part)
        spaced.append(CLOSE_QUOTE.sub(NNBSP + "»", part))
    return "".join(piece for pair in zip(spaced, [*kept, ""], strict=True) for piece in pair)


def skipped_element(tag: str) -> str | None:
    """Return the name of an element whose text is left alone: raw text, or not in French."""
    if match := RAW.match(tag):
        return match.group(1).lower()
    match = OTHER_LANGUAGE.match(tag)
    if match and match.group(1).lower() not in VOID and not match.group(2).lower().startswith("fr"):
        return match.group(1).lower()
    return None


def space_html(html: str) -> str:
    """Return an HTML document with French spacing in its French text nodes only."""
    out, skipping, depth = [], None, 0
    for piece in TAG.split(html):
        if not piece.startswith("<"):
            out.append(piece if skipping else space_text(piece))
            continue
        if not skipping and " data-" in piece and not piece.startswith("<!--"):
            piece = DATA_ATTRIBUTE.sub(lambda m: m[1] + space_text(m[2]) + m[3], piece)
        out.append(piece)
        name = (TAG_NAME.match(piece) or [None, ""])[1].lower()
        if skipping is None:
            skipping, depth = skipped_element(piece), 1
        elif name == skipping:
            depth += -1 if piece.startswith("</") else 1
            skipping = skipping if depth else None
    return "".join(out)


def page_text(html: str) -> str:
    """Return a page's HTML as the current locale prints it (spaced in French)."""
    return space_html(html) if current_locale() == "fr" else html


def french_pages(response: Response) -> Response:
    """Space the French HTML pages; other locales, types and compressed bodies pass unchanged.

    A compressed body comes from the page store (caching.py), which spaced it before keeping it.
    """
    skip = response.direct_passthrough or "Content-Encoding" in response.headers
    if current_locale() != "fr" or response.mimetype != "text/html" or skip:
        return response
    response.set_data(space_html(response.get_data(as_text=True)))
    return response


def init_app(app: Flask) -> None:
    """Register after the compression step, so that pages are spaced before they are gzipped."""
    app.after_request(french_pages)
