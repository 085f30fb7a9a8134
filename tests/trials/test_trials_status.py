"""Every registry status reads as words in every locale, and so does why a study takes no one."""

import pytest
from flask_babel import force_locale

from trialfinder.lib.locales import LOCALES
from trialfinder.trials import labels

# Every overallStatus of ClinicalTrials.gov API v2 (expanded access ones included).
STATUSES = (
    "RECRUITING NOT_YET_RECRUITING ACTIVE_NOT_RECRUITING ENROLLING_BY_INVITATION COMPLETED "
    "SUSPENDED TERMINATED WITHDRAWN UNKNOWN WITHHELD AVAILABLE NO_LONGER_AVAILABLE "
    "TEMPORARILY_NOT_AVAILABLE APPROVED_FOR_MARKETING"
).split()


def shown(app, lang: str, say, code: str) -> str:
    with app.test_request_context(), force_locale(lang):
        return say(code)


@pytest.mark.parametrize("lang", LOCALES)
def test_every_status_has_a_translated_label_and_reason(app, lang):
    for code in STATUSES:
        label = shown(app, lang, labels.status_label, code)
        assert code in labels.STATUS_LABELS and label.strip(), f"{code}: no label in {lang}"
        reason = shown(app, lang, labels.status_reason, code)
        assert bool(reason) == (code != "RECRUITING")
        if lang != "en":
            assert label != shown(app, "en", labels.status_label, code) or code == "AVAILABLE"
            assert reason == "" or reason != shown(app, "en", labels.status_reason, code)


def test_the_verified_date_is_formatted_by_babel(app):
    record = {"protocolSection": {"statusModule": {"statusVerifiedDate": "2023-12"}}}
    assert shown(app, "fr", lambda _: labels.verified_date(record), "") == "décembre 2023"
    assert shown(app, "ar", lambda _: labels.verified_date(record), "") == "ديسمبر 2023"
    assert shown(app, "es", lambda _: labels.verified_date({}), "") == ""
