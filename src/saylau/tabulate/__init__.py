"""Columnar totals of protocols: station -> district -> territory -> nation."""

from saylau.tabulate.batch import tabulate
from saylau.tabulate.tally import Tally
from saylau.tabulate.totals import ContestTotals, LineTotals

__all__ = ["ContestTotals", "LineTotals", "Tally", "tabulate"]
