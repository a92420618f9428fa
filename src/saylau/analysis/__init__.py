"""What observers and researchers ask of a result: indices, counterfactual laws, forensics.

- `indices`: Gallagher, Loosemore-Hanby, effective numbers of parties, wasted list votes.
- `settings`, `compare`: the same protocols replayed under other methods, thresholds and
  district rules (`saylau compare`).
- `stations`, `fingerprint`, `integer_percent`, `digits`, `territories`, `forensics`:
  statistical fingerprints of the accepted station protocols (`saylau forensics`).

Pure: over results and pyarrow tables; it never imports io, report, service or cli.
"""
