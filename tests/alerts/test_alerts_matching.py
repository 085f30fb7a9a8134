"""Which trials an alert names, and its signed links: pure logic, no app."""

import time
from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from trialfinder.alerts import tokens
from trialfinder.alerts.matching import Profile, admits_age, new_matches, shares_a_condition

MADRID = (40.4165, -3.70256)
BARCELONA = (41.3851, 2.1734)
ALL = "Acute Lymphoblastic Leukemia"


@dataclass
class FakeSite:
    facility: str = "Hospital"
    city: str = "Madrid"
    status: str = "RECRUITING"
    lat: float | None = MADRID[0]
    lon: float | None = MADRID[1]


@dataclass
class FakeTrial:
    nct_id: str = "NCT00000001"
    version: str = "v1"
    status: str = "RECRUITING"
    conditions: list = field(default_factory=lambda: [ALL])
    min_age_years: float | None = 1
    max_age_years: float | None = 30
    sites: list = field(default_factory=lambda: [FakeSite()])


def ids(matches) -> list[str]:
    return [match.trial.nct_id for match in matches]


@pytest.mark.parametrize(
    ("interests", "expected"),
    [
        ((ALL,), True),
        (("  acute lymphoblastic   LEUKEMIA ",), True),
        (("Melanoma",), False),
        ((), False),
    ],
)
def test_interests_match_a_condition_whatever_the_case(interests, expected):
    assert shares_a_condition(interests, FakeTrial()) is expected


@pytest.mark.parametrize(
    ("age", "low", "high", "expected"),
    [
        (None, 1, 30, True),
        (12, 1, 30, True),
        (30, 1, 30, True),
        (31, 1, 30, False),
        (0, 1, 30, False),
        (0, 0.5, None, False),
        (70, None, None, True),
        (1, 0.5, 2, True),
    ],
)
def test_age_inside_the_range_or_unknown(age, low, high, expected):
    assert admits_age(age, FakeTrial(min_age_years=low, max_age_years=high)) is expected


def test_distance_to_the_nearest_recruiting_site_decides():
    near = FakeTrial("NCT00000001")
    far = FakeTrial(
        "NCT00000002", sites=[FakeSite(city="Barcelona", lat=BARCELONA[0], lon=BARCELONA[1])]
    )
    closed_near = FakeTrial(
        "NCT00000003",
        sites=[FakeSite(status="COMPLETED"), FakeSite(lat=BARCELONA[0], lon=BARCELONA[1])],
    )
    profile = Profile((ALL,), location=MADRID)
    matches = new_matches(profile, [far, near, closed_near], set(), radius_km=150)
    assert ids(matches) == ["NCT00000001"]
    assert matches[0].site.city == "Madrid" and matches[0].distance_km < 1
    assert ids(new_matches(profile, [far], set(), radius_km=600)) == ["NCT00000002"]


def test_unknown_places_do_not_filter_by_distance():
    unplaced = FakeTrial("NCT00000004", sites=[FakeSite(lat=None, lon=None)])
    far = FakeTrial("NCT00000005", sites=[FakeSite(lat=BARCELONA[0], lon=BARCELONA[1])])
    assert ids(new_matches(Profile((ALL,), location=MADRID), [unplaced], set(), 150)) == [
        "NCT00000004"
    ]
    assert ids(new_matches(Profile((ALL,)), [far, unplaced], set(), 150)) == [
        "NCT00000005",
        "NCT00000004",
    ]


def test_a_trial_without_recruiting_site_is_not_near_anyone():
    waiting = FakeTrial(status="NOT_YET_RECRUITING", sites=[FakeSite(status="NOT_YET_RECRUITING")])
    assert new_matches(Profile((ALL,), location=MADRID), [waiting], set(), 150) == []
    assert ids(new_matches(Profile((ALL,)), [waiting], set(), 150)) == ["NCT00000001"]


@pytest.mark.parametrize("status", ["COMPLETED", "ACTIVE_NOT_RECRUITING", "WITHDRAWN"])
def test_closed_trials_are_never_announced(status):
    assert new_matches(Profile((ALL,)), [FakeTrial(status=status)], set(), 150) == []


def test_a_version_already_sent_is_left_out_and_a_new_version_is_not():
    trial = FakeTrial(version="v1")
    assert new_matches(Profile((ALL,)), [trial], {("NCT00000001", "v1")}, 150) == []
    trial.version = "v2"
    matches = new_matches(Profile((ALL,)), [trial], {("NCT00000001", "v1")}, 150)
    assert [match.key for match in matches] == [("NCT00000001", "v2")]


def test_nearest_trials_come_first():
    far = FakeTrial("NCT00000006", sites=[FakeSite(lat=BARCELONA[0], lon=BARCELONA[1])])
    near = FakeTrial("NCT00000007")
    matches = new_matches(Profile((ALL,), location=MADRID), [far, near], set(), 1000)
    assert ids(matches) == ["NCT00000007", "NCT00000006"]


# ---- signed links -----------------------------------------------------------------------

KEY = "test-secret"
DATA = tokens.LinkData(7, "nonce-1")


def test_a_link_reads_back_within_seven_days():
    six_days_ago = time.time() - timedelta(days=6).total_seconds()
    token = tokens.make_link(KEY, tokens.CONFIRM_SALT, DATA, clock=lambda: six_days_ago)
    assert tokens.read_link(KEY, tokens.CONFIRM_SALT, token, tokens.CONFIRM_MAX_AGE) == DATA


def test_a_link_older_than_seven_days_has_expired():
    token = tokens.make_link(KEY, tokens.CONFIRM_SALT, DATA)
    eight_days_later = time.time() + timedelta(days=8).total_seconds()
    with pytest.raises(tokens.ExpiredLink):
        tokens.read_link(
            KEY, tokens.CONFIRM_SALT, token, tokens.CONFIRM_MAX_AGE, clock=lambda: eight_days_later
        )


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "x" + token,
        lambda token: token.split(".")[0],
        lambda token: "",
    ],
)
def test_an_altered_link_is_invalid(mangle):
    token = tokens.make_link(KEY, tokens.CONFIRM_SALT, DATA)
    with pytest.raises(tokens.InvalidLink):
        tokens.read_link(KEY, tokens.CONFIRM_SALT, mangle(token), tokens.CONFIRM_MAX_AGE)


def test_a_link_for_one_purpose_or_key_does_not_open_another():
    token = tokens.make_link(KEY, tokens.UNSUBSCRIBE_SALT, DATA)
    with pytest.raises(tokens.InvalidLink):
        tokens.read_link(KEY, tokens.CONFIRM_SALT, token)
    with pytest.raises(tokens.InvalidLink):
        tokens.read_link("another-secret", tokens.UNSUBSCRIBE_SALT, token)
