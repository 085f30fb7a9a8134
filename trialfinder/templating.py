"""Every name a template can use beyond Jinja's own, registered in one place.

Pages, emails and the pre-screen result share these: none depends on which blueprint was
imported first. The web layer's own helpers (the locale, `switch_url`, `format_number`, the
email filters) are registered by `web.init_app`; the features' helpers are listed here.
"""

from types import CodeType
from typing import Any

from flask import Flask
from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket

from trialfinder.alerts.digest import distance_away
from trialfinder.leads import labels as lead_labels
from trialfinder.leads import receiving
from trialfinder.notes import services as notes
from trialfinder.prescreen import services as prescreen
from trialfinder.trials import facts, labels
from trialfinder.trials.content import render_inline, render_text
from trialfinder.trials.registry_text import render_registry
from trialfinder.web.forms import country_options

GLOBALS = {
    # trials: statuses, phases, ages, dates and texts, on pages and in emails
    "status_label": labels.status_label,
    "phase_label": labels.phase_label,
    "age_range": labels.age_range,
    "trial_ages": labels.trial_ages,
    "registry_date": labels.registry_date,
    "date_facts": labels.date_facts,
    "schema_status": labels.schema_status,
    "country_options": country_options,
    "fit_sentences": labels.fit_sentences,
    "status_reason": labels.status_reason,
    "verified_date": labels.verified_date,
    "trial_name": labels.trial_name,
    "render_inline": render_inline,
    "render_text": render_text,
    "render_registry": render_registry,
    "site_place": facts.place,
    "age_limit": facts.age_limit,
    "gender_note": facts.gender_note,
    # alerts: how far a site is, in the subscriber's unit
    "distance_away": distance_away,
    # the pre-screen: whether a trial has one
    "has_questionnaire": prescreen.has_questionnaire,
    # leads: the staff email, the staff page and the contact form
    "country_name": lead_labels.country_name,
    "language_name": lead_labels.language_name,
    "respondent_label": lead_labels.respondent_label,
    "rough_distance": lead_labels.rough_distance,
    "route_lines": lead_labels.route_lines,
    "who_has_it": lead_labels.who_has_it,
    "where_it_waits": lead_labels.where_it_waits,
    "accepts_requests": receiving.accepts_requests,
    "registry_contacts": receiving.registry_contacts,
    # notes: the trial pages' panel enforces the API's limits before anything is sent
    "notes_limits": notes.LIMITS,
}
FILTERS = {"phase_label": labels.phase_label}


class CompiledTemplates(BytecodeCache):
    """Templates compiled once per process, for every app it builds.

    A server builds one app, but the tests build one per test: without this each of them
    parses and compiles every template it renders again (about 40 ms for a trial page). A
    template is reused only while its source is unchanged (Jinja compares a checksum) and by
    an environment whose options shape the compiled code the same way.
    """

    def __init__(self) -> None:
        # The code objects themselves (immutable), with the checksum of their source: reading
        # them back from their serialized form cost a new app 1.3 ms a template.
        self.compiled: dict[tuple, tuple[str, CodeType]] = {}

    @staticmethod
    def _key(bucket: Bucket) -> tuple[Any, ...]:
        environment: Environment = bucket.environment
        shape = (
            tuple(sorted(environment.extensions)),
            environment.block_start_string,
            environment.variable_start_string,
            environment.comment_start_string,
            environment.line_statement_prefix,
            environment.trim_blocks,
            environment.lstrip_blocks,
            environment.newline_sequence,
            environment.keep_trailing_newline,
            environment.optimized,
            environment.policies.get("ext.i18n.trimmed"),
        )
        return bucket.key, shape

    def load_bytecode(self, bucket: Bucket) -> None:
        checksum, code = self.compiled.get(self._key(bucket), ("", None))
        if code is not None and checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self.compiled[self._key(bucket)] = (bucket.checksum, bucket.code)


COMPILED = CompiledTemplates()


def init_app(app: Flask) -> None:
    """Give every template the features' helpers; share compiled templates between apps."""
    app.jinja_env.globals.update(GLOBALS)
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.bytecode_cache = COMPILED
