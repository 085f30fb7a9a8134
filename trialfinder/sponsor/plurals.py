"""Put the CLDR plural rule back in catalogs after `pybabel update` (run by `make messages`).

Babel writes Arabic's Plural-Forms from its own conversion of the CLDR rule, whose fifth form
("many": 11 to 99) is wrong; the catalogs keep the rule written out in CLDR order instead.
"""

import io
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

# zero, one, two, few (3-10), many (11-99), other: the forms of CLDR, in CLDR's order.
RULES = {
    "ar": (
        6,
        "(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5)",
    ),
}


def restore(folder: Path) -> None:
    """Rewrite each catalog that has a rule here with that rule, entries untouched."""
    for lang, (count, expression) in RULES.items():
        path = folder / lang / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as po_file:
            catalog = read_po(po_file, locale=lang)
        catalog._num_plurals, catalog._plural_expr = count, expression
        out = io.BytesIO()
        write_po(out, catalog, width=100, no_location=True, ignore_obsolete=True)
        path.write_bytes(out.getvalue())


if __name__ == "__main__":
    restore(Path(sys.argv[1] if len(sys.argv) > 1 else "translations"))
