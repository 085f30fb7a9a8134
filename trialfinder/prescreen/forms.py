"""Forms of the questionnaire pages: one step (a choice or a whole number) and sharing."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, StopValidation

from trialfinder.prescreen.model import Question

CHOOSE_ONE = _l("Choose one answer.")
ENTER_WHOLE_NUMBER = _l("Enter a whole number, for example 12.")
NUMBER_OUT_OF_RANGE = _l("Enter a whole number from %(min)s to %(max)s.")
SHARE_LABEL = _l("Share my answers with the study team")


class StepForm(FlaskForm):
    """One question; its single field is added per question by step_form()."""


class ShareForm(FlaskForm):
    share = BooleanField(SHARE_LABEL)


class RestartForm(FlaskForm):
    """Start again: nothing to fill in, only the form token."""


def within_reach(minimum: int, maximum: int):
    """Refuse a number of hundreds of digits before NumberRange's float check overflows (a 500)."""

    def check(_form, field) -> None:
        if isinstance(field.data, int) and abs(field.data) > 10**9:
            raise StopValidation(NUMBER_OUT_OF_RANGE % {"min": minimum, "max": maximum})

    return check


def step_form(question: Question, label: str, options: list, current: object = None) -> StepForm:
    """Return the form for one question, showing `current` unless the request posts a new one."""
    if question.type == "integer":
        field = IntegerField(
            label,
            validators=[
                InputRequired(message=ENTER_WHOLE_NUMBER),
                within_reach(question.minimum, question.maximum),
                NumberRange(question.minimum, question.maximum, message=NUMBER_OUT_OF_RANGE),
            ],
            invalid_value_message=ENTER_WHOLE_NUMBER,
        )
    else:
        choices = [SelectChoice(value, text) for value, text in options]
        field = RadioField(label, choices=choices, invalid_choice_message=CHOOSE_ONE)
    form_class = type("StepForm", (StepForm,), {"answer": field})
    return form_class() if current is None else form_class(data={"answer": current})
