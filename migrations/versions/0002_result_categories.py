"""Seed the published result categories of the provincial platform.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (code, Chinese name as published, English name); order is the platform's order.
CATEGORIES = [
    ("no_problem", "未发现问题", "No problem found"),
    ("undisclosed", "未按规定公示应当公示的信息", "Required information not disclosed"),
    ("false_disclosure", "公示信息隐瞒真实情况、弄虚作假", "Disclosed information false"),
    ("other_market_rule", "违反其他市场监管规定", "Other market-regulation violation"),
    ("other_department_rule", "违反其他部门相关规定", "Violation of another department's rules"),
    ("corrected", "发现问题经责令已改正", "Problem found and corrected when ordered"),
    ("pending_follow_up", "发现问题待后续处理", "Problem found, follow-up pending"),
    ("no_activity", "未发现开展本次抽查涉及的经营活动", "No business activity of this check"),
    ("unreachable", "通过登记的住所（经营场所）无法联系", "Unreachable at registered address"),
    ("closed", "已关闭停业或正在（组织）清算", "Closed or in liquidation"),
    ("obstruction", "不配合检查情节严重", "Serious refusal to cooperate"),
    ("deregistered", "已注销", "Deregistered"),
    ("revoked_licence", "已被吊销", "Licence revoked"),
    ("registration_revoked", "已被撤销", "Registration revoked"),
    ("moved_out", "已迁出", "Moved out"),
]

_table = sa.table(
    "result_categories",
    sa.column("id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("name_zh", sa.String),
    sa.column("name_en", sa.String),
    sa.column("sort", sa.Integer),
)


def upgrade() -> None:
    """Insert the categories."""
    op.bulk_insert(
        _table,
        [
            {"id": i, "code": code, "name_zh": zh, "name_en": en, "sort": i}
            for i, (code, zh, en) in enumerate(CATEGORIES, start=1)
        ],
    )


def downgrade() -> None:
    """Remove the categories."""
    op.execute(_table.delete())
