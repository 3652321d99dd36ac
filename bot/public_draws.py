"""HTML of the public plans and draws: /plans, /plans/ID and /draws/ID.

What a draw published, in order: at the freeze its parameters, commitment and hashes; at
the draw its seed, salt and the drawn enterprises (name and credit code); afterwards its
amendments and a void. No team, certificate, recusal or risk class is ever given here.
"""

from __future__ import annotations

from bot.public_render import e, layout, or_dash, pager, percent, table
from services.common.clock import local_text
from services.draw.public import DrawnEnterprise, DrawPage, DrawSummary, Event, PublicPlan

STATUS = {"frozen": "已冻结，待抽取", "final": "已抽取", "voided": "已作废"}
VERIFY_SCRIPT = "/static/verify-draw.js"


def _status(summary: DrawSummary) -> str:
    label = STATUS.get(summary.status, summary.status)
    return f'<span class="status {e(summary.status)}">{e(label)}</span>'


def _hash(value: str | None) -> str:
    return "-" if not value else f'<span class="hash">{e(value)}</span>'


def _salt(value: str | None) -> str:
    return "（无）" if value == "" else _hash(value)


def draw_facts(d: DrawSummary) -> str:
    """The published facts of a draw as a definition list."""
    p = d.params
    ratios = "、".join(f"{e(c)} 类 {e(percent(r))}" for c, r in sorted(p.ratios.items()))
    rows = [
        ("状态", _status(d)),
        ("检查期间", f"{p.check_start.isoformat()} 至 {p.check_end.isoformat()}"),
        ("按信用分类的抽查比例", ratios),
        ("抽取户数下限 / 上限", f"{p.min_count} / {or_dash(p.max_count)}"),
        ("每组执法人员", f"{p.team_size} 人（另配专家 {p.experts_per_team} 人）"),
        ("每人最多参加", f"{p.load_cap} 组"),
        ("算法版本", str(d.algorithm)),
        ("冻结时间", f"{e(local_text(d.frozen_at))}（北京时间）"),
        ("随机种子承诺值", _hash(d.commitment)),
    ]
    if d.input_hash:
        rows.append(("输入哈希", _hash(d.input_hash)))
    rows += [
        ("企业名单哈希", _hash(d.enterprise_snapshot)),
        ("人员名单哈希", _hash(d.inspector_snapshot)),
        ("符合条件的企业", f"{d.population} 户，按比例抽取 {d.planned} 户"),
    ]
    if d.drawn_at is not None:
        rows += [
            ("抽取时间", f"{e(local_text(d.drawn_at))}（北京时间）"),
            ("随机种子", _hash(d.seed)),
            ("公开盐值", _salt(d.salt)),
            ("抽中企业", f"{d.drawn} 户"),
            ("抽取后变更", f"{d.amendments} 次"),
        ]
    if d.voided_at is not None:
        rows += [
            ("作废时间", f"{e(local_text(d.voided_at))}（北京时间）"),
            ("作废原因", or_dash(d.void_reason)),
        ]
    return "<dl>" + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"


def _scope(plan: PublicPlan) -> str:
    rows = [("抽查事项", "、".join(plan.items) or "-")]
    if plan.districts:
        rows.append(("区域", "、".join(plan.districts)))
    if plan.industries:
        rows.append(("行业", "、".join(plan.industries)))
    if plan.object_types:
        rows.append(("对象类型", "、".join(plan.object_types)))
    rows.append(("近期已查不再抽取", f"{plan.recent_window_days} 天内"))
    return "<dl>" + "".join(f"<dt>{k}</dt><dd>{e(v)}</dd>" for k, v in rows) + "</dl>"


def plan_card(plan: PublicPlan, heading: str = "h2") -> str:
    """A plan with each of its draws (newest first)."""
    draws = "".join(
        f'<h3><a href="/draws/{d.id}">抽取 #{d.id}</a></h3>{draw_facts(d)}' for d in plan.draws
    )
    return f"""<section class="card">
<{heading}><a href="/plans/{plan.id}">{e(plan.name)}</a></{heading}>
{_scope(plan)}
{draws}
</section>"""


NOTE = """<p class="note">每次抽取先冻结符合条件的企业和执法人员名单，
并公布随机种子的承诺值（SHA-256）；抽取后公布种子和盐值，任何人都可以据此重新计算抽取结果。时间为北京时间。</p>"""


def plans_page(plans: list[PublicPlan], page: int, pages: int, total: int) -> str:
    """The plans once frozen, newest first."""
    cards = "\n".join(plan_card(p) for p in plans) or "<p>暂无已冻结的抽查计划。</p>"
    body = f"""{NOTE}
<p class="note">共 {total} 个计划，第 {page}/{pages} 页。</p>
{cards}
{pager("/plans", page, pages)}"""
    return layout("抽查计划与随机抽取", body, "plans")


