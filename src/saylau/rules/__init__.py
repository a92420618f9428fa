"""Applying the law, pure: apportionment, thresholds, ties, district and indirect decisions."""
