"""registrations: person keys (one entry per person per day's draw)

Revision ID: 0014
Revises: 0001
Create Date: 2026-12-02 12:30:00

Existing members get their keys here, computed by the same function the
registration service uses (``garita.registrations.keys``), a batch at a time.
"""

import sqlalchemy as sa
from alembic import op

from garita.registrations.keys import person_keys

revision = "0014"
down_revision = "0001"
branch_labels = None
depends_on = None

_BATCH = 5_000


def upgrade() -> None:
    op.create_table(
        "person_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["registration_id"], ["registration.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_person_key_key", "person_key", ["key", "registration_id"])
    op.create_index("ix_person_key_person_id", "person_key", ["person_id"])
    op.create_index("ix_person_key_registration_id", "person_key", ["registration_id"])
    _backfill()


def _backfill() -> None:
    conn = op.get_bind()
    person = sa.table("person", sa.column("id", sa.Integer), sa.column("registration_id"),
                      sa.column("given_names"), sa.column("family_names"),
                      sa.column("date_of_birth", sa.Date), sa.column("nationality"),
                      sa.column("documents", sa.JSON))
    key = sa.table("person_key", sa.column("person_id"), sa.column("registration_id"),
                   sa.column("key"))
    last = 0
    while True:
        rows = conn.execute(sa.select(person).where(person.c.id > last)
                            .order_by(person.c.id).limit(_BATCH)).all()
        if not rows:
            return
        conn.execute(key.insert(), [
            {"person_id": r.id, "registration_id": r.registration_id, "key": k}
            for r in rows for k in person_keys(r.given_names, r.family_names, r.date_of_birth,
                                               r.nationality, r.documents or [])])
        last = rows[-1].id


def downgrade() -> None:
    op.drop_table("person_key")
