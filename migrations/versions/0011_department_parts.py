"""Results as the platforms keep them: department parts, coded categories, versions,
objections, abnormal-operations proposals and the annual joint plan.

Every existing record becomes one part per department whose items apply to its
enterprise. The first department (the initiating department of the first applicable item)
keeps the row; the others get copies of its lifecycle and categories. A problem moves to
the part of its item's initiating department, with its orders to correct and evidence;
everything else (problems without an item, cases, clues) stays with the first part.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The default tree as it stood when this revision was written (the running code syncs the
# codes file at start; this only makes the database complete without it).
# (key, platform code, parent key, rule, Chinese name, English name)
TREE = [
    ("no_problem", "1", None, "exclusive", "未发现问题", "No problem found"),
    (
        "pending_follow_up",
        "A",
        None,
        None,
        "发现问题待后续处理",
        "Problem found, follow-up pending",
    ),
    (
        "market_rules",
        "2",
        "pending_follow_up",
        None,
        "违反市场监管相关规定",
        "Violation of market-regulation rules",
    ),
    (
        "undisclosed",
        "B",
        "market_rules",
        None,
        "未按规定公示应当公示的信息",
        "Required information not disclosed",
    ),
    (
        "false_disclosure",
        "C",
        "market_rules",
        None,
        "公示信息隐瞒真实情况、弄虚作假",
        "Disclosed information false",
    ),
    (
        "unreachable",
        "6",
        "market_rules",
        None,
        "通过登记的住所（经营场所）无法联系",
        "Unreachable at registered address",
    ),
    (
        "other_market_rule",
        "D",
        "market_rules",
        None,
        "违反其他市场监管规定",
        "Other market-regulation violation",
    ),
    (
        "food_drug_rules",
        "3",
        "pending_follow_up",
        None,
        "违反食品药品管理相关规定",
        "Violation of food and drug rules",
    ),
    (
        "quality_rules",
        "4",
        "pending_follow_up",
        None,
        "违反质量技术监督相关规定",
        "Violation of quality-supervision rules",
    ),
    (
        "other_department_rule",
        "5",
        "pending_follow_up",
        None,
        "违反其他部门相关规定",
        "Violation of another department's rules",
    ),
    (
        "corrected",
        "E",
        None,
        None,
        "发现问题经责令已改正",
        "Problem found and corrected when ordered",
    ),
    (
        "no_activity",
        "F",
        None,
        None,
        "未发现开展本次抽查涉及的经营活动",
        "No business activity of this check",
    ),
    ("closed", "7", None, None, "已关闭停业或正在组织清算", "Closed or in liquidation"),
    ("obstruction", "8", None, None, "不配合检查情节严重", "Serious refusal to cooperate"),
    ("deregistered", "9", None, "terminal", "注销", "Deregistered"),
    ("revoked_licence", "10", None, "terminal", "被吊销", "Licence revoked"),
    ("registration_revoked", "11", None, "terminal", "被撤销", "Registration revoked"),
    ("moved_out", "12", None, "terminal", "迁出", "Moved out"),
]


def upgrade() -> None:
    """Create the new tables and columns, then split every record into department parts."""
    _annual_plan()
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("number", sa.String(64), nullable=True))
        batch.add_column(sa.Column("annual_row_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_plans_annual_row_id_annual_plan_rows", "annual_plan_rows", ["annual_row_id"], ["id"]
        )
    _categories()
    with op.batch_alter_table("inspection_results") as batch:
        batch.add_column(sa.Column("department_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("publication", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("corrected_on", sa.Date(), nullable=True))
        batch.drop_constraint("uq_inspection_results_assignment_id", type_="unique")
    _split_into_parts(op.get_bind())
    with op.batch_alter_table("inspection_results") as batch:
        batch.alter_column("department_id", existing_type=sa.Integer(), nullable=False)
        batch.create_unique_constraint(
            "uq_inspection_results_assignment_id_department_id", ["assignment_id", "department_id"]
        )
        batch.create_foreign_key(
            "fk_inspection_results_department_id_departments",
            "departments",
            ["department_id"],
            ["id"],
        )
        batch.create_index("ix_inspection_results_assignment_id", ["assignment_id"])
        batch.create_index("ix_inspection_results_department_id", ["department_id"])
    _publicity()


def _annual_plan() -> None:
    op.create_table(
        "annual_plans",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("doc_number", sa.String(100), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("source", sa.String(255), nullable=False),
        sa.Column("source_sha256", sa.String(64), nullable=False),
        sa.Column("imported_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.UniqueConstraint("doc_number", name="uq_annual_plans_doc_number"),
    )
    op.create_index("ix_annual_plans_year", "annual_plans", ["year"])
    op.create_table(
        "annual_plan_rows",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("annual_plan_id", sa.Integer(), sa.ForeignKey("annual_plans.id"), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("items.id"), nullable=False),
        sa.Column(
            "initiating_department_id",
            sa.Integer(),
            sa.ForeignKey("departments.id"),
            nullable=False,
        ),
        sa.Column("cooperating", sa.JSON(), nullable=False),
        sa.Column("ratio", sa.String(16), nullable=True),
        sa.Column("frequency", sa.String(100), nullable=True),
        sa.Column("quarter", sa.Integer(), nullable=True),
        sa.Column("window_start", sa.Date(), nullable=True),
        sa.Column("window_end", sa.Date(), nullable=True),
        sa.UniqueConstraint("annual_plan_id", "seq", name="uq_annual_plan_rows_annual_plan_id_seq"),
    )
    op.create_index("ix_annual_plan_rows_annual_plan_id", "annual_plan_rows", ["annual_plan_id"])


def _categories() -> None:
    with op.batch_alter_table("result_categories") as batch:
        batch.add_column(sa.Column("platform_code", sa.String(16), nullable=True))
        batch.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("rule", sa.String(16), nullable=True))
        batch.add_column(
            sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch.create_foreign_key(
            "fk_result_categories_parent_id_result_categories",
            "result_categories",
            ["parent_id"],
            ["id"],
        )
    conn = op.get_bind()
    table = sa.table(
        "result_categories",
        sa.column("id", sa.Integer),
        sa.column("code", sa.String),
        sa.column("name_zh", sa.String),
        sa.column("name_en", sa.String),
        sa.column("sort", sa.Integer),
        sa.column("platform_code", sa.String),
        sa.column("parent_id", sa.Integer),
        sa.column("rule", sa.String),
    )
    ids = dict(conn.execute(sa.select(table.c.code, table.c.id)).all())
    next_id = max(ids.values(), default=0) + 1
    for sort, (key, code, parent, rule, zh, en) in enumerate(TREE, start=1):
        values = {
            "platform_code": code,
            "rule": rule,
            "name_zh": zh,
            "name_en": en,
            "sort": sort,
            "parent_id": ids[parent] if parent else None,
        }
        if key in ids:
            conn.execute(table.update().where(table.c.id == ids[key]).values(**values))
        else:
            conn.execute(table.insert().values(id=next_id, code=key, **values))
            ids[key] = next_id
            next_id += 1


def _publicity() -> None:
    op.create_table(
        "objections",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column(
            "result_id", sa.Integer(), sa.ForeignKey("inspection_results.id"), nullable=False
        ),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("filed_by", sa.String(200), nullable=False),
        sa.Column("contact", sa.String(200), nullable=True),
        sa.Column("credit_code", sa.String(18), nullable=True),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("grounds", sa.Text(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), sa.ForeignKey("evidence_files.id"), nullable=True),
        sa.Column("client_address", sa.String(64), nullable=True),
        sa.Column("recorded_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("review_due", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("decided_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("decision", sa.Text(), nullable=True),
        sa.UniqueConstraint("reference", name="uq_objections_reference"),
    )
    op.create_index("ix_objections_result_id", "objections", ["result_id"])
    op.create_index("ix_objections_status_review_due", "objections", ["status", "review_due"])
    op.create_table(
        "result_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "result_id", sa.Integer(), sa.ForeignKey("inspection_results.id"), nullable=False
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("published_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("corrected_on", sa.Date(), nullable=True),
        sa.Column("replaced_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("objection_id", sa.Integer(), sa.ForeignKey("objections.id"), nullable=True),
        sa.Column("content", sa.JSON(), nullable=False),
    )
    op.create_index("ix_result_versions_result_id", "result_versions", ["result_id"])
    op.create_table(
        "abnormal_proposals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "result_id", sa.Integer(), sa.ForeignKey("inspection_results.id"), nullable=False
        ),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprises.id"), nullable=False),
        sa.Column("proposed_on", sa.Date(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.UniqueConstraint("result_id", name="uq_abnormal_proposals_result_id"),
    )
    op.create_index("ix_abnormal_proposals_enterprise_id", "abnormal_proposals", ["enterprise_id"])
    op.create_index("ix_abnormal_proposals_status_due", "abnormal_proposals", ["status", "due"])


_T = sa.table  # short alias: the migration reads and writes through lightweight tables
_RESULT_COLUMNS = [
    *("assignment_id", "status", "checked_on", "summary", "started_at", "submitted_at"),
    *("submitted_by", "reviewed_at", "reviewed_by", "return_reason", "publish_due"),
    *("published_at", "version"),
]


def _table(name: str, *columns: str) -> Any:
    return _T(name, *(sa.column(c) for c in columns))


def _split_into_parts(conn: Any) -> None:
    results = _table("inspection_results", "id", "department_id", "publication", *_RESULT_COLUMNS)
    problems = _table("problems", "id", "result_id", "item_id")
    notices = _table("rectification_notices", "id", "result_id", "problem_id")
    evidence = _table("evidence_files", "id", "result_id", "problem_id")
    links = _table("result_category_links", "result_id", "category_id")
    for row in conn.execute(sa.select(results)).mappings().all():
        departments, owner_of_item = _departments(conn, row["assignment_id"])
        first, others = departments[0], departments[1:]
        conn.execute(
            results.update()
            .where(results.c.id == row["id"])
            .values(
                department_id=first,
                publication=1 if row["status"] == "published" else 0,
            )
        )
        part_of = {first: row["id"]}
        categories = [
            c
            for (c,) in conn.execute(
                sa.select(links.c.category_id).where(links.c.result_id == row["id"])
            )
        ]
        for department in others:
            values = {c: row[c] for c in _RESULT_COLUMNS}
            values.update(
                department_id=department,
                publication=1 if row["status"] == "published" else 0,
            )
            new_id = conn.execute(
                results.insert().values(**values).returning(results.c.id)
            ).scalar_one()
            part_of[department] = new_id
            for category in categories:
                conn.execute(links.insert().values(result_id=new_id, category_id=category))
        for problem_id, item_id in conn.execute(
            sa.select(problems.c.id, problems.c.item_id).where(problems.c.result_id == row["id"])
        ).all():
            target = part_of.get(owner_of_item.get(item_id, first), row["id"])
            if target == row["id"]:
                continue
            conn.execute(
                problems.update().where(problems.c.id == problem_id).values(result_id=target)
            )
            conn.execute(
                notices.update().where(notices.c.problem_id == problem_id).values(result_id=target)
            )
            conn.execute(
                evidence.update()
                .where(evidence.c.problem_id == problem_id)
                .values(result_id=target)
            )


def _departments(conn: Any, assignment_id: int) -> tuple[list[int], dict[int, int]]:
    """The departments of the items applying to the assignment's enterprise, first the
    initiating ones in item order; and each applicable item's initiating department."""
    plan_id, object_type = conn.execute(
        sa.text(
            "SELECT a.plan_id, e.object_type FROM assignments a "
            "JOIN enterprises e ON e.id = a.enterprise_id WHERE a.id = :id"
        ),
        {"id": assignment_id},
    ).one()
    items = conn.execute(
        sa.text(
            "SELECT i.id, i.initiating_department_id, i.object_type FROM plan_items p "
            "JOIN items i ON i.id = p.item_id WHERE p.plan_id = :plan ORDER BY i.id"
        ),
        {"plan": plan_id},
    ).all()
    applying = [i for i in items if i[2] is None or i[2] == object_type] or list(items)
    owner = {item_id: dept for item_id, dept, _type in applying}
    ordered: list[int] = []
    for _item, dept, _type in applying:
        if dept not in ordered:
            ordered.append(dept)
    ids = [i for i, _d, _t in applying]
    if ids:
        rows = conn.execute(
            sa.text(
                "SELECT DISTINCT department_id FROM item_departments WHERE item_id IN ("
                + ",".join(str(int(i)) for i in ids)
                + ") ORDER BY department_id"
            )
        ).all()
        for (dept,) in rows:
            if dept not in ordered:
                ordered.append(dept)
    if not ordered:
        first = conn.execute(sa.text("SELECT min(id) FROM departments")).scalar()
        ordered = [first]
    return ordered, owner


