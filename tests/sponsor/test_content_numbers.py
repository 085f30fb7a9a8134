"""No content text glues a number from the record to a noun: a sentence per plural form, or
'label: value'. Pure, no app."""

import pytest

from trialfinder.sponsor import rules

KEY = "faq[how_to_take_part].facts.enrolment"


@pytest.mark.parametrize(
    "broken",
    [
        "تخطط الدراسة لضم نحو {enrolment} شخصًا.",  # faq/ar.yaml:55 at de61acd (review A-M3)
        "Studiul plănuiește să includă aproximativ {enrolment} persoane.",  # faq/ro.yaml:55 (M8)
        "The study plans to include about {enrolment} people.",
    ],
)
def test_a_number_glued_to_a_noun_is_refused(broken):
    assert rules.glued_numbers("faq.yaml", {KEY: broken})


@pytest.mark.parametrize(
    "texts",
    [
        {f"{KEY}.one": "تخطط الدراسة لضم مشارك واحد.", f"{KEY}.many": "نحو {enrolment} مشاركًا."},
        {KEY: "Numărul planificat de participanți: aproximativ {enrolment}."},  # label: value
    ],
)
def test_plural_forms_or_label_value_pass(texts):
    assert rules.glued_numbers("faq.yaml", texts) == []


def test_plural_forms_compare_with_the_sources_other_and_may_say_one_in_words():
    source = {f"{KEY}.one": "{enrolment} person.", f"{KEY}.other": "about {enrolment} people."}
    arabic = {
        f"{KEY}.one": "تخطط الدراسة لضم مشارك واحد.",
        f"{KEY}.few": "نحو {enrolment} مشاركين.",
        f"{KEY}.other": "نحو {enrolment} مشارك.",
    }
    assert rules.differences("ar.yaml", arabic, source) == []
    broken = arabic | {f"{KEY}.few": "نحو مشاركين."}  # the number lost in a numbered form
    assert [p.where for p in rules.differences("ar.yaml", broken, source)] == [f"{KEY}.few"]
