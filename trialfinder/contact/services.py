"""The public contact form's side of a request: what the visitor typed, handed to the leads."""

from trialfinder.contact.forms import ContactForm
from trialfinder.leads import receiving
from trialfinder.leads.models import Lead
from trialfinder.lib import geo
from trialfinder.trials.models import Trial

# Form fields copied to the lead as they are (the phone is stored as E.164 instead).
FORM_FIELDS = (
    "first_name last_name email preferred_language respondent country postal_code city message"
).split()


def locate_visitor(form: ContactForm) -> geo.Place | None:
    """Return the visitor's place: the browser's coordinates if sent, else postal code or city."""
    if point := form.point():
        return geo.Place(point[0], point[1], "", "browser")
    return geo.locate(form.country.data, form.postal_code.data, form.city.data)


def lead_details(form: ContactForm) -> dict:
    """Return what the visitor gave, as the lead stores it."""
    return {
        **{name: form[name].data or "" for name in FORM_FIELDS},
        "phone": form.e164,
        "other_language": form.other_language.data if form.wants_other_language() else "",
    }


def submit(trial: Trial, form: ContactForm, lang: str, shared: dict | None) -> Lead:
    """Hand a valid form to the leads: stored with its emails, then sent (leads/receiving.py)."""
    return receiving.receive(trial, lead_details(form), locate_visitor(form), lang, shared)