def downgrade() -> None:
    """Merge each assignment's parts back into its first one and drop what 0011 added."""
    conn = op.get_bind()
    op.drop_table("abnormal_proposals")
    op.drop_table("result_versions")
    op.drop_table("objections")
    rows = conn.execute(
        sa.text("SELECT id, assignment_id FROM inspection_results ORDER BY assignment_id, id")
    ).all()
    keep: dict[int, int] = {}
    for result_id, assignment_id in rows:
        if assignment_id not in keep:
            keep[assignment_id] = result_id
            continue
        target = keep[assignment_id]
        for table in (
            "problems",
            "rectification_notices",
            "cases",
            "clue_transfers",
            "evidence_files",
        ):
            conn.execute(
                sa.text(f"UPDATE {table} SET result_id = :t WHERE result_id = :r"),
                {"t": target, "r": result_id},
            )
        conn.execute(
            sa.text("DELETE FROM result_category_links WHERE result_id = :r"), {"r": result_id}
        )
        conn.execute(sa.text("DELETE FROM inspection_results WHERE id = :r"), {"r": result_id})
    with op.batch_alter_table("inspection_results") as batch:
        batch.drop_index("ix_inspection_results_department_id")
        batch.drop_index("ix_inspection_results_assignment_id")
        batch.drop_constraint("fk_inspection_results_department_id_departments", type_="foreignkey")
        batch.drop_constraint("uq_inspection_results_assignment_id_department_id", type_="unique")
        batch.create_unique_constraint("uq_inspection_results_assignment_id", ["assignment_id"])
        batch.drop_column("corrected_on")
        batch.drop_column("publication")
        batch.drop_column("department_id")
    # The parents 0011 added go (0002 never had them); the links to them with them.
    added = "('market_rules', 'food_drug_rules', 'quality_rules')"
    conn.execute(sa.text("UPDATE result_categories SET parent_id = NULL"))
    conn.execute(
        sa.text(
            "DELETE FROM result_category_links WHERE category_id IN "
            f"(SELECT id FROM result_categories WHERE code IN {added})"
        )
    )
    conn.execute(sa.text(f"DELETE FROM result_categories WHERE code IN {added}"))
    with op.batch_alter_table("result_categories") as batch:
        batch.drop_constraint(
            "fk_result_categories_parent_id_result_categories", type_="foreignkey"
        )
        batch.drop_column("active")
        batch.drop_column("rule")
        batch.drop_column("parent_id")
        batch.drop_column("platform_code")
    with op.batch_alter_table("plans") as batch:
        batch.drop_constraint("fk_plans_annual_row_id_annual_plan_rows", type_="foreignkey")
        batch.drop_column("annual_row_id")
        batch.drop_column("number")
    op.drop_table("annual_plan_rows")
    op.drop_table("annual_plans")
