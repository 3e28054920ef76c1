"""rights and help: erased registrations, assistance, the help queue, reports without a subject

Revision ID: 0013
Revises: 0001
Create Date: 2026-12-02 12:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0001"
branch_labels = None
depends_on = ("0005",)  # the alert table


def upgrade() -> None:
    with op.batch_alter_table("registration") as batch:
        batch.add_column(sa.Column("assistance", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("alert") as batch:
        batch.alter_column("registration_id", existing_type=sa.Integer(), nullable=True)
    op.create_table(
        "registration_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("fields", sa.String(length=300), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["registration_id"], ["registration.id"],
                                name=op.f("fk_registration_change_registration_id_registration")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_change")),
    )
    op.create_index(op.f("ix_registration_change_registration_id"), "registration_change",
                    ["registration_id"])
    op.create_table(
        "help_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=True),
        sa.Column("share", sa.Boolean(), nullable=False),
        sa.Column("page", sa.String(length=200), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.String(length=120), nullable=True),
        sa.Column("helper_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"],
                                name=op.f("fk_help_request_account_id_account")),
        sa.ForeignKeyConstraint(["helper_id"], ["account.id"],
                                name=op.f("fk_help_request_helper_id_account")),
        sa.ForeignKeyConstraint(["registration_id"], ["registration.id"],
                                name=op.f("fk_help_request_registration_id_registration")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_request")),
    )
    for column in ("kind", "account_id", "registration_id", "status"):
        op.create_index(op.f(f"ix_help_request_{column}"), "help_request", [column])


def downgrade() -> None:
    op.drop_table("help_request")
    op.drop_table("registration_change")
    with op.batch_alter_table("alert") as batch:
        batch.alter_column("registration_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("registration") as batch:
        batch.drop_column("erased_at")
        batch.drop_column("assistance")
