"""The coded tree of result categories: the tree, its sync into the database, its rules.

The provincial platforms keep result categories as a coded tree (1 未发现问题; A 发现问题待
后续处理 > 2 违反市场监管相关规定 > B ...). The tree is data: `result_codes.toml` beside
this module is the default, `RESULT_CODES_FILE` a district's or province's own mapping.
`sync` makes `result_categories` match the file at start-up; the rules (`check`,
`with_ancestors`, `blocked_removal`) are pure functions over a `Tree` loaded from the
database (`tree_from_db`). Reading and checking a file: `codes_file`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import ResultCategory
from services.accounts.actors import SYSTEM_REF
from services.common import audit
from services.common.errors import InvalidInput

EXCLUSIVE, TERMINAL = "exclusive", "terminal"
RULES = (EXCLUSIVE, TERMINAL)
SEP = "、"


@dataclass(frozen=True)
class Category:
    """One category of the tree: stable key, platform code, names, parent key and rule."""

    key: str
    code: str
    name_zh: str
    name_en: str
    parent: str | None = None
    rule: str | None = None
    active: bool = True

    def label(self, lang: str = "zh") -> str:
        """The code and name, as the platforms show a category ("B 未按规定公示...")."""
        return f"{self.code} {self.name_zh if lang == 'zh' else self.name_en}"


@dataclass(frozen=True)
class Tree:
    """The categories in the platform's order; `ids` are database ids when read from it."""

    categories: tuple[Category, ...]
    ids: dict[str, int] = field(default_factory=dict)
    _by_key: dict[str, Category] = field(init=False, repr=False, compare=False)
    _order: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {c.key: c for c in self.categories})
        object.__setattr__(self, "_order", {c.key: i for i, c in enumerate(self.categories)})

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __getitem__(self, key: str) -> Category:
        found = self._by_key.get(key)
        if found is None:
            raise InvalidInput("codes.unknown", name=key)
        return found

    def ancestors(self, key: str) -> list[Category]:
        """The category's parent, grandparent, ... (nearest first)."""
        out: list[Category] = []
        parent = self[key].parent
        while parent is not None and len(out) < len(self.categories):
            out.append(self[parent])
            parent = out[-1].parent
        return out

    def descendants(self, key: str) -> list[Category]:
        """Every category under `key`, in tree order."""
        return [c for c in self.categories if key in {a.key for a in self.ancestors(c.key)}]

    def in_order(self, keys: Iterable[str]) -> list[Category]:
        """The categories of `keys` in the platform's order (unknown keys refused)."""
        return sorted((self[k] for k in set(keys)), key=lambda c: self._order[c.key])

    def key_of(self, category_id: int) -> str:
        """The key of a database id."""
        for key, known in self.ids.items():
            if known == category_id:
                return key
        raise InvalidInput("record.bad_category", id=category_id)


# --- the database ---------------------------------------------------------------------


@dataclass(frozen=True)
class SyncReport:
    """What a sync changed, by key."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    retired: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether the database was written."""
        return bool(self.added or self.updated or self.retired)


def _values(c: Category, sort: int, parent_id: int | None) -> dict[str, Any]:
    return {
        "platform_code": c.code,
        "name_zh": c.name_zh,
        "name_en": c.name_en,
        "parent_id": parent_id,
        "rule": c.rule,
        "sort": sort,
        "active": True,
    }


