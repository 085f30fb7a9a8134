"""Whether a trial's contact form reaches a real person, and who reads it. Pure: no Flask."""

from collections.abc import Iterable, Mapping

from trialfinder.leads.languages import central_language
from trialfinder.leads.routing import (
    RECRUITING,
    Route,
    SiteLike,
    SiteSettings,
    central_address,
    is_placeholder,
    site_address,
    staff_language,
)
from trialfinder.lib.statuses import OPEN_STATUSES


def takes_requests(status: str) -> bool:
    """Whether a study with this overall status may take new participants at all."""
    return status in OPEN_STATUSES


def is_real(email: str | None, strict: bool) -> bool:
    """Whether an address gets a request: any address, and in production never a placeholder."""
    return bool(email) and not (strict and is_placeholder(email))


def reachable(
    status: str,
    sites: list[SiteLike],
    *,
    central_emails: Iterable[str] = (),
    operators: Mapping[str, SiteSettings] | None = None,
    default_email: str | None = None,
    override: str | None = None,
    strict: bool = False,
) -> list[Route]:
    """Return every route a request could take that reaches a real address, best first."""
    if not takes_requests(status):
        return []
    operators = operators or {}
    routes = []
    central = central_address(central_emails, default_email)
    if central and is_real(central[0], strict):
        routes.append(Route(central[0], central_language(sites), None, None, central[1]))
    if status == RECRUITING:
        for site in sites:
            address = site_address(site, operators) if site.status == RECRUITING else None
            if address and is_real(address[0], strict):
                language = staff_language(site, operators)
                routes.append(Route(address[0], language, site, None, address[1]))
    if override and is_real(override, strict):
        first = routes[0] if routes else Route(None, central_language(sites), None, None, "")
        return [Route(override, first.staff_language, first.site, None, "override")]
    return routes
