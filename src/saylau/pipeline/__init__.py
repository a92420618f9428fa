"""Orchestration: find an election (a directory, a scenario or an importer), run it, write and
verify its results bundle. The one room that wires the core, io, importers and scenarios."""
