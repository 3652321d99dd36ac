"""How the draw's figures read in chat: preview, result, announcements."""

from __future__ import annotations

from fractions import Fraction

from handlers.core.router import Ctx
from models import Draw, Plan
from services.draw.cancel import Losses
from services.draw.freeze import Preview
from services.draw.run import TeamView
from services.draw.supplement import Formed

RISK_ORDER = ("D", "C", "B", "A")  # highest risk first, as a preview is read
# Where a check stands, in the order a void's confirmation lists them.
STATE_ORDER = ("not_entered", "draft", "unstaffed", "cancelled", "void")


def percent(ratio: str) -> str:
    """An exact ratio string as a percentage: "0.08" -> "8%"."""
    value = Fraction(ratio) * 100
    return f"{value.numerator}%" if value.denominator == 1 else f"{float(value):g}%"


def preview_text(ctx: Ctx, pv: Preview) -> str:
    """The preview: per stratum population, ratio and k; exclusions; officers."""
    plan = pv.plan
    lines = [
        ctx.t(
            "draw.preview_head",
            name=plan.name,
            start=plan.check_start,
            end=plan.check_end,
            team=plan.team_size,
            cap=plan.load_cap,
        )
    ]
    for risk in RISK_ORDER:
        lines.append(
            ctx.t(
                "draw.stratum",
                risk=risk,
                n=pv.populations[risk],
                ratio=percent(plan.ratios[risk]),
                k=pv.ks[risk],
            )
        )
    lines += _reasons(ctx, "draw.excluded_head", pv.enterprise_exclusions)
    lines += _reasons(ctx, "draw.excluded_inspectors_head", pv.inspector_exclusions)
    lines.append(ctx.t("draw.officers_head"))
    for dept, n in pv.officers_by_department.items():
        name = pv.department_names.get(dept, dept)
        lines.append(ctx.t("draw.reason_line", reason=name, n=n))
    lines.append(ctx.t("draw.experts", n=pv.experts))
    lines += [ctx.t(key, **params) for key, params in pv.warnings]
    return "\n".join(lines)


def _reasons(ctx: Ctx, head: str, counts: dict[str, int]) -> list[str]:
    if not counts:
        return []
    return [ctx.t(head)] + [
        ctx.t("draw.reason_line", reason=ctx.t(f"reason.{why}"), n=n)
        for why, n in sorted(counts.items())
    ]


def frozen_params(plan: Plan, draw: Draw) -> dict[str, str]:
    """The values of the freeze notice."""
    return {
        "name": plan.name,
        "enterprise_snapshot": draw.enterprise_snapshot,
        "inspector_snapshot": draw.inspector_snapshot,
        "commitment": draw.commitment,
        # Null only for a draw frozen before input hashes (its notice went out without).
        "input_hash": draw.input_hash or "-",
    }


def frozen_text(ctx: Ctx, plan: Plan, draw: Draw) -> str:
    """The freeze notice with the commitment, both snapshot hashes and the input hash."""
    return ctx.t("draw.frozen", **frozen_params(plan, draw))


def result_lines(ctx: Ctx, draw: Draw, teams: list[TeamView], names: dict[str, str]) -> list[str]:
    """Every drawn enterprise with its team and what it lacks."""
    lines = [ctx.t("draw.result_head", id=draw.id)]
    for view in teams:
        lines += _team_lines(ctx, view, names, experts=True)
    return lines


def _team_lines(ctx: Ctx, view: TeamView, names: dict[str, str], *, experts: bool) -> list[str]:
    """One drawn enterprise with its team (lead and, if asked, experts marked) and gaps."""
    members = []
    for name, _cert, role in view.members:
        mark = ctx.t("draw.expert_mark") if experts and role == "expert" else ""
        if name == view.lead:
            mark += ctx.t("draw.lead_mark")
        members.append(name + mark)
    team = ctx.t("list.sep").join(members) or "-"
    lines = [
        ctx.t(
            "draw.result_line",
            n=view.position,
            enterprise=view.enterprise,
            code=view.credit_code,
            team=team,
        )
    ]
    if not view.members:
        lines.append(ctx.t("draw.unstaffed"))
    if view.shortfalls:
        what = ctx.t("list.sep").join(_shortfall(ctx, s, names) for s in view.shortfalls)
        lines.append(ctx.t("draw.short_line", what=what))
    return lines


def losses_text(ctx: Ctx, losses: Losses, reason: str) -> str:
    """What a void would end, counted by where each check stands, before the confirmation."""
    states = [
        ctx.t("draw.void_state", state=_state(ctx, state), n=losses.states[state])
        for state in sorted(losses.states, key=_state_order)
    ]
    return ctx.t(
        "draw.void_confirm",
        id=losses.draw_id,
        reason=reason,
        states="\n".join(states) or ctx.t("draw.void_nothing"),
    )


def _state_order(state: str) -> int:
    return STATE_ORDER.index(state) if state in STATE_ORDER else len(STATE_ORDER)


def _state(ctx: Ctx, state: str) -> str:
    # A check's own end (no team, cancelled, void), else its record's status.
    prefix = "astatus" if state in ("unstaffed", "cancelled", "void") else "status"
    return ctx.t(f"{prefix}.{state}")


def supplement_lines(
    ctx: Ctx, formed: Formed, teams: list[TeamView], names: dict[str, str]
) -> list[str]:
    """The teams a supplementary draw looked at, as they are now."""
    wanted = {f.code: f for f in formed.teams}
    lines = [ctx.t("supp.result_head", id=formed.draw_id, seq=formed.seq)]
    for view in teams:
        filled = wanted.get(view.credit_code)
        if filled is None:
            continue
        lines += _team_lines(ctx, view, names, experts=False)
    if len(lines) == 1:
        lines.append(ctx.t("supp.nothing_filled"))
    return lines


def _shortfall(ctx: Ctx, code: str, names: dict[str, str]) -> str:
    kind, _, value = code.partition(":")
    return ctx.t(f"short.{kind}", value=names.get(value, value))


def announcement_params(plan: Plan, draw: Draw, teams: list[TeamView]) -> dict[str, str]:
    """The values of the public notice (抽查公告), in the form it is published."""
    return {
        "name": plan.name,
        "start": plan.check_start.isoformat(),
        "end": plan.check_end.isoformat(),
        "seed": draw.seed_hex,
        "salt": draw.salt or "-",
        "count": str(len(teams)),
        "enterprises": "、".join(f"{v.enterprise}（{v.credit_code}）" for v in teams),
        "id": str(draw.id),
    }


def announcement(ctx: Ctx, plan: Plan, draw: Draw, teams: list[TeamView]) -> str:
    """The public notice (抽查公告): what was drawn and how anyone can re-check it."""
    return ctx.t("draw.announcement", **announcement_params(plan, draw, teams))


def chunk(lines: list[str], limit: int = 3500) -> list[str]:
    """Join lines into messages that fit every platform's length limit."""
    out: list[str] = []
    current = ""
    for line in lines:
        if current and len(current) + len(line) + 1 > limit:
            out.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        out.append(current)
    return out
