"""Build hook: compile the message catalogs (src/saylau/report/locale/*/LC_MESSAGES/*.po)
to .mo files, for wheels and editable installs alike. The .mo files are not kept in git
(.gitignore); they are declared artifacts so the wheel carries them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return  # the sdist carries the .po files; its wheel compiles them
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root)
        for po in sorted(
            (root / "src" / "saylau" / "report" / "locale").glob("*/LC_MESSAGES/*.po")
        ):
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name, domain=po.stem)
            with po.with_suffix(".mo").open("wb") as compiled:
                write_mo(compiled, catalog)
        build_data.setdefault("artifacts", []).append("src/saylau/report/locale/*/LC_MESSAGES/*.mo")
