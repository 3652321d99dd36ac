"""The coded tree of result categories: its file, its rules, its sync, its codes in exports."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select

from bot.app import App
from bot.settings import Settings
from handlers.core.db import unit_of_work
from handlers.core.i18n import t
from models import AuditEntry, ResultCategory
from services.common.errors import InvalidInput
from services.records import codes, codes_file, platform_export
from services.records.codes import Tree
from services.records.export_facts import Selection
from tests.export_fixture import X_NAME, Y_NAME, joint_check

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "services" / "records" / "result_codes.toml"
FINDING = {"pending_follow_up", "market_rules", "undisclosed"}


def migration_tree() -> list[tuple[Any, ...]]:
    """Migration 0011's TREE constant: what the database holds without a codes file."""
    path = ROOT / "migrations" / "versions" / "0011_department_parts.py"
    spec = importlib.util.spec_from_file_location("migration_0011", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.TREE)


@pytest.fixture(scope="module")
def tree() -> Tree:
    """The default tree, read from the shipped file."""
    return codes_file.load()


def test_the_default_file_is_the_tree_of_migration_0011(tree: Tree) -> None:
    assert [
        (c.key, c.code, c.parent, c.rule, c.name_zh, c.name_en) for c in tree.categories
    ] == migration_tree()
    assert codes_file.load(DEFAULT) == tree


def refused(selected: set[str], tree: Tree, problems: int = 0) -> InvalidInput:
    """The refusal of a selection (the test fails if it is accepted)."""
    with pytest.raises(InvalidInput) as caught:
        codes.check(selected, tree, problems)
    return caught.value


@pytest.mark.parametrize(
    ("selected", "problems", "key", "named"),
    [
        (set(), 0, "codes.none_selected", ""),
        ({"no_problem", "corrected"}, 0, "codes.exclusive_with_others", "E 发现问题经责令已改正"),
        ({"no_problem"}, 2, "codes.exclusive_with_problems", "1 未发现问题"),
        ({"pending_follow_up", "undisclosed"}, 0, "codes.child_without_parent", "2 违反市场监管"),
        ({"undisclosed", "market_rules"}, 1, "codes.child_without_parent", "A 发现问题待后续处理"),
        ({"deregistered", "closed"}, 0, "codes.terminal_with_result", "7 已关闭停业"),
        ({"moved_out"}, 1, "codes.terminal_with_problems", "12 迁出"),
        ({"what"}, 0, "codes.unknown", "what"),
    ],
)
def test_each_rule_is_refused_with_its_own_message(
    tree: Tree, selected: set[str], problems: int, key: str, named: str
) -> None:
    error = refused(selected, tree, problems)
    assert error.key == key
    zh, en = (t(lang, key, **error.params) for lang in ("zh", "en"))
    assert named in zh and named in en and zh != key and en != key


def test_selections_within_the_rules_pass(tree: Tree) -> None:
    codes.check(FINDING, tree, problems=3)
    codes.check({"no_problem"}, tree)
    codes.check({"deregistered", "revoked_licence"}, tree)
    codes.check({"corrected", "no_activity"}, tree, problems=1)


def test_a_child_brings_its_parent_and_a_parent_keeps_its_child(tree: Tree) -> None:
    assert codes.with_ancestors("undisclosed", tree) == list(
        ("pending_follow_up", "market_rules", "undisclosed")
    )
    assert codes.with_ancestors("no_problem", tree) == ["no_problem"]
    assert codes.toggled(set(), "unreachable", True, tree) == {
        "pending_follow_up",
        "market_rules",
        "unreachable",
    }
    assert codes.blocked_removal("pending_follow_up", FINDING, tree) == "market_rules"
    assert codes.blocked_removal("undisclosed", FINDING, tree) is None
    with pytest.raises(InvalidInput) as caught:
        codes.toggled(FINDING, "market_rules", False, tree)
    assert caught.value.key == "codes.parent_has_child"
    assert "B 未按规定公示应当公示的信息" in t("zh", caught.value.key, **caught.value.params)
    assert codes.toggled(FINDING, "undisclosed", False, tree) == {
        "pending_follow_up",
        "market_rules",
    }


