"""Evaluations per second of the pre-screening rules engine (`python -m bench.prescreen`)."""

import random
import time
from pathlib import Path

from trialfinder.prescreen.engine import evaluate
from trialfinder.prescreen.questionnaire import load_questionnaire

QUESTIONNAIRE_FILE = Path(__file__).resolve().parent.parent / (
    "content/trials/NCT06709469/questionnaire.yaml"
)
ANSWER_SETS = 1000
ROUNDS = 20


def answer_sets(questionnaire, count: int, seed: int = 3) -> list[dict]:
    """Return varied answer sets: each question answered at random, or left out."""
    rng = random.Random(seed)
    sets = []
    for _ in range(count):
        answers = {}
        for question in questionnaire.questions:
            if rng.random() < 0.1:
                continue
            if question.type == "integer":
                answers[question.id] = rng.randint(question.minimum, question.maximum)
            else:
                answers[question.id] = rng.choice(question.options).value
        sets.append(answers)
    return sets


def main() -> None:
    questionnaire = load_questionnaire(QUESTIONNAIRE_FILE)
    sets = answer_sets(questionnaire, ANSWER_SETS)
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for answers in sets:
            evaluate(questionnaire, answers)
        best = min(best, time.perf_counter() - start)
    per_second = len(sets) / best
    print(
        f"prescreen.evaluate: {per_second:,.0f} evaluations/s "
        f"({best / len(sets) * 1e6:.1f} µs each, {len(questionnaire.questions)} questions, "
        f"best of {ROUNDS} rounds of {len(sets)})"
    )


if __name__ == "__main__":
    main()
