"""A sentence the run or the service says, as English text that also keeps its message
template and the named facts in it, so that an edge (the report, the pages) can say it in
the reader's language.

`Said` is a `str`: the English sentence, exactly as the CLI, the JSON and the logs show it.
Beside the text it keeps `template` (a gettext message with `%(name)s` placeholders, marked
with `N_` for the catalogs) and `params`, each of which is

- an `int`: a count, written 1,234 in English and as the language writes it elsewhere;
- a `Figure`: a decimal already rounded from exact figures ("52.30", "380,897.9"), whose
  decimal sign and group separator are the language's;
- a `Name`: a party, district, territory, candidate, chamber or base of a share (took_part),
  by its kind and id, written in English as given and elsewhere by its name in the language
  where the data give one (a base, in the language's words);
- another `Said`, said in the same language;
- a tuple of these, joined with ", ";
- any other `str`: said as it is (an id, a law's title, a reference).

The core makes these and never translates them: it stands below every language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Final, Self

__all__ = ["N_", "Figure", "Name", "Param", "Said", "joined", "say"]


def N_(template: str) -> str:  # noqa: N802 (the name gettext's tools look for)
    """Mark a template for the catalogs (`pybabel extract`); it is translated where said."""
    return template


class Figure(str):
    """A decimal already rounded from exact figures, as English writes it and without a
    sign of percent: "52.30", "380,897.9"."""

    __slots__ = ()


class Name(str):
    """A named thing in a sentence: its English text, and its `kind` and `key` (id) by
    which an edge finds its name in the reader's language."""

    kind: str
    key: str

    def __new__(cls, text: str, kind: str, key: str | None = None) -> Self:
        made = super().__new__(cls, text)
        made.kind = kind
        made.key = text if key is None else key
        return made

    def __reduce__(self) -> tuple[object, ...]:
        return (Name, (str(self), self.kind, self.key))


Param = int | str | tuple["Param", ...]
"""What a placeholder may hold (a str may be a Figure, a Name or a Said)."""

ENGLISH_LIST: Final = ", "


class Said(str):
    """English text made from `template` and `params`, keeping both."""

    template: str
    params: Mapping[str, Param]

    def __new__(cls, template: str, /, **params: Param) -> Self:
        made = super().__new__(
            cls, template % {k: v if isinstance(v, str) else _english(v) for k, v in params.items()}
        )
        made.template = template
        made.params = params
        return made

    def __reduce__(self) -> tuple[object, ...]:
        return (_remade, (self.template, dict(self.params)))


def _remade(template: str, params: dict[str, Param]) -> Said:
    return Said(template, **params)


def joined(parts: Sequence[str], between: str = "; ") -> Said:
    """Sentences said one after another, `between` them (a template with no words of its
    own, so each part is said in the language and the whole needs no translation)."""
    template = between.replace("%", "%%").join(f"%(part{i})s" for i in range(len(parts)))
    return Said(template, **{f"part{i}": part for i, part in enumerate(parts)})


def _english(value: Param) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, tuple):
        return ENGLISH_LIST.join(_english(v) for v in value)
    return str(value)


def say(
    text: str,
    translate: Callable[[str], str],
    number: Callable[[int], str],
    decimal: Callable[[str], str],
    name: Callable[[Name], str],
    joined: str = ENGLISH_LIST,
) -> str:
    """`text` in a language: a `Said` by its translated template and its facts written by
    `number`, `decimal` and `name`; any other text as it is."""
    if not isinstance(text, Said):
        return str(text)

    def written(value: Param) -> str:
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int):
            return number(value)
        if isinstance(value, tuple):
            return joined.join(written(v) for v in value)
        if isinstance(value, Said):
            return say(value, translate, number, decimal, name, joined)
        if isinstance(value, Figure):
            return decimal(value)
        if isinstance(value, Name):
            return name(value)
        return str(value)

    return translate(text.template) % {k: written(v) for k, v in text.params.items()}
