"""Words the report and the pages show that the rules make (saylau.rules.decision's
BASE_LABELS), marked for the message catalogs; a test holds them equal to their source."""

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


def base_label(name: str) -> str:
    """The words for a base of a share (took_part, ...) in the current language."""
    return gettext(BASE_LABELS.get(name, name))
