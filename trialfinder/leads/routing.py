"""Which site answers a lead, and at which address. Pure: no Flask, no database."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from trialfinder.leads.languages import central_language, country_language
from trialfinder.lib.geo import nearest_site, roughly

RECRUITING = "RECRUITING"
DEFAULT_STAFF_LANGUAGE = ""  # none chosen in sites.yaml: the site's country decides (languages.py)


class SiteLike(Protocol):
    """What routing reads of a site: a registry SiteRecord or a stored Site both fit."""

    facility: str
    country: str
    status: str
    lat: float | None
    lon: float | None
    emails: Iterable[str]


@dataclass(frozen=True)
class SiteSettings:
    """An operator's settings for one site: where its leads go and the language its staff read."""

    lead_email: str = ""
    staff_language: str = DEFAULT_STAFF_LANGUAGE


@dataclass(frozen=True)
class Route:
    """The answer: the address, the staff's language, the site (None: central team), how far."""

    email: str | None
    staff_language: str
    site: SiteLike | None
    distance_km: float | None
    source: str  # operator, site, central, default or override: where the address came from


def facility_key(name: str) -> str:
    """Match facility names loosely: case and surrounding or repeated spaces do not count."""
    return " ".join((name or "").casefold().split())


def settings_for(site: SiteLike, operators: Mapping[str, SiteSettings]) -> SiteSettings:
    """Return the operator's settings of a site, or the defaults."""
    return operators.get(facility_key(site.facility), SiteSettings())


def staff_language(site: SiteLike, operators: Mapping[str, SiteSettings]) -> str:
    """Return a site's staff language: the operator's choice, else its country's language."""
    return settings_for(site, operators).staff_language or country_language(site.country)


def site_address(site: SiteLike, operators: Mapping[str, SiteSettings]) -> tuple[str, str] | None:
    """Return (address, source) from the operator file, else the site's first contact email."""
    if lead_email := settings_for(site, operators).lead_email:
        return lead_email, "operator"
    emails = [email for email in site.emails if email]
    return (emails[0], "site") if emails else None


def central_address(
    central_emails: Iterable[str], default_email: str | None
) -> tuple[str, str] | None:
    """Return (address, source) of the trial's central contact, else the deployment's default."""
    emails = [email for email in central_emails if email]
    if emails:
        return emails[0], "central"
    return (default_email, "default") if default_email else None


def choose_route(
    sites: list[SiteLike],
    point: tuple[float, float] | None,
    *,
    central_emails: Iterable[str] = (),
    operators: Mapping[str, SiteSettings] | None = None,
    default_email: str | None = None,
    override: str | None = None,
) -> Route:
    """Route a lead to the nearest recruiting site, else the central team, else any site."""
    operators = operators or {}
    central = central_address(central_emails, default_email)
    found = nearest_site(sites, *point) if point else None
    if found:
        site, km = found
        email, source = site_address(site, operators) or central or (None, "none")
        route = Route(email, staff_language(site, operators), site, km, source)
    elif central:
        route = Route(central[0], central_language(sites), None, None, central[1])
    else:
        route = _any_recruiting(sites, operators)
    if override:
        return Route(override, route.staff_language, route.site, route.distance_km, "override")
    return route


def _any_recruiting(sites: list[SiteLike], operators: Mapping[str, SiteSettings]) -> Route:
    # No location and no central contact: a recruiting site that can forward beats nobody.
    for site in sites:
        if site.status == RECRUITING and (address := site_address(site, operators)):
            return Route(address[0], staff_language(site, operators), site, None, address[1])
    return Route(None, central_language(sites), None, None, "none")


def nearest_route(routes: list[Route], point: tuple[float, float] | None) -> Route | None:
    """Return the route whose site is placed nearest the point, or None when none is placed.

    For a request whose nearest site gives no address: the nearest one that does. Its distance
    is left out: a nearer hospital takes part, so it is not "the nearest hospital taking part".
    """
    sites = [route.site for route in routes if route.site is not None]
    found = nearest_site(sites, *point) if point and sites else None
    if found is None:
        return None
    return next(route for route in routes if route.site is found[0])


def possible_routes(
    sites: list[SiteLike],
    *,
    central_emails: Iterable[str] = (),
    operators: Mapping[str, SiteSettings] | None = None,
    default_email: str | None = None,
) -> list[Route]:
    """Return every route a lead could take: one per recruiting site, and the fallback."""
    route = partial(
        choose_route,
        central_emails=tuple(central_emails),
        operators=operators or {},
        default_email=default_email,
    )
    recruiting = [site for site in sites if site.status == RECRUITING]
    routes = [
        route([site], (site.lat, site.lon))
        for site in recruiting
        if site.lat is not None and site.lon is not None
    ]
    return [*routes, route(sites, None)] if recruiting else []


def is_placeholder(email: str | None) -> bool:
    """Whether an address cannot reach anybody: none, or an example.* / .example / .invalid one."""
    if not email or "@" not in email:
        return True
    labels = email.rsplit("@", 1)[1].strip().rstrip(".").casefold().split(".")
    return "example" in labels[-2:] or labels[-1] == "invalid"


def rough_km(km: float) -> int:
    """Round a distance to the nearest 10 km, so that a page never pinpoints anyone."""
    return roughly(km)
