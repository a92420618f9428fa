"""St Petersburg 2021: the State Duma and the city legislature, station by station, from the
files of the city's election commission (data/real/SOURCES.md)."""
