"""A replay of election night: an election's protocols played into a running service
through its real workflow over HTTP (`saylau replay`).

- `plan`: what is played, seeded: the generated operators of each commission, the order in
  which stations report, the entries that disagree and who resolves them.
- `client`: the service's JSON API, on loopback only.
- `play`: the plan played phase by phase (round 1, the runoffs, the new votings), with the
  stage transitions between them, at a chosen speed.
- `check`: the live result held to the batch run of the same protocols, and the audit chain.
- `local`: a temporary service of its own (`--serve`), started by `saylau serve`.
"""
