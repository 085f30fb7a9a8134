"""The questionnaire pages: one question per step, the result, a printable summary.

Every step is a plain form posted to the server, so it all works with JavaScript off.
"""

from datetime import date

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import format_date
from werkzeug.routing import BuildError

from trialfinder.lib.countries import country_codes
from trialfinder.lib.locales import DEFAULT_COUNTRY
from trialfinder.lib.statuses import OPEN_STATUSES
from trialfinder.prescreen import services, sharing
from trialfinder.prescreen.engine import (
    evaluate,
    most_questions,
    next_question,
    previous_question,
    relevant_answers,
    visible_questions,
)
from trialfinder.prescreen.forms import RestartForm, ShareForm, step_form
from trialfinder.trials.services import trial_or_404
from trialfinder.web.caching import form_page
from trialfinder.web.i18n import current_locale, localized_blueprint

bp = localized_blueprint("prescreen", __name__)


def load(nct_id: str):
    """Return the trial, its questionnaire and this visitor's answers, or 404.

    A study that takes nobody now, nor will (completed, withdrawn, status unknown...), has no
    questionnaire to answer: "this study may fit" would invite a family to a closed door. Its
    page says why, and how to reach the team.
    """
    trial = trial_or_404(nct_id)
    if trial.status not in OPEN_STATUSES:
        abort(redirect(url_for("trials.overview", nct_id=trial.nct_id, _anchor="status-reason")))
    questionnaire = services.questionnaire_or_404(trial.nct_id)
    return trial, questionnaire, services.saved_answers(questionnaire)


def step_url(trial, question) -> str:
    """Return the page of a question, or the result page after the last one."""
    if question is None:
        return url_for("prescreen.result", nct_id=trial.nct_id)
    return url_for("prescreen.step", nct_id=trial.nct_id, question_id=question.id)


def contact_url(nct_id: str) -> str:
    """Return the contact form of a trial (built by its own feature when it is installed)."""
    if "contact.form" in current_app.view_functions:
        try:
            return url_for("contact.form", nct_id=nct_id)
        except BuildError:
            pass
    return f"/{current_locale()}/trials/{nct_id}/contact"


@bp.get("/trials/<nct_id>/prescreen")
def start(nct_id: str):
    """Explain the questionnaire and ask its first question."""
    # Built once for everyone with the same answers (most often none); the token is added last.
    return form_page(lambda: ask_first(nct_id), services.stored_answers(nct_id))


def ask_first(nct_id: str) -> str:
    trial, questionnaire, answers = load(nct_id)
    first = next_question(questionnaire, answers, None)
    return render_step(trial, questionnaire, answers, first, intro=True)


@bp.route("/trials/<nct_id>/prescreen/<question_id>", methods=["GET", "POST"])
def step(nct_id: str, question_id: str):
    """Ask one question; store a valid answer and go to the next question shown."""
    if request.method == "GET":  # built once per answers so far, like the first question
        return form_page(lambda: ask(nct_id, question_id), services.stored_answers(nct_id))
    trial, questionnaire, answers, question = load_question(nct_id, question_id)
    if question not in visible_questions(questionnaire, answers):
        return redirect(step_url(trial, next_question(questionnaire, answers, question)))
    form = make_form(questionnaire, answers, question)
    if form.validate_on_submit():
        answers = services.save_answer(questionnaire, question, form.answer.data)
        return redirect(step_url(trial, next_question(questionnaire, answers, question)))
    return render_step(trial, questionnaire, answers, question, form=form)


def load_question(nct_id: str, question_id: str):
    """Return the trial, questionnaire, answers and the question asked, or 404."""
    trial, questionnaire, answers = load(nct_id)
    question = questionnaire.by_id.get(question_id)
    if question is None:
        abort(404)
    return trial, questionnaire, answers, question


def ask(nct_id: str, question_id: str):
    """Render a question, or redirect past it when the answers so far hide it."""
    trial, questionnaire, answers, question = load_question(nct_id, question_id)
    if question not in visible_questions(questionnaire, answers):
        return redirect(step_url(trial, next_question(questionnaire, answers, question)))
    return render_step(trial, questionnaire, answers, question)


