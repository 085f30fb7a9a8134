"""The map of sites on the trial page and in the finder: labels in the page language."""

from dataclasses import dataclass

from babel.lists import format_list
from flask_babel import get_locale, gettext

from trialfinder.lib.geo import Place, distance_km
from trialfinder.lib.geo.map import Map, Marker, draw
from trialfinder.lib.locales import RTL_LOCALES
from trialfinder.trials import finder
from trialfinder.web.i18n import current_locale, distance_text, ngettext_count


@dataclass(frozen=True)
class SiteMap:
    """A drawn map and the sentence that tells a screen reader what it shows."""

    drawing: Map
    summary: str


@dataclass(frozen=True)
class Spot:
    """A place on the map named as the page names it, with its distance from the visitor."""

    name: str
    lat: float
    lon: float
    km: float | None = None
    country: str = ""  # the visitor's: the unit of km


NAMED = 12  # towns a map's text names; the rest are counted


def about(spot: "Spot") -> str:
    return gettext("about %(distance)s", distance=distance_text(spot.km or 0, spot.country))


def spots(sites, place: Place | None) -> list[Spot]:
    """Return one spot per town (the first site there), nearest first when there is a place."""
    towns: dict[str, Spot] = {}
    for site in sites:
        name = site.city or site.facility
        if site.lat is None or site.lon is None or name in towns:
            continue
        km = distance_km(place.lat, place.lon, site.lat, site.lon) if place else None
        towns[name] = Spot(name, site.lat, site.lon, km, place.country if place else "")
    found = list(towns.values())
    return sorted(found, key=lambda spot: spot.km) if place else found


def drawn(found: list[Spot], place: Place | None) -> Map:
    """Draw the visitor's place first, then each spot with its distance."""
    markers = [Marker(place.lat, place.lon, (place.label,), "place")] if place else []
    for spot in found:
        lines = (spot.name, about(spot)) if spot.km is not None else (spot.name,)
        markers.append(Marker(spot.lat, spot.lon, lines))
    return draw(markers, rtl=current_locale() in RTL_LOCALES)


def names(found: list[Spot]) -> str:
    """Return 'Madrid (about 400 km) and Sevilla' as the page language lists things.

    At most NAMED towns (the nearest first when there is a place), then how many more: a
    screen reader read all 480 towns of a 1,148-site trial in one sentence.
    """
    named = [
        gettext("%(site)s (%(distance)s)", site=spot.name, distance=about(spot))
        if spot.km is not None
        else spot.name
        for spot in found[:NAMED]
    ]
    if rest := len(found) - len(named):
        named.append(ngettext_count("%(num)s more place", "%(num)s more places", rest))
    return format_list(named, locale=get_locale())


def from_place(place: Place | None) -> str:
    return " " + gettext("Distances from %(place)s.", place=place.label) if place else ""


def placed(sites) -> list:
    return [site for site in sites if site.lat is not None and site.lon is not None]


def recruiting(found: list[Spot], hospitals: int) -> str:
    """Say how many hospitals the map shows, and their towns (one spot per town)."""
    return ngettext_count(
        "Map: %(num)s hospital looking for participants, %(sites)s.",
        "Map: %(num)s hospitals looking for participants, %(sites)s.",
        hospitals,
        sites=names(found),
    )


def trial_map(sites, place: Place | None) -> SiteMap | None:
    """Map the recruiting sites of a trial, and the visitor's place when given."""
    shown = placed(site for site in sites if site.status == "RECRUITING")
    found = spots(shown, place)
    if not found:
        return None
    return SiteMap(drawn(found, place), recruiting(found, len(shown)) + from_place(place))


def finder_map(results, place: Place | None) -> SiteMap | None:
    """Map the nearest site of each trial found from a place, else their recruiting sites."""
    if place is None:
        shown = placed(finder.recruiting_sites([item.trial.nct_id for item in results]))
        found = spots(shown, None)
        return SiteMap(drawn(found, None), recruiting(found, len(shown))) if found else None
    found = spots([item.site for item in results if item.site is not None], place)
    if not found:
        return None
    summary = gettext(
        "Map of the nearest hospital of each trial found: %(sites)s.", sites=names(found)
    )
    return SiteMap(drawn(found, place), summary + from_place(place))
