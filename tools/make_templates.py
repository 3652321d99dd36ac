#!/usr/bin/env python3
"""Write JointCheck's default Word templates (templates/documents/*.docx) with python-docx.

    python tools/make_templates.py [FOLDER]

The templates are committed; this script makes them reproducible. Each holds docxtpl
(Jinja) tags over the values the services put in (services/documents/*: the same values
the PDF templates, *.typ, read). A district edits its own copy in Word, keeping the tags,
and puts it in TEMPLATES_DIR (or DATA_DIR/templates) under the same name.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from docx.document import Document as Docx
from docx.enum.text import WD_ALIGN_PARAGRAPH

# Run as a script: this folder is on the path.
from docx_parts import (
    BODY_FONT,
    centred,
    fields,
    loop,
    new_document,
    para,
    signed_off,
    styled,
    table,
    verify_line,
)

OUT = Path(__file__).resolve().parent.parent / "templates" / "documents"


def notice(doc: Docx) -> None:
    centred(doc, "{{ department }}", 15)
    centred(doc, "{{ title }}", 21)
    centred(doc, "{{ number }}", 12, BODY_FONT)
    para(
        doc,
        "{{ enterprise.name }}（统一社会信用代码：{{ enterprise.credit_code }}）：",
        indent=False,
    )
    para(doc, "{{ intro }}")
    para(doc, "", indent=False, bold_lead="一、抽查事项及依据")
    table(
        doc,
        ["事项编码", "抽查事项", "抽查依据"],
        ["{{ it.code }}", "{{ it.name }}", "{{ it.basis }}"],
        "it",
        "items",
    )
    para(doc, "{{ window }}", indent=False, bold_lead="二、检查时间：")
    loop(doc, "三、请准备的材料", "{{ loop.index }}. {{ m }}", "m", "materials")
    para(doc, "", indent=False, bold_lead="四、检查人员")
    table(
        doc,
        ["姓名", "执法证号", "所在部门", "身份"],
        ["{{ p.name }}", "{{ p.cert_no }}", "{{ p.department }}", "{{ p.role }}"],
        "p",
        "team",
    )
    para(
        doc,
        "{{ contact.name }}　联系电话：{{ contact.phone }}",
        indent=False,
        bold_lead="五、联系人：",
    )
    para(doc, "{{ closing }}")
    signed_off(doc)
    verify_line(doc, "本通知书")


def onsite(doc: Docx) -> None:
    centred(doc, "{{ department }}", 15)
    centred(doc, "{{ title }}", 20)
    centred(doc, "编号：{{ number }}　{{ plan }}", 12, BODY_FONT)
    fields(
        doc,
        [
            ("被检查单位", "{{ enterprise.name }}"),
            ("统一社会信用代码", "{{ enterprise.credit_code }}"),
            ("法定代表人", "{{ enterprise.legal_rep }}"),
            ("检查地点", "{{ place }}"),
            ("检查时间", "{{ started_at }} 至 {{ ended_at }}"),
            ("出示执法证件", "{{ certificates_shown }}"),
            ("告知申请回避权利", "{{ recusal_explained }}"),
            ("是否申请回避", "{{ recusal_answer }}"),
            (
                "在场人员",
                "{% for a in attendees %}{{ a.name }}（{{ a.post }}）{% if not loop.last %}、"
                "{% endif %}{% endfor %}",
            ),
        ],
    )
    table(
        doc,
        ["检查人员", "执法证号", "所在部门"],
        ["{{ p.name }}", "{{ p.cert_no }}", "{{ p.department }}"],
        "p",
        "team",
    )
    para(doc, "", indent=False, bold_lead="一、检查情况")
    table(
        doc,
        ["部门", "检查事项", "检查内容", "结果", "说明"],
        ["{{ c.department }}", "{{ c.item }}", "{{ c.content }}", "{{ c.answer }}", "{{ c.note }}"],
        "c",
        "points",
    )
    loop(doc, "", "{{ part.department }}：{{ part.summary }}", "part", "parts")
    para(doc, "", indent=False, bold_lead="二、发现的问题")
    table(
        doc,
        ["检查事项", "问题", "依据"],
        ["{{ q.item }}", "{{ q.description }}", "{{ q.basis }}"],
        "q",
        "problems",
    )
    loop(doc, "三、处理措施", "{{ loop.index }}. {{ m }}", "m", "measures")
    para(doc, "", indent=False, bold_lead="四、签字")
    table(
        doc,
        ["身份", "姓名", "签名", "时间"],
        [
            "{{ s.role }}",
            "{{ s.signer }}",
            "{% if s.image %}{{ s.image }}{% elif s.refused %}{{ refused_word }}：{{ s.reason }}"
            "{% endif %}",
            "{{ s.signed_at }}",
        ],
        "s",
        "signatures",
    )
    signed_off(doc)
    verify_line(doc, "本笔录")


def order(doc: Docx) -> None:
    centred(doc, "{{ department }}", 16)
    centred(doc, "{{ title }}", 22)
    para(doc, "{{ number }}", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(doc, "{{ enterprise.name }}", indent=False, bold_lead="当事人：")
    para(doc, "{{ enterprise.credit_code }}", indent=False, bold_lead="统一社会信用代码：")
    para(doc, "{{ enterprise.address }}", indent=False, bold_lead="住所（经营场所）：")
    para(doc, "{{ enterprise.legal_rep }}", indent=False, bold_lead="法定代表人（负责人）：")
    para(doc, "{{ intro }}")
    loop(doc, "", "{{ loop.index }}. {{ fact }}", "fact", "facts")
    para(doc, "上述行为违反了{{ basis | join('、') }}的规定。")
    loop(doc, "改正内容：", "{{ loop.index }}. {{ item }}", "item", "correct")
    para(doc, "{{ demand }}")
    para(doc, "{{ objection }}")
    signed_off(doc)
    p = doc.add_paragraph()
    styled(p.add_run("本文书一式两份，一份送达当事人，一份归档。"), BODY_FONT, 8)
    verify_line(doc, "本通知书是否由本机关出具")


def service(doc: Docx) -> None:
    centred(doc, "{{ department }}", 16)
    centred(doc, "{{ title }}", 22)
    fields(
        doc,
        [
            ("送达文书名称及文号", "{{ served }}"),
            ("受送达人", "{{ addressee }}"),
            ("送达地点", "{{ address }}"),
            ("送达方式", "{{ method }}"),
            ("送达时间", "{{ served_on }}"),
            (
                "送达人",
                "{% for p in servers %}{{ p.name }}（{{ p.cert_no }}）{% if not loop.last %}、"
                "{% endif %}{% endfor %}",
            ),
            (
                "受送达人签名或盖章",
                "{% if recipient.image %}{{ recipient.image }} {{ recipient.name }} "
                "{{ recipient.signed_at }}{% elif recipient.refused %}{{ refused_word }}"
                "（{{ recipient.reason }}） {{ recipient.signed_at }}{% endif %}",
            ),
            ("备注", ""),
        ],
    )
    signed_off(doc)
    verify_line(doc, "")


def annual(doc: Docx) -> None:
    centred(doc, "{{ title }}", 18)
    centred(doc, "{{ department }}　{{ period }}", 11, BODY_FONT)
    para(doc, "{{ paragraph }}")
    para(doc, "", indent=False, bold_lead="一、各部门完成情况")
    table(
        doc,
        ["部门", "抽取", "已检查", "已公示", "问题", "完成率"],
        [
            "{{ r.name }}",
            "{{ r.drawn }}",
            "{{ r.checked }}",
            "{{ r.published }}",
            "{{ r.problems }}",
            "{{ r.completion }}",
        ],
        "r",
        "departments",
    )
    doc.add_paragraph().add_run("{{ chart.image }}")
    para(doc, "", indent=False, bold_lead="二、分月情况")
    table(
        doc,
        ["月份", "联席会议", "检查企业", "发现问题", "责令整改", "立案查处"],
        [
            "{{ m.month }}",
            "{{ m.meetings }}",
            "{{ m.enterprises }}",
            "{{ m.problems }}",
            "{{ m.notices }}",
            "{{ m.cases }}",
        ],
        "m",
        "months",
    )
    para(doc, "（年度计划文号：{{ documents }}）", indent=False, bold_lead="三、抽查计划及完成情况")
    table(
        doc,
        ["计划编号", "计划名称", "检查时间", "抽取", "已检查", "完成率"],
        [
            "{{ p.number }}",
            "{{ p.name }}",
            "{{ p.window }}",
            "{{ p.drawn }}",
            "{{ p.checked }}",
            "{{ p.completion }}",
        ],
        "p",
        "plans",
    )
    signed_off(doc)
    verify_line(doc, "本报告")


KINDS: dict[str, Callable[[Docx], None]] = {
    "notice": notice,
    "onsite": onsite,
    "order": order,
    "service": service,
    "annual": annual,
}


def main(argv: list[str]) -> int:
    """Write every kind's template into the folder (default: templates/documents)."""
    out = Path(argv[0]) if argv else OUT
    out.mkdir(parents=True, exist_ok=True)
    for kind, build in KINDS.items():
        doc = new_document()
        build(doc)
        props = doc.core_properties
        props.title, props.author, props.revision = kind, "JointCheck", 1
        props.created = props.modified = datetime(2026, 1, 1, tzinfo=UTC)
        path = out / f"{kind}.docx"
        doc.save(str(path))
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
