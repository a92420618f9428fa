"""St Petersburg 2021: the State Duma and the city legislature, station by station, from the
files of the city's election commission, shipped in `data/` (its SOURCES.md), with the figures a
run is compared with as data files (saylau.importers.spb2021.published)."""
