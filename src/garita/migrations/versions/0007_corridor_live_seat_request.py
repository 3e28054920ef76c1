"""corridor: one live seat request per appointment (partial unique index)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

LIVE = sa.text("status IN ('requested', 'assigned')")


def upgrade() -> None:
    op.create_index("uq_corridor_seat_request_live_offer", "corridor_seat_request", ["offer_id"],
                    unique=True, postgresql_where=LIVE, sqlite_where=LIVE)


def downgrade() -> None:
    op.drop_index("uq_corridor_seat_request_live_offer", table_name="corridor_seat_request")