def make_form(questionnaire, answers, question):
    """Build the form of a question worded for the respondent, with its answer on GET."""
    respondent = services.respondent_of(questionnaire, answers)
    current = answers.get(question.id) if request.method == "GET" else None
    label = services.say(question.text, respondent)
    return step_form(question, label, services.choices(question, respondent), current)


def render_step(trial, questionnaire, answers, question, form=None, intro=False):
    """Render one question with "Question n of m", m the most questions still possible.

    The total never grows as the visitor answers (it may shrink when questions drop out), and
    once an answer rules the study out, the page says so with a way to the result.
    """
    form = form or make_form(questionnaire, answers, question)
    shown = visible_questions(questionnaire, answers)
    previous = previous_question(questionnaire, answers, question)
    reasons = evaluate(questionnaire, relevant_answers(questionnaire, answers)).reasons
    return render_template(
        "prescreen/step.html",
        trial=trial,
        question=question,
        form=form,
        intro=intro,
        basic=questionnaire.basic,
        help=services.say(question.help, services.respondent_of(questionnaire, answers)),
        current=shown.index(question) + 1,
        total=max(most_questions(questionnaire, answers), len(shown)),
        ruled_out=[services.say(reason.text) for reason in reasons],
        result_url=url_for("prescreen.result", nct_id=trial.nct_id) if reasons else None,
        is_last=next_question(questionnaire, answers, question) is None,
        back_url=back_url(trial, previous),
    )


def back_url(trial, previous) -> str:
    """Return the previous question, or the trial page before the first question."""
    if previous is None:
        return url_for("trials.overview", nct_id=trial.nct_id)
    return step_url(trial, previous)


@bp.route("/trials/<nct_id>/prescreen/result", methods=["GET", "POST"])
def result(nct_id: str):
    """Show the result; on "Contact the study team", share the answers only if ticked."""
    trial, questionnaire, answers = load(nct_id)
    if not answers:
        return redirect(url_for("prescreen.start", nct_id=trial.nct_id))
    shared = sharing.shared_answers(trial.nct_id) is not None
    form = ShareForm() if request.method == "POST" else ShareForm(data={"share": shared})
    if form.validate_on_submit():
        if form.share.data:
            sharing.share(trial.nct_id, relevant_answers(questionnaire, answers))
        else:
            sharing.forget_shared(trial.nct_id)
        return redirect(contact_url(trial.nct_id))
    last = previous_question(questionnaire, answers, None)
    near, country = request.args.get("near", "").strip()[:100], place_country()
    return render_template(
        "prescreen/result.html",
        trial=trial,
        near=near,
        country=country,
        distance=services.distance(trial, near, country) if near else None,
        report=services.report(questionnaire, answers),
        form=form,
        restart_form=RestartForm(),
        back_url=step_url(trial, last),
    )


def place_country() -> str:
    """Return the country asked for the distance, a known ISO code (default: Spain)."""
    country = request.args.get("country", DEFAULT_COUNTRY).upper()
    return country if country in country_codes(current_locale()) else DEFAULT_COUNTRY


@bp.get("/trials/<nct_id>/prescreen/summary")
def summary(nct_id: str):
    """Show a printable summary of the answers and the result."""
    trial, questionnaire, answers = load(nct_id)
    if not answers:
        return redirect(url_for("prescreen.start", nct_id=trial.nct_id))
    return render_template(
        "prescreen/summary.html",
        trial=trial,
        report=services.report(questionnaire, answers),
        today=format_date(date.today(), "long"),
    )


@bp.post("/trials/<nct_id>/prescreen/restart")
def restart(nct_id: str):
    """Forget the answers (and any shared copy) and start again."""
    trial, _questionnaire, _answers = load(nct_id)
    if RestartForm().validate_on_submit():
        services.clear_answers(trial.nct_id)
        sharing.forget_shared(trial.nct_id)
    return redirect(url_for("prescreen.start", nct_id=trial.nct_id))
