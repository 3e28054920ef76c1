"""registrations: trigram indexes of people's names, for the lists' name search (PostgreSQL)

The name filter of ``GET /registrations`` and the NGO desk is a case-insensitive
substring (``lower(name) LIKE '%…%'``): a B-tree cannot serve it, a pg_trgm GIN index
can. PostgreSQL only; SQLite keeps scanning (small sites). pg_trgm is a trusted
extension: the database owner may create it.

Revision ID: 0015
Revises: 0001
Create Date: 2026-12-02 12:20:00
"""

from alembic import op

revision = "0015"
down_revision = "0001"
branch_labels = None
depends_on = None

COLUMNS = ("given_names", "family_names")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        op.execute(f"CREATE INDEX ix_person_{column}_trgm ON person "
                   f"USING gin (lower({column}) gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in COLUMNS:
        op.execute(f"DROP INDEX IF EXISTS ix_person_{column}_trgm")
