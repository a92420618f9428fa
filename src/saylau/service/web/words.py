"""Words the pages show that are made outside them, marked here for the message catalogs:
the protocol lines (saylau.protocol.lines.LINE_LABELS) and how a broken control relation
names them (saylau.law.form.TERM_LABELS), a protocol's status
(saylau.service.models.STATUSES), the roles, a check's severity, and the service messages
a reader meets most. A page shows each through the `translate` filter; tests/service/
test_languages.py holds each list here equal to the one it copies."""

from __future__ import annotations

from typing import Final

from saylau.report.i18n import N_

LINES: Final = (
    N_("voters on the list"),
    N_("ballots received"),
    N_("ballots issued (voters who took part)"),
    N_("ballots issued outside the station"),
    N_("ballots cancelled"),
    N_("ballots lost"),
    N_("ballots not accounted for on receipt"),
    N_("ballots found in the boxes"),
    N_("invalid ballots"),
    N_("valid ballots, where the form records them"),
    N_("against all"),
)
TERMS: Final = (
    N_("voters on the list"),
    N_("ballots received"),
    N_("ballots issued"),
    N_("ballots issued outside the station"),
    N_("ballots cancelled"),
    N_("ballots lost"),
    N_("ballots not accounted for on receipt"),
    N_("ballots found"),
    N_("invalid ballots"),
    N_("valid ballots"),
    N_("against all"),
    N_("votes for the entries"),
)
"""How a broken control relation names each line (saylau.law.form.TERM_LABELS)."""
STATUSES: Final = (
    N_("entered"),
    N_("verified"),
    N_("accepted"),
    N_("rejected"),
    N_("mismatch"),
    N_("superseded"),
)
ROLES: Final = (N_("operator"), N_("supervisor"), N_("observer"), N_("administrator"))
SEVERITIES: Final = (N_("reject"), N_("flag"))
MESSAGES: Final = (
    N_("wrong user name or password"),  # saylau.service.accounts.LOGIN_FAILED
    N_("the form is stale or forged: reload the page"),  # saylau.service.api.deps
    N_("the session token is unknown or expired: log in again"),  # saylau.service.api.deps
)
AWAITING: Final = N_("a second person: another supervisor with the same figures, or a third entry")
"""What a resolution waits for (saylau.service.settle.AWAITING), as a refusal says it."""
