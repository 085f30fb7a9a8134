"""ClinicalTrials.gov ids (NCT numbers): the one pattern every part checks them with. No Flask."""

import re

# "NCT" and eight ASCII digits, nothing around it (fullmatch: no trailing newline either).
NCT_ID = re.compile(r"NCT[0-9]{8}")


def is_nct_id(text: object) -> bool:
    """Say whether text is an NCT number such as NCT06709469, exactly as the registry writes it."""
    return isinstance(text, str) and NCT_ID.fullmatch(text) is not None
