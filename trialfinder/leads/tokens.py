"""The two signed links of a lead, and what each names. No Flask.

The salts name the modules that first made these links: links already sent carry them.
"""

from datetime import timedelta

from trialfinder.lib.signing import BadLink, LeadLink

# The link in a staff email: the lead and the hop (how many forwards) it is for; 30 days.
STAFF = LeadLink("trialfinder.leads.staff-link", timedelta(days=30), int)
# The link in a family's emails to follow its request: the lead and its reference (a row id
# reused after a purge opens nothing); as long as a request is kept (`leads purge
# --older-than 180`, README).
STATUS = LeadLink("trialfinder.requests.status-link", timedelta(days=180), str)
__all__ = ["STAFF", "STATUS", "BadLink"]
