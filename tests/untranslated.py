"""The English words a Kazakh or Russian page or report must not show, read from the
catalogs: of every message, each piece between its placeholders (and markup) that its
translation into the language does not keep. Shared by the report's and the service's
language tests."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from saylau.report import i18n

PLACEHOLDER_OR_MARKUP = r"%\([a-z_0-9]+\)s|<[^>]+>"


def english_pieces(language: str) -> set[str]:
    """The pieces of every message that its translation into `language` does not keep:
    all of an untranslated message's pieces, and those a translation drops."""
    with (i18n.LOCALE / "saylau.pot").open("rb") as source:
        template = read_po(source)
    kept: set[str] = set()
    with i18n.using(language):
        for message in template:
            if not message.id:
                continue
            text = str(message.id if isinstance(message.id, str) else message.id[0])
            said = i18n.gettext(text)
            for piece in re.split(PLACEHOLDER_OR_MARKUP, text):
                piece = piece.strip(" .:,()")
                if (len(piece) >= 4 or " " in piece) and (said == text or piece not in said):
                    kept.add(piece)
    return kept
