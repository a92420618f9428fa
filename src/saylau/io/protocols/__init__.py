"""Protocol files: one row per station, ballot and round (CSV or Parquet), read strictly and
fast, and checked against a law's protocol form."""
