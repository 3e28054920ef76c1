"""accounts: two-factor secrets sealed at rest; a registration's phone verified by a code

Revision ID: 0020
Revises: 0001
Create Date: 2026-12-02 15:10:00

The TOTP secrets stored in clear by 0011 are sealed under GARITA_TOTP_KEY (the key the
caller passes, ``garita db upgrade`` reads it from the settings), so the column never
holds a usable secret again. Existing phones start unverified: an SMS goes only to a
number that has answered a code (docs/notifications.md).
"""

import sqlalchemy as sa
from alembic import context, op

revision = "0020"
down_revision = "0001"
branch_labels = None
depends_on = ("0011",)


def _keys():
    from garita.auth.totpkeys import TotpKeys
    from garita.settings import Settings

    secret = context.config.attributes.get("totp_key")
    if secret is None:
        secret = Settings().totp_key.get_secret_value()
    return TotpKeys.of(secret)


def _width(old: int, new: int) -> None:
    """The sealed secret is longer than the clear one. SQLite does not enforce a VARCHAR's
    length, and widening it there would copy the account table, which other tables'
    foreign keys refer to (a database with registrations could not upgrade): PostgreSQL only."""
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("account", "totp_secret", existing_type=sa.String(length=old),
                        type_=sa.String(length=new), existing_nullable=True)


def upgrade() -> None:
    _width(64, 200)
    with op.batch_alter_table("registration") as batch:
        batch.add_column(sa.Column("phone_verified_at", sa.DateTime(timezone=True),
                                   nullable=True))
    bind = op.get_bind()
    account = sa.table("account", sa.column("id", sa.Integer),
                       sa.column("totp_secret", sa.String))
    rows = bind.execute(sa.select(account.c.id, account.c.totp_secret)
                        .where(account.c.totp_secret.is_not(None))).all()
    clear = [(i, secret) for i, secret in rows if not secret.startswith("v1.")]
    if not clear:
        return
    keys = _keys()
    for account_id, secret in clear:
        bind.execute(account.update().where(account.c.id == account_id)
                     .values(totp_secret=keys.seal(secret, account_id)))


def downgrade() -> None:
    bind = op.get_bind()
    account = sa.table("account", sa.column("id", sa.Integer),
                       sa.column("totp_secret", sa.String))
    rows = bind.execute(sa.select(account.c.id, account.c.totp_secret)
                        .where(account.c.totp_secret.is_not(None))).all()
    keys = _keys()
    for account_id, secret in rows:
        if secret.startswith("v1."):
            bind.execute(account.update().where(account.c.id == account_id)
                         .values(totp_secret=keys.open(secret, account_id)))
    with op.batch_alter_table("registration") as batch:
        batch.drop_column("phone_verified_at")
    _width(200, 64)
