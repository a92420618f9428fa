"""What the law says: the law-file schema, its loader and the bundled laws."""

from saylau.law.loader import LawFile, bundled_law_names, load_law, parse_law, read_law
from saylau.law.schema import (
    DIVISOR_METHODS,
    QUOTA_METHODS,
    DistrictTier,
    IndirectTier,
    Law,
    ListTier,
    MethodName,
    NewVoting,
    Runoff,
    Threshold,
    TieBreak,
    TooFewQualify,
    citations,
    uncited_settings,
)
from saylau.law.share import Share, format_share, parse_share

__all__ = [
    "DIVISOR_METHODS",
    "QUOTA_METHODS",
    "DistrictTier",
    "IndirectTier",
    "Law",
    "LawFile",
    "ListTier",
    "MethodName",
    "NewVoting",
    "Runoff",
    "Share",
    "Threshold",
    "TieBreak",
    "TooFewQualify",
    "bundled_law_names",
    "citations",
    "format_share",
    "load_law",
    "parse_law",
    "parse_share",
    "read_law",
    "uncited_settings",
]
