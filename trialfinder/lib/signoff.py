"""A reviewed text is a signed one: `reviewed: true` counts only with who checked it and when.

A content file (a trial's locale file, a generic FAQ) says `reviewed: true` only together with
`reviewed_by` (the reviewer's name and role, "Ana Ruiz, medical translator") and `reviewed_on`
(the date, 2026-12-04). Until both are there the page shows the not-yet-checked notice in that
language, and `flask content check` names the file. No Flask.
"""

from datetime import date

FIELDS = ("reviewed_by", "reviewed_on")


def review_date(value: object) -> date | None:
    """Return the date a file gives (YAML reads 2026-12-04 as a date; a quoted one is text)."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def signed(reviewed: object, reviewed_by: object, reviewed_on: object) -> bool:
    """True when a file is marked reviewed and names its reviewer (with a role) and a date."""
    return (
        reviewed is True
        and isinstance(reviewed_by, str)
        and "," in reviewed_by
        and all(part.strip() for part in reviewed_by.split(",", 1))
        and review_date(reviewed_on) is not None
    )


def signoff_problems(data: dict) -> list[str]:
    """Say what keeps a file's `reviewed: true` from counting (nothing when it counts)."""
    if data.get("reviewed") is not True:
        return []
    problems = []
    by, on = data.get("reviewed_by"), data.get("reviewed_on")
    if not (isinstance(by, str) and by.strip()):
        problems.append("reviewed: true without reviewed_by (the reviewer's name and role)")
    elif not signed(True, by, date.min):
        problems.append(f"reviewed_by must give a name and a role, as 'Name, role' (got {by!r})")
    if on is None or on == "":
        problems.append("reviewed: true without reviewed_on (the date of the review)")
    elif review_date(on) is None:
        problems.append(f"reviewed_on must be a date such as 2026-12-04 (got {on!r})")
    return problems
