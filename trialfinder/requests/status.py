"""Where a request stands, as the family sees it. No Flask."""

RECEIVED, CONTACTED, FORWARDED, CLOSED = "received", "contacted", "forwarded", "closed"
STATES = (RECEIVED, CONTACTED, FORWARDED, CLOSED)


def family_state(status: str, hop: int) -> str:
    """Return the family's state from the lead's status and how many times it was forwarded.

    A site's own word comes first: `contacted` or `not_suitable` (closed). An open request
    that was forwarded waits at another hospital; otherwise it was received.
    """
    if status == "contacted":
        return CONTACTED
    if status == "not_suitable":
        return CLOSED
    return FORWARDED if hop > 0 else RECEIVED


# The step in a lead's history that put it in each state.
STEP_OF = {CONTACTED: "contacted", CLOSED: "not_suitable", FORWARDED: "forwarded"}


def since(steps: list[dict], state: str) -> str:
    """Return the stored time of the step that put the request in its state (ISO, UTC)."""
    wanted = STEP_OF.get(state)
    times = [item["at"] for item in steps if item["action"] == wanted]
    return times[-1] if times else steps[0]["at"]
