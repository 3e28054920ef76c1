"""jobs: the staff consoles' background jobs, shared by every worker

A plan or a screening run started on one worker is polled through any worker
(``uvicorn --workers``, replicas behind a load balancer): its state, progress
and result live here instead of one process's memory.

Revision ID: 0018
Revises: 0001
Create Date: 2026-12-02 15:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "background_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("expected_seconds", sa.Float(), nullable=False),
        sa.Column("progress", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["owner_id"], ["account.id"],
                                name=op.f("fk_background_job_owner_id_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_background_job")),
    )
    for column in ("kind", "owner_id", "state"):
        op.create_index(op.f(f"ix_background_job_{column}"), "background_job", [column])


def downgrade() -> None:
    for column in ("kind", "owner_id", "state"):
        op.drop_index(op.f(f"ix_background_job_{column}"), table_name="background_job")
    op.drop_table("background_job")
