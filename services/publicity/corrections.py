"""Correcting a published part after an objection: republished as a new version (更正).

The content published so far is kept first as a version (`versions.snapshot`); then the
corrected categories (held to the rules a record is submitted with) and, if given, the
corrected summary replace it, `publication` counts one more, `corrected_on` is the day of
the correction, and `published_at` keeps the first publication (see `versions`). A
correction that adds or removes the "unreachable" category opens or drops the
abnormal-operations proposal. Everything is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Objection, Problem, ResultCategory, ResultCategoryLink
from services.accounts.actors import Actor
from services.common.errors import Conflict, InvalidInput
from services.common.policy import ABNORMAL_PROPOSAL_WORKING_DAYS
from services.publicity import abnormal, objections, versions
from services.records import codes, results

MAX_SUMMARY = 2000


async def active_categories(session: AsyncSession) -> list[codes.Category]:
    """The categories a correction may choose, in the platform's order."""
    return [c for c in (await codes.tree_from_db(session)).categories if c.active]


def _lookup(categories: list[codes.Category]) -> dict[str, codes.Category]:
    # A category is named by its key (no_problem) or its platform code (1, A, B ...).
    found: dict[str, codes.Category] = {}
    for c in categories:
        found[c.key.lower()] = c
        found.setdefault(c.code.lower(), c)
    return found


@dataclass(frozen=True)
class Parsed:
    """Category names and an optional summary read from the words of a command."""

    names: list[str]
    summary: str | None


async def parse_words(session: AsyncSession, words: list[str]) -> Parsed:
    """Leading words that name categories, then the summary (the rest, if any)."""
    lookup = _lookup(await active_categories(session))
    names: list[str] = []
    for n, word in enumerate(words):
        if word.strip().lower() not in lookup:
            rest = " ".join(words[n:]).strip()
            return Parsed(names, rest or None)
        names.append(word.strip())
    return Parsed(names, None)


async def chosen_keys(session: AsyncSession, names: list[str], problems: int) -> list[str]:
    """The keys of the named categories with their parents, held to the record's rules."""
    tree = await codes.tree_from_db(session)
    lookup = _lookup([c for c in tree.categories if c.active])
    keys: set[str] = set()
    for name in names:
        category = lookup.get(name.strip().lower())
        if category is None:
            raise InvalidInput("objection.unknown_category", code=name[:40])
        # Choosing a category chooses its parents, as in the record's own questions.
        keys.update(codes.with_ancestors(category.key, tree))
    # The same rules as a record's submission (services.records.results, codes.check).
    await results.check_categories(session, keys, problems)
    return [c.key for c in tree.in_order(keys)]


async def correct(
    session: AsyncSession,
    actor: Actor | None,
    ident: str,
    names: list[str],
    summary: str | None,
    today: date,
    now: datetime,
    *,
    abnormal_days: int = ABNORMAL_PROPOSAL_WORKING_DAYS,
) -> Objection:
    """Decide an objection by correcting the part: republished as a new version."""
    objection, result = await objections.decidable(session, actor, ident)
    if result.status != "published":
        raise Conflict("objection.part_not_published", id=result.id)
    problems = await session.scalar(
        select(func.count()).select_from(Problem).where(Problem.result_id == result.id)
    )
    keys = await chosen_keys(session, names, problems or 0)
    found = await session.scalars(select(ResultCategory).where(ResultCategory.code.in_(keys)))
    chosen = {c.code: c for c in sorted(found.all(), key=lambda c: keys.index(c.code))}
    before = set(
        (
            await session.scalars(
                select(ResultCategory.code)
                .join(ResultCategoryLink, ResultCategoryLink.category_id == ResultCategory.id)
                .where(ResultCategoryLink.result_id == result.id)
            )
        ).all()
    )
    new_summary = None if summary is None else results.clean_text(summary, limit=MAX_SUMMARY)
    if set(chosen) == before and (new_summary is None or new_summary == result.summary):
        raise InvalidInput("objection.nothing_changed")
    kept = await versions.snapshot(session, result, now=now, objection_id=objection.id)
    await session.execute(
        delete(ResultCategoryLink).where(ResultCategoryLink.result_id == result.id)
    )
    session.add_all(
        ResultCategoryLink(result_id=result.id, category_id=c.id) for c in chosen.values()
    )
    old_summary = result.summary
    if new_summary is not None:
        result.summary = new_summary
    result.publication = max(result.publication, 1) + 1
    result.corrected_on = today
    result.version += 1
    await session.flush()
    objection.status = "corrected"
    objection.decision = new_summary or "、".join(c.name_zh for c in chosen.values())
    objection.decided_at, objection.decided_by = now, None if actor is None else actor.user_id
    await results.log_change(
        session,
        actor,
        "result.correct",
        "inspection_result",
        result.id,
        now,
        before={"categories": sorted(before), "summary": old_summary, "version": kept.number},
        after={
            "categories": sorted(chosen),
            "summary": result.summary,
            "publication": result.publication,
            "corrected_on": today.isoformat(),
            "objection": objection.reference,
        },
    )
    await results.log_change(
        session,
        actor,
        "objection.correct",
        "objection",
        objection.id,
        now,
        before={"status": "open"},
        after={"status": "corrected", "result": result.id, "publication": result.publication},
    )
    await abnormal.after_correction(session, result, set(chosen), today, now, days=abnormal_days)
    await objections.tell_decision(session, actor, objection, result, now)
    return objection
