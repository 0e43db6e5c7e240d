"""initial schema: organizations, clauses, assessments

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from core.db import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "clauses",
        sa.Column("clause_id", sa.String(length=16), nullable=False),
        sa.Column("parent_id", sa.String(length=16), nullable=True),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.String(length=4), nullable=False),
        sa.Column("is_leaf", sa.Boolean(), nullable=False),
        sa.Column("sort_key", sa.String(length=32), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["clauses.clause_id"], name=op.f("fk_clauses_parent_id_clauses")
        ),
        sa.PrimaryKeyConstraint("clause_id", name=op.f("pk_clauses")),
        sa.UniqueConstraint("sort_key", name=op.f("uq_clauses_sort_key")),
    )
    op.create_table(
        "organizations",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
    )
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("clause_id", sa.String(length=16), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "Compliant",
                "Partial",
                "Noncompliant",
                "NotApplicable",
                name="assessment_status",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("owner", sa.String(length=255), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("maturity", sa.Integer(), nullable=True),
        sa.Column("target_maturity", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=True),
        sa.Column("updated_by", sa.String(length=255), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "maturity IS NULL OR maturity BETWEEN 0 AND 5",
            name=op.f("ck_assessments_maturity_range"),
        ),
        sa.CheckConstraint(
            "target_maturity IS NULL OR target_maturity BETWEEN 0 AND 5",
            name=op.f("ck_assessments_target_maturity_range"),
        ),
        sa.ForeignKeyConstraint(
            ["clause_id"], ["clauses.clause_id"], name=op.f("fk_assessments_clause_id_clauses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assessments_org_clause_updated",
            ["org_id", "clause_id", "updated_at", "id"],
            unique=False,
        )
        batch_op.create_index("ix_assessments_org_id_id", ["org_id", "id"], unique=False)
        batch_op.create_index(
            "ix_assessments_org_status_id", ["org_id", "status", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_assessments_org_status_id")
        batch_op.drop_index("ix_assessments_org_id_id")
        batch_op.drop_index("ix_assessments_org_clause_updated")

    op.drop_table("assessments")
    op.drop_table("organizations")
    op.drop_table("clauses")
