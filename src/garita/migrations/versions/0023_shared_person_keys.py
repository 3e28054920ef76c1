"""registrations: mark person keys another registration also holds

Revision ID: 0023
Revises: 0001
Create Date: 2026-12-02 15:20:00

The draw's one-entry-per-person check joined every member's keys to the day's
requests: 44 s for a million requests under load (bench/bench_draw_db.py). Only a
key two registrations hold can repeat a person, so such keys are marked ``shared``
(by ``registrations.sameperson.store_keys`` from now on; here for the keys already
stored) and read through a small partial index.
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0001"
branch_labels = None
depends_on = ("0014",)


def upgrade() -> None:
    with op.batch_alter_table("person_key") as batch:
        batch.add_column(sa.Column("shared", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    op.execute("UPDATE person_key SET shared = true WHERE key IN ("
               "SELECT key FROM person_key GROUP BY key "
               "HAVING count(DISTINCT registration_id) > 1)")
    op.create_index("ix_person_key_shared", "person_key", ["key", "registration_id"],
                    postgresql_where=sa.text("shared"), sqlite_where=sa.text("shared = 1"))


def downgrade() -> None:
    op.drop_index("ix_person_key_shared", table_name="person_key")
    with op.batch_alter_table("person_key") as batch:
        batch.drop_column("shared")