def entry(key: str, code: str, **more: str) -> str:
    """One [[category]] entry of a codes file."""
    lines = ["[[category]]", f'key = "{key}"', f'code = "{code}"']
    lines += ['name_zh = "名称"', 'name_en = "Name"']
    lines += [f'{name} = "{value}"' for name, value in more.items()]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "key", "named"),
    [
        ("[[category", "codes.file_syntax", "codes.toml"),
        ("title = 'no categories'\n", "codes.file_empty", "codes.toml"),
        (entry("a", "1") + entry("a", "2"), "codes.file_duplicate_key", "2 (a)"),
        (entry("a", "1") + entry("b", "1"), "codes.file_duplicate_code", "2 (b)"),
        (entry("a", "1", parent="nowhere"), "codes.file_unknown_parent", "nowhere"),
        (entry("a", "1", parent="b") + entry("b", "2", parent="a"), "codes.file_cycle", "a → b"),
        (entry("a", "1", rule="final"), "codes.file_unknown_rule", "final"),
        (entry("a", "1", colour="red"), "codes.file_unknown_field", "colour"),
        ('[[category]]\nkey = "a"\ncode = "1"\nname_zh = "x"\n', "codes.file_missing", "name_en"),
        (entry("A-1", "1"), "codes.file_bad_key", "A-1"),
        (
            entry("a", "1") + entry("b", "2", parent="a", rule="exclusive"),
            "codes.file_rule_nested",
            "2 (b)",
        ),
        (
            entry("a", "1", rule="terminal") + entry("b", "2", parent="a"),
            "codes.file_rule_nested",
            "2 (b)",
        ),
        (entry("a", "1" * 17), "codes.file_too_long", "code"),
    ],
)
def test_a_broken_codes_file_is_refused_naming_file_and_entry(
    tmp_path: Path, text: str, key: str, named: str
) -> None:
    path = tmp_path / "codes.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        codes_file.load(path)
    assert caught.value.key == key
    for lang in ("zh", "en"):
        message = t(lang, key, **caught.value.params)
        assert str(path) in message and named in message


def test_an_unreadable_codes_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as caught:
        codes_file.load(tmp_path / "missing.toml")
    assert caught.value.key == "codes.file_unreadable"


def test_the_setting_names_a_codes_file(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, result_codes_file=tmp_path / "zj.toml")
    assert settings.result_codes_file == tmp_path / "zj.toml"
    assert Settings(_env_file=None).result_codes_file is None


def writes(app: App) -> tuple[list[str], Any]:
    """Record the SQL statements the engine runs; returns the list and the listener."""
    seen: list[str] = []

    def listener(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        word = statement.lstrip().split(None, 1)[0].upper()
        if word in ("SELECT", "INSERT", "UPDATE", "DELETE"):
            seen.append(word)

    event.listen(app.engine.sync_engine, "before_cursor_execute", listener)
    return seen, listener


async def sync(app: App, tree: Tree) -> codes.SyncReport:
    """Sync in a transaction of its own."""
    async with unit_of_work(app.sessions) as session:
        return await codes.sync(session, tree, app.clock.now())


async def test_sync_of_the_default_tree_reads_once_and_writes_nothing(app: App, tree: Tree) -> None:
    seen, listener = writes(app)
    try:
        report = await sync(app, tree)
    finally:
        event.remove(app.engine.sync_engine, "before_cursor_execute", listener)
    assert not report.changed
    assert seen == ["SELECT"]


def province(tree: Tree) -> Tree:
    """Another province's mapping: other codes, one category more, one retired."""
    renamed = [
        codes.Category(**{**vars(c), "code": f"ZJ{c.code}"})
        for c in tree.categories
        if c.key != "obstruction"
    ]
    extra = codes.Category("licence_missing", "ZJX", "未取得许可经营", "Unlicensed", "market_rules")
    return Tree((*renamed, extra))


async def test_sync_applies_a_mapping_once_and_retires_instead_of_deleting(
    app: App, tree: Tree
) -> None:
    report = await sync(app, province(tree))
    assert report.added == ("licence_missing",) and report.retired == ("obstruction",)
    assert len(report.updated) == len(tree.categories) - 1
    again = await sync(app, province(tree))
    assert not again.changed
    async with unit_of_work(app.sessions, write=False) as session:
        loaded = await codes.tree_from_db(session)
        audits = (
            await session.scalars(select(AuditEntry).where(AuditEntry.action == "codes.sync"))
        ).all()
        count = len((await session.scalars(select(ResultCategory))).all())
    assert len(audits) == 1 and count == len(tree.categories) + 1
    assert loaded["obstruction"].active is False and loaded["undisclosed"].code == "ZJB"
    assert codes.with_ancestors("licence_missing", loaded)[0] == "pending_follow_up"
    error = refused({"obstruction"}, loaded)
    assert error.key == "codes.retired"
    back = await sync(app, tree)
    assert back.retired == ("licence_missing",) and "obstruction" in back.updated


async def test_a_codes_file_replaces_the_codes_in_the_export(
    app: App, tree: Tree, tmp_path: Path
) -> None:
    await joint_check(app)
    text = DEFAULT.read_text(encoding="utf-8")
    for old, new in (('code = "A"', 'code = "P01"'), ('code = "B"', 'code = "P0101"')):
        text = text.replace(old, new)
    text = text.replace('code = "1"\n', 'code = "00"\n')
    mapping = tmp_path / "province.toml"
    mapping.write_text(text, encoding="utf-8")
    await sync(app, codes_file.load(mapping))
    out = tmp_path / "r.csv"
    async with unit_of_work(app.sessions, write=False) as session:
        await platform_export.export_parts(session, None, Selection(), out)
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    by_department = {r["检查实施机关"]: r["检查结果"] for r in rows}
    assert by_department == {
        X_NAME: "P01 发现问题待后续处理；2 违反市场监管相关规定；P0101 未按规定公示应当公示的信息",
        Y_NAME: "00 未发现问题",
    }
