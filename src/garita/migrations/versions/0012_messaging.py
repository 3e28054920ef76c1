"""messaging and notify: the outbox, contact preferences, the scan's watermarks

Revision ID: 0012
Revises: 0001
Create Date: 2026-12-02 12:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "message_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_key", sa.String(length=200), nullable=False),
        sa.Column("template", sa.String(length=60), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("to_address", sa.String(length=320), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("transport", sa.String(length=20), nullable=True),
        sa.Column("provider_id", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_outbox")),
        sa.UniqueConstraint("event_key", "channel", name=op.f("uq_message_outbox_event_key_channel")),
    )
    op.create_index("ix_message_outbox_due", "message_outbox", ["status", "next_attempt_at"])
    op.create_index(op.f("ix_message_outbox_account_id"), "message_outbox", ["account_id"])
    op.create_table(
        "contact_preference",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.Column("sms", sa.Boolean(), nullable=False),
        sa.Column("whatsapp", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=True),
        sa.Column("digest", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_contact_preference")),
    )


    op.create_table(
        "notify_watermark",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_notify_watermark")),
    )


def downgrade() -> None:
    op.drop_table("notify_watermark")
    op.drop_table("contact_preference")
    op.drop_index(op.f("ix_message_outbox_account_id"), table_name="message_outbox")
    op.drop_index("ix_message_outbox_due", table_name="message_outbox")
    op.drop_table("message_outbox")
