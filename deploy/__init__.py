"""Team deployment helpers: a private PostgreSQL cluster for the Prefect server (docs/deploy.md)."""
