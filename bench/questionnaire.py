"""Questionnaire: evaluations per second of the pre-screening rules engine, if it exists yet.

The engine is built in parallel with this benchmark, so it is imported defensively: when it is
missing, or its shape differs from what this script expects, the table says so.
"""

import random
import time

from bench import tools

NCT = "NCT06709469"
SECONDS = 3.0


def answer_sets(questionnaire, count: int) -> list[dict]:
    """Return random answers to every question: options, ages, and some left unanswered."""
    rng, sets = random.Random(6), []
    for _ in range(count):
        answers = {}
        for question in questionnaire.questions:
            if rng.random() < 0.1:
                continue
            if question.options:
                answers[question.id] = rng.choice(question.options).value
            else:
                answers[question.id] = rng.randint(question.minimum, question.maximum)
        sets.append(answers)
    return sets


def run() -> str:
    """Return a Markdown section with evaluations per second, or why there is none."""
    head = ["## Questionnaire", ""]
    try:
        from trialfinder.prescreen import engine
        from trialfinder.prescreen.questionnaire import load_questionnaire
    except ImportError:
        return "\n".join([*head, "Not available yet: the pre-screening engine is not merged.", ""])
    try:
        path = tools.ROOT / "content" / "trials" / NCT / "questionnaire.yaml"
        questionnaire = load_questionnaire(path)
        sets = answer_sets(questionnaire, 1000)
        done, started = 0, time.perf_counter()
        while time.perf_counter() - started < SECONDS:
            for answers in sets:
                engine.evaluate(questionnaire, answers)
            done += len(sets)
        rate = done / (time.perf_counter() - started)
    except (AttributeError, TypeError, OSError) as error:  # an engine of another shape
        return "\n".join([*head, f"Not measured: the engine differs ({error}).", ""])
    return "\n".join(
        [
            *head,
            f"`prescreen.engine.evaluate` on {NCT}'s questionnaire ({len(questionnaire.questions)}",
            "questions), 1,000 random answer sets, one process:",
            "",
            "| evaluations/s | µs each |",
            "|---:|---:|",
            f"| {rate:,.0f} | {1e6 / rate:.1f} |",
            "",
        ]
    )
