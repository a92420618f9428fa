"""The NIST SP 1500-100 v2 Election Results Reporting format: write, and read back."""
