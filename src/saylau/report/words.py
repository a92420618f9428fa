"""Words the report and the pages show that other rooms make (saylau.rules.decision's
BASE_LABELS, saylau.analysis.summary's DATE_LABELS, capitalised as the infobox shows them,
and its "new party"), marked for the message catalogs; a test holds them equal to their
source."""

from __future__ import annotations

from typing import Final

from saylau.report.i18n import N_, gettext
from saylau.rules.decision import BASE_LABELS

BASE_WORDS: Final = (
    N_("voters who took part"),
    N_("ballots found in the boxes"),
    N_("valid ballots"),
    N_("votes for the candidates"),
    N_("votes for the lists"),
    N_("electors"),
    N_("registered voters"),
)

DATE_WORDS: Final = (
    N_("Called"),
    N_("Senate"),
    N_("First round"),
    N_("First-round results"),
    N_("Second round"),
    N_("Second-round results"),
    N_("Voting from"),
    N_("Voting to"),
)
OTHER_WORDS: Final = (N_("new party"),)
STAGE_WORDS: Final = (
    N_("registration"),
    N_("college"),
    N_("round1"),
    N_("runoffs"),
    N_("new_voting"),
    N_("repeat_elections"),
    N_("final"),
    N_("all"),
)
"""The stages of the calendar (saylau.stages.calendar's STAGES) as the rules applied name
them, and `all`, the chamber of registration."""


def base_label(name: str) -> str:
    """The words for a base of a share (took_part, ...) in the current language."""
    return gettext(BASE_LABELS.get(name, name))
