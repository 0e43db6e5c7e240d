"""covering indexes for nonconformity trends

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("nonconformities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_nonconformities_org_closed"))
        batch_op.drop_index(batch_op.f("ix_nonconformities_org_created"))
        batch_op.create_index(
            "ix_nonconformities_org_closed_created",
            ["org_id", "closed_date", "created_at", "severity"],
            unique=False,
        )
        batch_op.create_index(
            "ix_nonconformities_org_created_sev", ["org_id", "created_at", "severity"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("nonconformities", schema=None) as batch_op:
        batch_op.drop_index("ix_nonconformities_org_created_sev")
        batch_op.drop_index("ix_nonconformities_org_closed_created")
        batch_op.create_index(
            batch_op.f("ix_nonconformities_org_created"), ["org_id", "created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_nonconformities_org_closed"), ["org_id", "closed_date"], unique=False
        )
