"""Initial schema: counsellors, conversations, chat messages, cases, audit log, sessions.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "counsellors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("api_token_hash", sa.String(length=64), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_counsellors")),
        sa.UniqueConstraint("api_token_hash", name=op.f("uq_counsellors_api_token_hash")),
        sa.UniqueConstraint("name", name=op.f("uq_counsellors_name")),
    )
    op.create_table(
        "conversations",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("code", sa.String(length=9), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("taken_over_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["taken_over_by"], ["counsellors.id"],
                                name=op.f("fk_conversations_taken_over_by_counsellors"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversations")),
        sa.UniqueConstraint("code", name=op.f("uq_conversations_code")),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("counsellor_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revealed", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["counsellor_id"], ["counsellors.id"],
                                name=op.f("fk_sessions_counsellor_id_counsellors"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
    )
    op.create_index(op.f("ix_sessions_counsellor_id"), "sessions", ["counsellor_id"])
    op.create_index(op.f("ix_sessions_expires_at"), "sessions", ["expires_at"])
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=40), nullable=True),
        sa.Column("outcome_note", sa.Text(), nullable=True),
        sa.Column("risk", sa.String(length=10), nullable=False),
        sa.Column("risk_rank", sa.Integer(), nullable=False),
        sa.Column("risk_reason", sa.Text(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("assigned_to", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["assigned_to"], ["counsellors.id"],
                                name=op.f("fk_cases_assigned_to_counsellors"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"],
                                name=op.f("fk_cases_conversation_id_conversations"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
    )
    op.create_index(op.f("ix_cases_conversation_id"), "cases", ["conversation_id"])
    op.create_index(op.f("ix_cases_created_at"), "cases", ["created_at"])
    op.create_index(op.f("ix_cases_status"), "cases", ["status"])
    op.create_table(
        "chat_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conversation_id", sa.String(length=128), nullable=False),
        sa.Column("sender", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("buttons", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"],
                                name=op.f("fk_chat_messages_conversation_id_conversations"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_messages")),
    )
    op.create_index("ix_chat_messages_conversation_id_id", "chat_messages", ["conversation_id", "id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("counsellor_id", sa.Integer(), nullable=True),
        sa.Column("counsellor_name", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_audit_log_case_id_cases"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["counsellor_id"], ["counsellors.id"],
                                name=op.f("fk_audit_log_counsellor_id_counsellors"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_case_id"), "audit_log", ["case_id"])


def downgrade() -> None:
    op.drop_table("audit_log")
    op.drop_table("chat_messages")
    op.drop_table("cases")
    op.drop_table("sessions")
    op.drop_table("conversations")
    op.drop_table("counsellors")
