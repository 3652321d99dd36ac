"""Building blocks of the Word templates (tools/make_templates.py): fonts, lines, loops."""

from __future__ import annotations

from docx import Document
from docx.document import Document as Docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.run import Run

BODY_FONT, TITLE_FONT = "宋体", "黑体"


def styled(run: Run, name: str, size: float | None = None, bold: bool = False) -> None:
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size is not None:
        run.font.size = Pt(size)
    run.bold = bold


def new_document() -> Docx:
    """An A4 document in 宋体, the QR code and its verify code at the top right."""
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = BODY_FONT, Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    corner = doc.add_paragraph()
    corner.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    corner.add_run("{{ qr.image }}")
    code = doc.add_paragraph()
    code.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    styled(code.add_run("验证码 {{ verify_code }}"), BODY_FONT, 8)
    return doc


def centred(doc: Docx, text: str, size: float, font: str = TITLE_FONT) -> None:
    """A centred line (letterhead, title, number)."""
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styled(p.add_run(text), font, size)


def para(
    doc: Docx,
    text: str,
    *,
    indent: bool = True,
    bold_lead: str = "",
    align: WD_ALIGN_PARAGRAPH | None = None,
) -> None:
    """A paragraph, its first line indented two characters; `bold_lead` in 黑体 first."""
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(24)
    if align is not None:
        p.alignment = align
    if bold_lead:
        styled(p.add_run(bold_lead), TITLE_FONT, 12)
    if text:
        p.add_run(text)


def loop(doc: Docx, header: str, body: str, var: str, items: str) -> None:
    """A paragraph repeated for every value of a list (docxtpl's {%p for %})."""
    if header:
        para(doc, "", indent=False, bold_lead=header)
    doc.add_paragraph(f"{{%p for {var} in {items} %}}")
    para(doc, body)
    doc.add_paragraph("{%p endfor %}")


def table(doc: Docx, headers: list[str], cells: list[str], var: str, items: str) -> None:
    """A table with a header row and one row per value (docxtpl's {%tr for %})."""
    grid = doc.add_table(rows=4, cols=len(headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, headers, strict=True):
        styled(cell.paragraphs[0].add_run(text), TITLE_FONT, 11)
    grid.rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for {var} in {items} %}}")
    for cell, text in zip(grid.rows[2].cells, cells, strict=True):
        cell.paragraphs[0].add_run(text)
    grid.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")


def fields(doc: Docx, pairs: list[tuple[str, str]]) -> None:
    """A two-column table of labels and values."""
    grid = doc.add_table(rows=len(pairs), cols=2)
    grid.style = "Table Grid"
    for row, (label, value) in zip(grid.rows, pairs, strict=True):
        styled(row.cells[0].paragraphs[0].add_run(label), TITLE_FONT, 11)
        row.cells[1].paragraphs[0].add_run(value)
        row.cells[0].width, row.cells[1].width = Cm(4.2), Cm(11.8)


def signed_off(doc: Docx) -> None:
    """The issuing department with the seal's place, and the date, on the right."""
    doc.add_paragraph()
    para(doc, "{{ department }}{{ seal_note }}", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(doc, "{{ issued_on }}", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)


def verify_line(doc: Docx, what: str) -> None:
    """The small print that says where to check the document."""
    p = doc.add_paragraph()
    styled(p.add_run(f"可扫描二维码或访问 {{{{ verify_url }}}} 核验{what}。"), BODY_FONT, 8)
