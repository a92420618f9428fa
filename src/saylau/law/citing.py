"""Where each setting of a law comes from: the sections of a law, their citations, and the
settings set in a tier that cite no source."""

from __future__ import annotations

from typing import TYPE_CHECKING, get_args

from pydantic import BaseModel

from saylau.law.clauses import replaced_settings
from saylau.law.form import ProtocolForm
from saylau.law.section import Section

if TYPE_CHECKING:
    from saylau.law.schema import Law


def sections(law: Law) -> dict[str, Section]:
    """Every section of a law by its dotted path, for example `district_tier.runoff`; a
    section in a tuple by its place, for example `district_tier.validity.0`."""
    found: dict[str, Section] = {}

    def visit(prefix: str, model: BaseModel) -> None:
        for name in type(model).model_fields:
            value = getattr(model, name)
            if isinstance(value, Section):
                path = f"{prefix}{name}"
                found[path] = value
                visit(f"{path}.", value)
            elif isinstance(value, tuple):
                for number, item in enumerate(value):
                    if isinstance(item, Section):
                        path = f"{prefix}{name}.{number}"
                        found[path] = item
                        visit(f"{path}.", item)

    visit("", law)
    return found


def citations(law: Law) -> dict[str, str]:
    """The citation of every cited setting, by dotted path."""
    cited = dict(law.sources)
    for path, section in sections(law).items():
        cited.update({f"{path}.{name}": text for name, text in section.sources.items()})
    if law.protocol is not None:
        for relation in law.protocol.relations:
            if relation.source is not None:
                cited[f"protocol.relations.{relation.code}"] = relation.source
    return cited


def _holds_section(model: type[BaseModel], name: str) -> bool:
    """Whether a field holds a sub-section (cited inside), rather than a setting."""
    annotation = model.model_fields[name].annotation
    kinds = get_args(annotation) or (annotation,)
    return any(isinstance(k, type) and issubclass(k, Section) for k in kinds)


def uncited_settings(law: Law) -> list[str]:
    """Dotted paths of the settings that are set in a tier but cite no source."""
    missing = []
    for path, section in sections(law).items():
        for name in type(section).model_fields:
            if name == "sources" or _holds_section(type(section), name):
                continue
            if name in replaced_settings(section):
                continue
            if isinstance(section, ProtocolForm) and name == "relations":
                missing += [
                    f"{path}.relations.{r.code}" for r in section.relations if r.source is None
                ]
                continue
            if name not in section.sources:
                missing.append(f"{path}.{name}")
    return missing
