"""photos: one sealed photo per (appointment, person), taken at confirmation

Revision ID: 0010
Revises: 0001
Create Date: 2026-12-02 12:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_by", sa.String(length=120), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("delete_after", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["offer_id"], ["offer.id"], name=op.f("fk_photo_offer_id_offer")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_photo_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photo")),
        sa.UniqueConstraint("offer_id", "person_id", name=op.f("uq_photo_offer_id_person_id")),
    )
    op.create_index(op.f("ix_photo_offer_id"), "photo", ["offer_id"], unique=False)
    op.create_index(op.f("ix_photo_delete_after"), "photo", ["delete_after"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_photo_delete_after"), table_name="photo")
    op.drop_index(op.f("ix_photo_offer_id"), table_name="photo")
    op.drop_table("photo")
