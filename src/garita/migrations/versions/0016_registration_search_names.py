"""registrations: one normalised, trigram-indexed name column for the lists' search

``registration.search_names`` holds every member's names as screening normalises
them (``garita.registrations.search``), so ``GET /registrations?name=`` and the NGO
desk match "perez" to "Pérez" and "yusmary rojas" across given and family names
with one substring test on one row, no join. On PostgreSQL a pg_trgm GIN index
serves rare names; it replaces migration 0015's two per-column indexes on people,
which nothing reads any more (hence ``depends_on``: 0015 runs first). Existing
registrations are filled here, a batch at a time, by the function the service uses.

Revision ID: 0016
Revises: 0001
Create Date: 2026-12-02 15:20:00
"""

import itertools

import sqlalchemy as sa
from alembic import op

from garita.registrations.search import search_names

revision = "0016"
down_revision = "0001"
branch_labels = None
depends_on = "0015"

_BATCH = 5_000


def upgrade() -> None:
    op.add_column("registration", sa.Column("search_names", sa.Text(), server_default="",
                                            nullable=False))
    _backfill()
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in ("given_names", "family_names"):
        op.execute(f"DROP INDEX IF EXISTS ix_person_{column}_trgm")
    op.execute("CREATE INDEX ix_registration_search_names_trgm ON registration "
               "USING gin (search_names gin_trgm_ops)")


def _backfill() -> None:
    conn = op.get_bind()
    registration = sa.table("registration", sa.column("id", sa.Integer),
                            sa.column("search_names", sa.Text))
    person = sa.table("person", sa.column("registration_id", sa.Integer),
                      sa.column("position", sa.Integer), sa.column("given_names"),
                      sa.column("family_names"))
    update = (registration.update().where(registration.c.id == sa.bindparam("rid"))
              .values(search_names=sa.bindparam("names")))
    last = 0
    while True:
        ids = conn.scalars(sa.select(registration.c.id).where(registration.c.id > last)
                           .order_by(registration.c.id).limit(_BATCH)).all()
        if not ids:
            return
        rows = conn.execute(sa.select(person.c.registration_id, person.c.given_names,
                                      person.c.family_names)
                            .where(person.c.registration_id.between(ids[0], ids[-1]))
                            .order_by(person.c.registration_id, person.c.position)).all()
        values = [{"rid": rid, "names": search_names((r.given_names, r.family_names)
                                                     for r in members)}
                  for rid, members in itertools.groupby(rows, key=lambda r: r.registration_id)]
        if values:
            conn.execute(update, values)
        last = ids[-1]


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_registration_search_names_trgm")
        for column in ("given_names", "family_names"):
            op.execute(f"CREATE INDEX ix_person_{column}_trgm ON person "
                       f"USING gin (lower({column}) gin_trgm_ops)")
    op.drop_column("registration", "search_names")
