"""Walking the check points in /record: answers saved one by one, a 不符合 opening its
problem, "本事项全部符合", notes, proposed categories, refusals that change nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.app import App
from handlers.core.db import unit_of_work
from handlers.core.model import Incoming
from models import (
    AuditEntry,
    ChecklistAnswer,
    CheckPoint,
    EvidenceFile,
    InspectionResult,
    Item,
    Problem,
    ResultCategory,
    ResultCategoryLink,
)
from services.common.clock import local_today
from services.records import checklist, checkpoints
from services.records.checkpoints import ItemSheet, PointView
from tests import fieldcheck_fixture as ff
from tests import records_fixture as rf
from tests.helpers import console_account, row_counts, say, texts


async def _answers(app: App) -> dict[int, tuple[str, str | None, int | None]]:
    async with unit_of_work(app.sessions, write=False) as session:
        rows = await session.scalars(select(ChecklistAnswer))
        return {a.check_point_id: (a.answer, a.note, a.problem_id) for a in rows}


async def _count(app: App, model: type) -> int:
    async with unit_of_work(app.sessions, write=False) as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


async def _audits(app: App, action: str) -> int:
    async with unit_of_work(app.sessions, write=False) as session:
        stmt = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
        return await session.scalar(stmt) or 0


async def _at_points(app: App) -> tuple[str, rf.Team, dict[str, int]]:
    """An inspector who opened the record, skipped the start and is at the first item."""
    _, mine, _ = await ff.ready(app)
    login = mine.logins[0]
    started = await rf.press(app, login, f"rec:{mine.assignment_id}")
    assert "开始检查" in texts(started) and "f:record:vgo" in rf.buttons(started)
    walk = await rf.press(app, login, "f:record:vskip")
    assert "检查要点 · 事项 1/2：I2" in texts(walk)
    return login, mine, await ff.point_ids(app)


def _ck(point: int, code: str) -> str:
    return f"f:record:ck:{point}:{code}"


async def test_points_are_answered_one_by_one_and_a_nonconform_opens_its_problem(
    app: App,
) -> None:
    login, _mine, ids = await _at_points(app)
    first = await rf.press(app, login, _ck(ids["I2-1"], "c"))
    assert "第 1 项：符合" in texts(first) and "▶2.【未答】" in texts(first)
    assert _ck(ids["I2-2"], "n") in rf.buttons(first)  # the next open point
    noted = await say(app, login, "许可证在有效期内")
    assert "第 1 项的备注已保存" in texts(noted)
    opened = await rf.press(app, login, _ck(ids["I2-2"], "n"))
    assert "已生成问题" in texts(opened) and "请发送" in texts(opened)
    assert "已保存" in texts(await rf.upload(app, login, rf.png(5)))
    back = await rf.press(app, login, "f:record:pdone")
    assert "检查要点 · 事项 1/2" in texts(back)
    # A note typed after the 不符合 says what was found, on the answer and in its problem.
    await say(app, login, "许可证放在抽屉里")
    await rf.press(app, login, _ck(ids["I2-3"], "a"))
    answers = await _answers(app)
    assert answers[ids["I2-1"]] == ("conform", "许可证在有效期内", None)
    assert answers[ids["I2-3"]][0] == "not_applicable"
    problem_id = answers[ids["I2-2"]][2]
    async with unit_of_work(app.sessions, write=False) as session:
        problem = await session.get(Problem, problem_id)
        assert problem is not None
        item = await session.get(Item, problem.item_id)
    assert item is not None and item.code == "I2"
    assert problem.description == (
        "不符合检查要点 I2-2：许可证是否在经营场所显著位置悬挂。现场情况：许可证放在抽屉里"
    )
    assert problem.legal_basis == "《食品安全法》第三十五条"  # the point has none: the item's
    assert await _audits(app, "checklist.answer") == 3
    assert await _audits(app, "checklist.note") == 2


async def test_the_same_answer_twice_changes_nothing(app: App) -> None:
    login, _mine, ids = await _at_points(app)
    await rf.press(app, login, _ck(ids["I2-1"], "c"), update_key="u1")
    await rf.press(app, login, _ck(ids["I2-1"], "c"), update_key="u1")  # redelivered
    await rf.press(app, login, _ck(ids["I2-1"], "c"))  # pressed again
    assert await _audits(app, "checklist.answer") == 1
    await rf.press(app, login, _ck(ids["I2-1"], "u"))  # changed: updated in place
    assert (await _answers(app))[ids["I2-1"]][0] == "unchecked"
    assert await _count(app, ChecklistAnswer) == 1


async def test_changing_a_nonconform_removes_its_untouched_problem_and_keeps_one_with_evidence(
    app: App,
) -> None:
    login, _mine, ids = await _at_points(app)
    await rf.press(app, login, _ck(ids["I2-1"], "n"))
    await rf.press(app, login, "f:record:pdone")
    changed = await rf.press(app, login, _ck(ids["I2-1"], "c"))
    assert "已一并删除" in texts(changed)
    assert await _count(app, Problem) == 0
    await rf.press(app, login, _ck(ids["I2-2"], "n"))
    await rf.upload(app, login, rf.png(7))
    await rf.press(app, login, "f:record:pdone")
    kept = await rf.press(app, login, _ck(ids["I2-2"], "a"))
    assert "予以保留" in texts(kept) and "删除条目" in texts(kept)
    assert await _count(app, Problem) == 1 and await _count(app, EvidenceFile) == 1
    assert (await _answers(app))[ids["I2-2"]] == ("not_applicable", None, None)
    # The problem kept is removed on the card like any other; the answer stays.
    await rf.press(app, login, "f:record:hub")
    await rf.press(app, login, "f:record:remove")
    async with unit_of_work(app.sessions, write=False) as session:
        problem_id = await session.scalar(select(Problem.id))
    await rf.press(app, login, f"f:record:del:p:{problem_id}")
    assert await _count(app, Problem) == 0


async def test_all_conform_answers_the_rest_of_one_item(app: App) -> None:
    login, _mine, ids = await _at_points(app)
    await rf.press(app, login, _ck(ids["I2-2"], "u"))
    done = await rf.press(app, login, "f:record:call:" + str(await _item_id(app, "I2")))
    assert "2 个未答的检查要点已记为符合" in texts(done)
    answers = await _answers(app)
    assert [answers[ids[f"I2-{n}"]][0] for n in (1, 2, 3)] == ["conform", "unchecked", "conform"]
    assert ids["I3-1"] not in answers
    assert await _audits(app, "checklist.all_conform") == 1


async def _item_id(app: App, code: str) -> int:
    async with unit_of_work(app.sessions, write=False) as session:
        found = await session.scalar(select(Item.id).where(Item.code == code))
    assert found is not None
    return found


async def test_a_point_of_another_item_or_part_is_refused_and_nothing_changes(app: App) -> None:
    login, _mine, ids = await _at_points(app)
    before = await row_counts(app)
    other_item = await rf.press(app, login, _ck(ids["I3-1"], "c"))  # I2 is on screen
    assert "不是当前显示的事项" in texts(other_item) and "I3" in texts(other_item)
    # A point of an item this check does not cover (I1, the restaurants').
    async with unit_of_work(app.sessions) as session:
        i1 = await session.scalar(select(Item.id).where(Item.code == "I1"))
        point = CheckPoint(item_id=i1, seq=1, content="后厨生熟分开", method=None, basis=None)
        session.add(point)
    before = await row_counts(app)
    foreign = await rf.press(app, login, _ck(point.id, "n"))
    assert "不属于本部门在该企业检查的事项" in texts(foreign)
    bad = await rf.press(app, login, f"f:record:ck:{ids['I2-1']}:x")
    assert "按钮已失效" in texts(bad)
    assert await row_counts(app) == before


async def test_finishing_pre_selects_the_proposed_categories_and_the_card_shows_the_answers(
    app: App,
) -> None:
    login, mine, ids = await _at_points(app)
    await rf.press(app, login, _ck(ids["I2-1"], "c"))
    await rf.press(app, login, _ck(ids["I2-2"], "n"))
    await rf.press(app, login, "f:record:pdone")
    await rf.press(app, login, _ck(ids["I2-3"], "c"))
    await rf.press(app, login, f"f:record:ci:{await _item_id(app, 'I3')}")
    cats = await rf.press(app, login, "f:record:cldone")
    assert "还有 2 个检查要点未作答" in texts(cats)
    assert "已按检查要点的结果预选结果类别：A 发现问题待后续处理、3 违反食品药品" in texts(cats)
    assert "☑ A 发现问题待后续处理" in [b.label for r in cats for row in r.buttons for b in row]
    async with unit_of_work(app.sessions, write=False) as session:
        chosen = set(
            (
                await session.scalars(
                    select(ResultCategory.code).join(
                        ResultCategoryLink, ResultCategoryLink.category_id == ResultCategory.id
                    )
                )
            ).all()
        )
    assert chosen == {"pending_follow_up", "food_drug_rules"}
    await rf.press(app, login, "f:record:cdone")
    await rf.press(app, login, "f:record:pnone")
    card = texts(await rf.press(app, login, "f:record:hub"))
    assert "检查要点：" in card
    assert "I2 食品经营许可及经营行为检查：符合 2，不符合 1，未检查 0，合理缺项 0，未答 0" in card
    assert "I3 进货查验记录制度检查：符合 0，不符合 0，未检查 0，合理缺项 0，未答 2" in card
    assert "⚠ 未记录检查开始时间、结束时间" in card
    # Leaving and coming back: the card offers the check points, which resume at I3.
    await rf.press(app, login, "f:record:leave")
    back = await say(app, login, f"/record {mine.assignment_id}")
    assert "f:record:cl" in rf.buttons(back)
    again = await rf.press(app, login, "f:record:cl")
    assert "事项 2/2：I3" in texts(again)


def _sheet(department: str, *answers: str | None) -> ItemSheet:
    points = tuple(
        PointView(n, n, f"要点{n}", None, None, answer) for n, answer in enumerate(answers)
    )
    return ItemSheet(1, "I9", "食品经营检查", department, None, points)


def test_proposed_categories_follow_the_answers() -> None:
    market, health = "乐都区市场监督管理局", "乐都区卫生健康局"
    propose = checklist.proposed_categories
    assert propose([]) == [] and propose([_sheet(market, None, None)]) == []
    assert propose([_sheet(market, "conform", "not_applicable", None)]) == ["no_problem"]
    # A point left unchecked: not "no problem", and nothing found either.
    assert propose([_sheet(market, "conform", "unchecked")]) == []
    assert propose([_sheet(market, "conform", "nonconform")]) == [
        "pending_follow_up",
        "food_drug_rules",
    ]
    assert propose([_sheet(health, "nonconform")]) == ["pending_follow_up", "other_department_rule"]
    assert checklist.category_for("计量器具检查", market) == "quality_rules"
    assert checklist.category_for("广告发布检查", market) == "other_market_rule"


async def test_a_department_without_points_records_as_before(app: App) -> None:
    """A restaurant checked under I1 (X with Y): X's part walks I1's points, Y's has none."""
    today = local_today(app.clock)
    await rf.build(app, today)
    async with unit_of_work(app.sessions) as session:
        i1 = await session.scalar(select(Item.id).where(Item.code == "I1"))
        session.add(CheckPoint(item_id=i1, seq=1, content="生熟分开存放", method=None, basis=None))
    plan_id = await rf.drawn_plan(app, today, items=["I1"])
    (team,) = await rf.teams(app, plan_id)
    by_department = {rf.INSPECTORS[login][0]: login for login in team.logins}
    for login in team.logins:
        await console_account(app, login)
    x_start = await rf.press(app, by_department["X"], f"rec:{team.assignment_id}")
    assert "f:record:vgo" in rf.buttons(x_start)
    y_start = await rf.press(app, by_department["Y"], f"rec:{team.assignment_id}")
    assert "请选择检查结果类别" in texts(y_start)  # no points: the categories, as before
    assert "f:record:vstart" in rf.buttons(y_start)  # with 开始检查 at hand
    async with unit_of_work(app.sessions, write=False) as session:
        parts = {
            r.department_id: r.id for r in (await session.scalars(select(InspectionResult))).all()
        }
        sheets = {d: await checkpoints.sheet(session, rid) for d, rid in parts.items()}
    assert sorted(len(s) for s in sheets.values()) == [0, 1]


async def test_a_location_sent_at_another_step_is_refused(app: App) -> None:
    login, _mine, _ids = await _at_points(app)
    before = await row_counts(app)
    located = await app.core.handle(Incoming("console", login, login, location=(36.48, 102.40)))
    assert "现在不需要位置" in texts(located)
    assert await row_counts(app) == before
