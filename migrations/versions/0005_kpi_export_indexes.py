"""indexes for KPIs and exports

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index("ix_assessments_org_created", ["org_id", "created_at"], unique=False)

    with op.batch_alter_table("audits", schema=None) as batch_op:
        batch_op.create_index("ix_audits_org_created", ["org_id", "created_at"], unique=False)

    with op.batch_alter_table("nonconformities", schema=None) as batch_op:
        batch_op.create_index(
            "ix_nonconformities_org_closed", ["org_id", "closed_date"], unique=False
        )
        batch_op.create_index(
            "ix_nonconformities_org_created", ["org_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_nonconformities_org_due_id", ["org_id", "due_date", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("nonconformities", schema=None) as batch_op:
        batch_op.drop_index("ix_nonconformities_org_due_id")
        batch_op.drop_index("ix_nonconformities_org_created")
        batch_op.drop_index("ix_nonconformities_org_closed")

    with op.batch_alter_table("audits", schema=None) as batch_op:
        batch_op.drop_index("ix_audits_org_created")

    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_assessments_org_created")
