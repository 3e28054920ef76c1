"""stats: a Parquet snapshot of each import's rows, for reports in fresh workers

Revision ID: 0019
Revises: 0001
Create Date: 2026-12-02 15:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0001"
branch_labels = None
depends_on = "0009"  # stats_import


def upgrade() -> None:
    op.create_table(
        "stats_snapshot",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("parquet", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["stats_import.id"],
                                name=op.f("fk_stats_snapshot_import_id_stats_import")),
        sa.PrimaryKeyConstraint("import_id", name=op.f("pk_stats_snapshot")),
    )


def downgrade() -> None:
    op.drop_table("stats_snapshot")
