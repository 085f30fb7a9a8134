"""The basic pre-screen of a trial written out as a questionnaire.yaml to extend. No Flask.

Used by `flask trials new`: the texts are plain English msgids (placeholders filled in), so that
`make messages` collects them like those of any hand-written questionnaire.
"""

import yaml

from trialfinder.prescreen import basic

QUESTIONNAIRE_HEADER = """# Pre-screening questionnaire of {nct_id}, seeded from the basic
# pre-screen (the record's age and sex limits). Add the questions of the main criteria:
# the format is described at the top of content/trials/NCT06709469/questionnaire.yaml. Run
# `make messages` and translate the new texts in every catalog. While this file is absent,
# the site asks the basic pre-screen.
#
# Examples of the other kinds of question:
#
# arms:
#   A:
#     label: "Arm A of the study, for ..."
#     description: "What arm A gives, in one or two sentences."
# questions:
#   - id: diagnosis                 # a choice that decides and points to an arm
#     text: "Which illness does the patient have?"
#     reason: "The study is only for ..."
#     to_check: "The study team will check the illness."
#     options:
#       - {{value: kind_a, label: "...", verdict: pass, arm: A}}
#       - {{value: other, label: "Another illness", verdict: fail}}
#       - {{value: unknown, label: "I'm not sure", verdict: unknown}}
#   - id: marker                    # asked only after some answers
#     shown_if: {{diagnosis: [kind_a]}}
#     text: "..."
#   - id: weight_kg                 # a whole number with a range that passes
#     type: integer
#     minimum: 0
#     maximum: 300
#     passes: {{at_least: 10}}
#     text: "How much does the patient weigh, in kilos?"
#     reason: "The study is for people who weigh 10 kilos or more."
#     to_check: "The study team will check the weight."

"""


def english(text, values: dict):
    """Fill the template's placeholders in English: a hand-written file holds plain msgids."""
    if isinstance(text, str):
        return text % values if "%(" in text else text
    if isinstance(text, dict):
        return {key: english(value, values) for key, value in text.items()}
    if isinstance(text, list):
        return [english(value, values) for value in text]
    return text


def questionnaire_file(limits: basic.Limits, template: dict) -> str:
    """Return the basic pre-screen of a trial as a questionnaire.yaml to extend."""
    values = {
        # In the record's units, written out in English: "18", "65 years"; "6 months".
        **{
            name: f"{age:g}" if isinstance(age, int | float) else str(age)
            for name, age in basic.age_values(limits).items()
        },
        "conditions": "; ".join(limits.conditions),
    }
    questions = template["questions"]
    if not limits.conditions:
        questions = [q for q in questions if q.get("id") != "has_condition"]
    raw = {
        "trial": limits.nct_id,
        "respondent_question": template.get("respondent_question"),
        "always_checks": template.get("always_checks", []),
        "questions": english(basic.applicable(questions, limits), values),
    }
    body = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=100)
    return QUESTIONNAIRE_HEADER.format(nct_id=limits.nct_id) + body
