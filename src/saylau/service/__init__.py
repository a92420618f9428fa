"""Saylau as a multi-user service: storage, roles, the protocol workflow, the audit chain,
live totals, the REST API and the web pages.

Modules: `config` (settings from the environment), `db` (engine, sessions, one write
transaction at a time through the chain lock), `models` (tables, with CHECK constraints),
`migrate` and `migrations/` (Alembic, from the first table on), `load` (an election into the
database through staging, in one commit), `election` (the loaded election's laws and
registry), `accounts` (argon2 passwords, sessions, rate-limited login), `permissions` (roles
and scopes, each decision with its reason), `audit` (the hash chain and its verification),
`workflow` (entered -> verified -> accepted, double entry, corrections, idempotency),
`live` (totals updated one accepted protocol at a time), `outcome` (decisions and results
from the accepted protocols, by the core), `snapshots` (static JSON of published results),
`api/` (FastAPI routers and the one error envelope) and `web/` (pages and templates).
The service uses the core and reuses `report/`; it never imports `cli`.
"""
