"""Design tokens: every colour is a custom property of static/css/tokens.css, and the pairs the
site draws meet WCAG AA contrast in the light scheme and in the dark one."""

import re

import pytest

from tests.conftest import ROOT

TOKENS = (ROOT / "static" / "css" / "tokens.css").read_text("utf-8")
SITE = (ROOT / "static" / "css" / "site.css").read_text("utf-8")
TEXT, LARGE_OR_UI = 4.5, 3.0

# (foreground, background, minimum ratio): text on the backgrounds it is drawn on, then borders
# and focus rings that identify a control (WCAG 1.4.11).
PAIRS = [
    ("ink", "paper", TEXT),
    ("ink", "tint", TEXT),
    ("muted", "paper", TEXT),
    ("muted", "tint", TEXT),
    ("accent", "paper", TEXT),
    ("accent", "tint", TEXT),
    ("accent-strong", "paper", TEXT),
    ("on-accent", "accent", TEXT),
    ("on-accent", "accent-strong", TEXT),
    ("warn-ink", "warn-bg", TEXT),
    ("error", "paper", TEXT),
    ("ink", "ok-bg", TEXT),
    ("field-border", "paper", LARGE_OR_UI),
    ("accent", "paper", LARGE_OR_UI),
    ("warn-edge", "warn-bg", LARGE_OR_UI),
    ("ok", "ok-bg", LARGE_OR_UI),
    ("caution", "tint", LARGE_OR_UI),
    # The site map: labels on sea and land (each with a halo), points on both.
    ("map-text", "map-sea", TEXT),
    ("map-text", "map-land", TEXT),
    ("map-text", "map-halo", TEXT),
    ("map-site", "map-sea", LARGE_OR_UI),
    ("map-site", "map-land", LARGE_OR_UI),
    ("accent", "map-land", LARGE_OR_UI),
]


def scheme(css: str) -> dict[str, str]:
    return dict(re.findall(r"--color-([\w-]+):\s*(#[0-9a-fA-F]{6})\b", css))


def schemes() -> dict[str, dict[str, str]]:
    light_css, dark_css = TOKENS.split("@media (prefers-color-scheme: dark)")
    light = scheme(light_css)
    return {"light": light, "dark": light | scheme(dark_css)}


def luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_is_computed_as_wcag_does():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # just fails AA
    assert contrast("#ffffff", "#ffffff") == 1


@pytest.mark.parametrize("name", ["light", "dark"])
def test_every_pair_meets_aa(name):
    colours = schemes()[name]
    failing = {
        f"{fg} on {bg}": round(contrast(colours[fg], colours[bg]), 2)
        for fg, bg, minimum in PAIRS
        if contrast(colours[fg], colours[bg]) < minimum
    }
    assert not failing, f"{name}: below AA: {failing}"
    # The focus ring is two rings, focus colour inside ink: one of them stands out from the page.
    ring = max(
        contrast(colours["focus"], colours["paper"]), contrast(colours["ink"], colours["paper"])
    )
    assert ring >= LARGE_OR_UI


def test_dark_scheme_redefines_every_colour():
    light, dark = scheme(TOKENS.split("@media")[0]), scheme(TOKENS.split("@media")[1])
    assert set(dark) == set(light)
    assert dark["paper"] != light["paper"] and dark["ink"] != light["ink"]


def test_the_site_stylesheet_takes_its_colours_from_the_tokens():
    screen = re.sub(r"@media print \{.*?\n\}", "", SITE, flags=re.S)  # print is black on white
    literal = re.findall(r"#[0-9a-fA-F]{3,8}\b|\brgba?\(", screen)
    assert literal == [], "colours belong in tokens.css"
    used = set(re.findall(r"var\(--color-([\w-]+)\)", SITE))
    assert used <= set(schemes()["light"]) | {"shadow"}, used - set(schemes()["light"])
