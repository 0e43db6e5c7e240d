"""compliance records: audits, nonconformities, management reviews, change history

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from core.db import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audits",
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "Planned",
                "InProgress",
                "Completed",
                "Cancelled",
                name="audit_status",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("scheduled_date", sa.Date(), nullable=True),
        sa.Column("completed_date", sa.Date(), nullable=True),
        sa.Column("lead_auditor", sa.String(length=255), nullable=True),
        sa.Column("scope_clause_ids", sa.JSON(), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=True),
        sa.Column("updated_by", sa.String(length=255), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audits")),
    )
    with op.batch_alter_table("audits", schema=None) as batch_op:
        batch_op.create_index("ix_audits_org_id_id", ["org_id", "id"], unique=False)
        batch_op.create_index("ix_audits_org_scheduled", ["org_id", "scheduled_date"], unique=False)
        batch_op.create_index("ix_audits_org_status_id", ["org_id", "status", "id"], unique=False)

    op.create_table(
        "change_records",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("before", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("after", sa.JSON(none_as_null=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_records")),
    )
    with op.batch_alter_table("change_records", schema=None) as batch_op:
        batch_op.create_index(
            "ix_change_records_org_entity", ["org_id", "entity", "entity_id", "id"], unique=False
        )
        batch_op.create_index("ix_change_records_org_id_id", ["org_id", "id"], unique=False)

    op.create_table(
        "management_reviews",
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("meeting_date", sa.Date(), nullable=True),
        sa.Column("participants", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("decisions", sa.Text(), nullable=True),
        sa.Column("actions", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=True),
        sa.Column("updated_by", sa.String(length=255), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_management_reviews")),
    )
    with op.batch_alter_table("management_reviews", schema=None) as batch_op:
        batch_op.create_index("ix_management_reviews_org_id_id", ["org_id", "id"], unique=False)

    op.create_table(
        "nonconformities",
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "severity",
            sa.Enum(
                "Minor",
                "Major",
                "Critical",
                name="nc_severity",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "Open",
                "InProgress",
                "Closed",
                name="nc_status",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "state",
            sa.Enum(
                "New",
                "Analysis",
                "Action",
                "Verification",
                "Closed",
                name="nc_state",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("audit_id", sa.Integer(), nullable=True),
        sa.Column("clause_id", sa.String(length=16), nullable=True),
        sa.Column("corrective_action", sa.Text(), nullable=True),
        sa.Column("containment", sa.Text(), nullable=True),
        sa.Column("root_cause", sa.Text(), nullable=True),
        sa.Column("preventive_action", sa.Text(), nullable=True),
        sa.Column("verification_method", sa.Text(), nullable=True),
        sa.Column("verified_by", sa.String(length=255), nullable=True),
        sa.Column("verified_on", sa.Date(), nullable=True),
        sa.Column("owner", sa.String(length=255), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("closed_date", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=True),
        sa.Column("updated_by", sa.String(length=255), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"], ["audits.id"], name=op.f("fk_nonconformities_audit_id_audits")
        ),
        sa.ForeignKeyConstraint(
            ["clause_id"], ["clauses.clause_id"], name=op.f("fk_nonconformities_clause_id_clauses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nonconformities")),
    )
    with op.batch_alter_table("nonconformities", schema=None) as batch_op:
        batch_op.create_index(
            "ix_nonconformities_org_audit_id", ["org_id", "audit_id", "id"], unique=False
        )
        batch_op.create_index(
            "ix_nonconformities_org_clause_id", ["org_id", "clause_id", "id"], unique=False
        )
        batch_op.create_index("ix_nonconformities_org_id_id", ["org_id", "id"], unique=False)
        batch_op.create_index(
            "ix_nonconformities_org_severity_id", ["org_id", "severity", "id"], unique=False
        )
        batch_op.create_index(
            "ix_nonconformities_org_status_due", ["org_id", "status", "due_date"], unique=False
        )
        batch_op.create_index(
            "ix_nonconformities_org_status_id", ["org_id", "status", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("nonconformities", schema=None) as batch_op:
        batch_op.drop_index("ix_nonconformities_org_status_id")
        batch_op.drop_index("ix_nonconformities_org_status_due")
        batch_op.drop_index("ix_nonconformities_org_severity_id")
        batch_op.drop_index("ix_nonconformities_org_id_id")
        batch_op.drop_index("ix_nonconformities_org_clause_id")
        batch_op.drop_index("ix_nonconformities_org_audit_id")

    op.drop_table("nonconformities")
    with op.batch_alter_table("management_reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_management_reviews_org_id_id")

    op.drop_table("management_reviews")
    with op.batch_alter_table("change_records", schema=None) as batch_op:
        batch_op.drop_index("ix_change_records_org_id_id")
        batch_op.drop_index("ix_change_records_org_entity")

    op.drop_table("change_records")
    with op.batch_alter_table("audits", schema=None) as batch_op:
        batch_op.drop_index("ix_audits_org_status_id")
        batch_op.drop_index("ix_audits_org_scheduled")
        batch_op.drop_index("ix_audits_org_id_id")

    op.drop_table("audits")
