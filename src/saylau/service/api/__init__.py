"""The REST API: FastAPI routers under /api, one error envelope, an OpenAPI document."""
