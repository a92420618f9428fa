"""Standard formats of a result: NIST SP 1500-100 JSON, results JSON, long tables (CSV and
Parquet), wikitext, and the comparison and forensics tables."""
