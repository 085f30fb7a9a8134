"""Sealed values: opened only with the key, within their age, and never readable."""

from trialfinder.lib import sealing

NOW = 1_800_000_000


def test_a_sealed_value_opens_with_its_key_and_within_its_age():
    token = sealing.seal(["key"], "answers", {"age_years": 35}, NOW)
    assert "age_years" not in token
    assert sealing.unseal(["key"], "answers", token, 3600, NOW + 3599) == {"age_years": 35}
    assert sealing.unseal(["key"], "answers", token, 3600, NOW + 3601) is None


def test_another_key_or_purpose_does_not_open_it():
    token = sealing.seal(["key"], "answers", [1, 2], NOW)
    assert sealing.unseal(["other"], "answers", token, 60, NOW) is None
    assert sealing.unseal(["key"], "notes", token, 60, NOW) is None


def test_an_old_key_still_opens_what_it_sealed():
    """A site that rotates its secret (SECRET_KEY_FALLBACKS) keeps its visitors' answers."""
    token = sealing.seal(["old"], "answers", "kept", NOW)
    assert sealing.unseal(["new", "old"], "answers", token, 60, NOW) == "kept"


def test_anything_else_is_nothing():
    for token in (None, "", "x" * 200, 12, {"a": 1}, "gAAAAA" + "A" * 100):
        assert sealing.unseal(["key"], "answers", token, 60, NOW) is None
