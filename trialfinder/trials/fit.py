"""Whether a trial's registry limits fit a visitor's age and sex. No Flask.

Only the structured limits are read; an unknown age or sex never rules a trial out. An age in
whole years stands for that whole year of life: a baby of 7 months is "0", and may already be old
enough for a trial that starts at 6 months.
"""

from dataclasses import dataclass

SEXES = ("female", "male")


@dataclass(frozen=True)
class Fit:
    """'may_fit', 'does_not_fit', or 'not_asked' (no age or sex given), and the limits broken."""

    code: str
    reasons: tuple[str, ...] = ()  # "age_years", "sex"


def too_young(min_age: float | None, age: float) -> bool:
    """Tell whether someone of this age is surely under the minimum (whole years: all that year)."""
    if min_age is None:
        return False
    return min_age >= age + 1 if float(age).is_integer() else min_age > age


def age_sex_fit(
    min_age: float | None, max_age: float | None, sex_limit: str, age: float | None, sex: str
) -> Fit:
    """Return how a trial with these limits fits this age and sex (either may be unknown)."""
    if age is None and not sex:
        return Fit("not_asked")
    reasons = []
    if age is not None and (too_young(min_age, age) or (max_age is not None and age > max_age)):
        reasons.append("age_years")
    if sex and sex_limit.upper() not in ("", "ALL", sex.upper()):
        reasons.append("sex")
    return Fit("does_not_fit", tuple(reasons)) if reasons else Fit("may_fit")