async def sync(
    session: AsyncSession, tree: Tree, now: datetime, *, source: str = "result_codes.toml"
) -> SyncReport:
    """Make `result_categories` match the tree; one SELECT and no write when it already does.

    Categories are matched by key. A key the file leaves out is retired (active = False),
    never deleted: published records link to it.
    """
    rows = {r.code: r for r in (await session.scalars(select(ResultCategory))).all()}
    # Explicit ids: the seeding migrations wrote ids by hand, so a PostgreSQL sequence
    # may still stand at 1.
    next_id = max((r.id for r in rows.values()), default=0) + 1
    added: list[str] = []
    for sort, c in enumerate(tree.categories, start=1):
        if c.key not in rows:
            row = ResultCategory(id=next_id, code=c.key, **_values(c, sort, None))
            session.add(row)
            rows[c.key], next_id = row, next_id + 1
            added.append(c.key)
    if added:
        await session.flush()  # parents exist before any row points at them
    updated: list[str] = []
    for sort, c in enumerate(tree.categories, start=1):
        row = rows[c.key]
        wanted = _values(c, sort, None if c.parent is None else rows[c.parent].id)
        if any(getattr(row, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(row, name, value)
            if c.key not in added:
                updated.append(c.key)
    retired = sorted(k for k, r in rows.items() if k not in tree and r.active)
    for key in retired:
        rows[key].active = False
    report = SyncReport(tuple(added), tuple(updated), tuple(retired))
    if report.changed:
        await audit.record(
            session,
            at=now,
            actor=SYSTEM_REF,
            action="codes.sync",
            object_type="result_categories",
            after={
                "source": source,
                "added": list(added),
                "updated": list(updated),
                "retired": list(retired),
            },
        )
    return report


async def tree_from_db(session: AsyncSession) -> Tree:
    """The tree as the database holds it (retired categories included, marked inactive)."""
    rows = (await session.scalars(select(ResultCategory).order_by(ResultCategory.sort))).all()
    key_of = {r.id: r.code for r in rows}
    categories = tuple(
        Category(
            key=r.code,
            code=r.platform_code or r.code,
            name_zh=r.name_zh,
            name_en=r.name_en,
            parent=None if r.parent_id is None else key_of.get(r.parent_id),
            rule=r.rule,
            active=r.active,
        )
        for r in rows
    )
    return Tree(categories, {r.code: r.id for r in rows})


# --- the rules ------------------------------------------------------------------------


def _labels(categories: Iterable[Category]) -> str:
    return SEP.join(c.label() for c in categories)


def check(selected: Collection[str], tree: Tree, problems: int = 0) -> None:
    """Refuse categories that break a rule of the tree, each rule with its own message.

    未发现问题 (exclusive) stands alone and with no problem recorded; a terminal category
    (注销, 吊销, 撤销, 迁出) carries no check result nor problem; a child category needs
    its parent; retired categories are not chosen anew; at least one is chosen.
    """
    if not selected:
        raise InvalidInput("codes.none_selected")
    chosen = tree.in_order(selected)
    for c in chosen:
        if not c.active:
            raise InvalidInput("codes.retired", category=c.label())
    for c in chosen:
        if c.rule != EXCLUSIVE:
            continue
        others = [o for o in chosen if o.key != c.key]
        if others:
            raise InvalidInput(
                "codes.exclusive_with_others", category=c.label(), others=_labels(others)
            )
        if problems:
            raise InvalidInput("codes.exclusive_with_problems", category=c.label(), n=problems)
    terminal = [c for c in chosen if c.rule == TERMINAL]
    if terminal:
        results = [c for c in chosen if c.rule != TERMINAL]
        if results:
            raise InvalidInput(
                "codes.terminal_with_result", category=terminal[0].label(), others=_labels(results)
            )
        if problems:
            raise InvalidInput(
                "codes.terminal_with_problems", category=terminal[0].label(), n=problems
            )
    for c in chosen:
        if c.parent is not None and c.parent not in selected:
            raise InvalidInput(
                "codes.child_without_parent", category=c.label(), parent=tree[c.parent].label()
            )


def with_ancestors(key: str, tree: Tree) -> list[str]:
    """Choosing a category chooses its parent and grandparent too: root first, `key` last."""
    return [a.key for a in reversed(tree.ancestors(key))] + [key]


def blocked_removal(key: str, selected: Collection[str], tree: Tree) -> str | None:
    """The chosen child that keeps `key` from being removed, or None when it may go."""
    for child in tree.descendants(key):
        if child.key in selected:
            return child.key
    return None


def check_removal(key: str, selected: Collection[str], tree: Tree) -> None:
    """Refuse to remove a parent while one of its children is chosen."""
    child = blocked_removal(key, selected, tree)
    if child is not None:
        raise InvalidInput(
            "codes.parent_has_child", category=tree[key].label(), child=tree[child].label()
        )


def toggled(selected: Collection[str], key: str, on: bool, tree: Tree) -> frozenset[str]:
    """The selection after choosing (with its ancestors) or removing one category."""
    if on:
        return frozenset(selected) | set(with_ancestors(key, tree))
    tree[key]  # an unknown key is refused, not ignored
    check_removal(key, selected, tree)
    return frozenset(selected) - {key}
