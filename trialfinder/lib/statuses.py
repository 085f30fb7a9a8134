"""The registry's overall statuses of a study, as the site reads them. Pure: no Flask."""

RECRUITING = "RECRUITING"
# A study whose sites may be looking for participants: a site's own "RECRUITING" is stale in a
# record whose study has stopped, or whose status nobody has confirmed (UNKNOWN).
TAKING_PEOPLE = frozenset({RECRUITING, "ENROLLING_BY_INVITATION"})
# A study that may take someone new, now or soon. Not yet recruiting and by invitation take
# requests only through a central contact (their sites are not recruiting yet).
OPEN_STATUSES = TAKING_PEOPLE | {"NOT_YET_RECRUITING"}
