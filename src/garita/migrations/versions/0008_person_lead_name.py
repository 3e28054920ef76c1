"""registrations: index of leads' names, for lists sorted by name

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 09:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

LEAD = sa.text("position = 0")


def upgrade() -> None:
    op.create_index("ix_person_lead_name", "person",
                    ["family_names", "given_names", "registration_id"],
                    postgresql_where=LEAD, sqlite_where=LEAD)


def downgrade() -> None:
    op.drop_index("ix_person_lead_name", table_name="person")
