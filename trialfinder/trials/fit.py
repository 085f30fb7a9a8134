"""Whether a trial's registry limits fit a visitor's age and sex. No Flask.

Only the structured limits are read; an unknown age or sex never rules a trial out.
"""

from dataclasses import dataclass

SEXES = ("female", "male")


@dataclass(frozen=True)
class Fit:
    """'may_fit', 'does_not_fit', or 'not_asked' (no age or sex given), and the limits broken."""

    code: str
    reasons: tuple[str, ...] = ()  # "age_years", "sex"


def age_sex_fit(
    min_age: float | None, max_age: float | None, sex_limit: str, age: float | None, sex: str
) -> Fit:
    """Return how a trial with these limits fits this age and sex (either may be unknown)."""
    if age is None and not sex:
        return Fit("not_asked")
    reasons = []
    if age is not None and (
        (min_age is not None and age < min_age) or (max_age is not None and age > max_age)
    ):
        reasons.append("age_years")
    if sex and sex_limit.upper() not in ("", "ALL", sex.upper()):
        reasons.append("sex")
    return Fit("does_not_fit", tuple(reasons)) if reasons else Fit("may_fit")
