"""The one NCT-number pattern: what the registry writes, and nothing that only looks like it."""

import pytest

from trialfinder.lib.nct import is_nct_id


@pytest.mark.parametrize("good", ["NCT06709469", "NCT00000000"])
def test_an_nct_number_is_accepted(good):
    assert is_nct_id(good)


@pytest.mark.parametrize(
    "bad",
    [
        "nct06709469",
        "NCT0670946",
        "NCT067094690",
        "NCT06709469\n",
        " NCT06709469",
        "NCT٠٦٧٠٩٤٦٩",  # Arabic-Indic digits are digits to \d, not to the registry
        "NCT06709469/../x",
        "",
        None,
        6709469,
    ],
)
def test_anything_else_is_refused(bad):
    assert not is_nct_id(bad)