def enterprises_table(enterprises: list[DrawnEnterprise]) -> str:
    """The drawn enterprises in rank order, a cancelled check marked."""
    if not enterprises:
        return "<p>本次抽取没有抽中企业。</p>"
    rows = [
        [
            str(x.position),
            e(x.name),
            e(x.credit_code),
            '<span class="status cancelled">已取消检查</span>' if x.cancelled else "抽中",
        ]
        for x in enterprises
    ]
    return table(("序号", "企业名称", "统一社会信用代码", "状态"), rows)


def plan_page(plan: PublicPlan, drawn: dict[int, list[DrawnEnterprise]]) -> str:
    """One plan with its draws and, for each drawn one, the enterprises drawn."""
    lists = "".join(
        f"<h2>抽取 #{d.id} 抽中的企业</h2>{enterprises_table(drawn.get(d.id, []))}"
        for d in plan.draws
        if d.drawn_at is not None
    )
    return layout(plan.name, f"{NOTE}\n{plan_card(plan)}\n{lists}", "plans")


def _who(event: Event) -> str:
    return "、".join(f"{e(n)}（{e(c)}）" if n else e(c) for n, c in event.enterprises)


def _event_text(ev: Event) -> str:
    amendment = f"第 {ev.seq} 次变更：" if ev.seq is not None else ""
    if ev.kind == "freeze":
        return f"冻结名单，公布随机种子承诺值 {_hash(ev.commitment)}"
    if ev.kind == "draw":
        return f"抽取：公布随机种子 {_hash(ev.seed)}，盐值 {_salt(ev.salt)}"
    if ev.kind == "cancel":
        return f"{amendment}取消对 {_who(ev)} 的检查"
    if ev.kind == "substitution":
        return f"{amendment}按公布的排序替补 {_who(ev)} 检查组的一名成员"
    if ev.kind == "supplement_frozen":
        return f"补充抽取检查人员：冻结名单，公布承诺值 {_hash(ev.commitment)}"
    if ev.kind == "supplement":
        filled = _who(ev) or "无"
        return (
            f"{amendment}补充抽取检查人员，补足检查组：{filled}；"
            f"随机种子 {_hash(ev.seed)}，盐值 {_salt(ev.salt)}"
        )
    return f"本次抽取作废。原因：{or_dash(ev.reason)}"


def timeline(events: list[Event]) -> str:
    """Freeze, draw, amendments and void, in time order."""
    items = "".join(
        f'<li><time datetime="{e(ev.at.isoformat())}">{e(local_text(ev.at))}</time> '
        f"{_event_text(ev)}</li>"
        for ev in events
    )
    return f'<ol class="timeline">{items}</ol>'


def _verifier(d: DrawSummary) -> str:
    # The contract of bot/static/verify-draw.js: these ids, the record's address, and the
    # values announced at the freeze, which the record fetched must carry.
    draw_id, record = d.id, f"/draws/{d.id}/record.json"
    announced = f' data-commitment="{e(d.commitment)}"'
    if d.input_hash:
        announced += f' data-input-hash="{e(d.input_hash)}"'
    return f"""<section class="card" aria-labelledby="verify-title">
<h2 id="verify-title">验证抽取结果</h2>
<p class="note">抽取记录包含重新计算所需的全部输入。可以在浏览器中按公布的算法重新计算，
也可以下载记录后用独立的验证程序复核。</p>
<p><a href="{record}" download="draw-{draw_id}-record.json">下载抽取记录（JSON）</a></p>
<button id="verify-draw" data-record-url="{record}"{announced}>在浏览器中验证</button>
<label for="verify-file">或选择已下载的抽取记录文件</label>
<input type="file" id="verify-file" accept="application/json">
<output id="verify-result"></output>
</section>
<script src="{VERIFY_SCRIPT}" defer></script>"""


def draw_page(view: DrawPage) -> str:
    """The announcement of a draw, its timeline, the drawn enterprises and the record."""
    d, plan = view.draw, view.plan
    parts = []
    if d.status == "voided":
        parts.append(f'<p class="alert">本次抽取已作废。原因：{or_dash(d.void_reason)}</p>')
    if d.drawn_at is None:
        announcement = (
            f"抽查计划“{e(plan.name)}”已于 {e(local_text(d.frozen_at))} 冻结名单，"
            "随机种子的承诺值如下；抽取后公布种子、盐值和抽中的企业。"
        )
    else:
        announcement = (
            f"抽查计划“{e(plan.name)}”于 {e(local_text(d.drawn_at))} 完成随机抽取，"
            f"抽中 {d.drawn} 户企业，检查期间 {d.params.check_start.isoformat()} 至 "
            f"{d.params.check_end.isoformat()}。"
        )
    parts += [
        f"<p>{announcement}</p>",
        f'<p><a href="/plans/{plan.id}">查看抽查计划</a></p>',
        f'<section class="card"><h2>公示信息</h2>{draw_facts(d)}</section>',
        f"<h2>过程</h2>{timeline(view.timeline)}",
    ]
    if d.drawn_at is not None:
        parts += [f"<h2>抽中的企业</h2>{enterprises_table(view.enterprises)}", _verifier(d)]
    return layout(f"抽取公示 #{d.id} · {plan.name}", "\n".join(parts), "plans")
