"""Messages that could not reach Rasa are kept as pending and delivered later (issue 17).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("chat_messages") as batch:
        batch.add_column(sa.Column("delivery", sa.String(length=10), nullable=True))
        batch.create_index("ix_chat_messages_delivery", ["delivery"])


def downgrade() -> None:
    with op.batch_alter_table("chat_messages") as batch:
        batch.drop_index("ix_chat_messages_delivery")
        batch.drop_column("delivery")
