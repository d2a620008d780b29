"""Security hardening (issue 16): longer resume codes, optional TOTP for counsellors.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # 16 characters ("XXXX-XXXX-XXXX-XXXX", ~79 bits) instead of 8 (~40 bits); old codes keep working.
    with op.batch_alter_table("conversations") as batch:
        batch.alter_column("code", existing_type=sa.String(length=9), type_=sa.String(length=24),
                           existing_nullable=False)
    with op.batch_alter_table("counsellors") as batch:
        batch.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("counsellors") as batch:
        batch.drop_column("totp_secret")
    with op.batch_alter_table("conversations") as batch:
        batch.alter_column("code", existing_type=sa.String(length=24), type_=sa.String(length=9),
                           existing_nullable=False)
