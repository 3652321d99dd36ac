"""Rendering a document's content: Word with docxtpl, PDF with typst, both from templates.

The Word file is the district's `<kind>.docx` filled in by docxtpl (Jinja tags in the
document). The PDF is typeset in-process by typst from `<kind>.typ`, which reads the same
values as JSON (`sys.inputs.data`), with Noto CJK fonts embedded (subset) from the mplfonts
package the weekly chart uses; no office suite is involved. Both carry the QR code of the
verification page (segno) and the short code under it. A value {"image": NAME} shows an
image of the content: in Word an inline picture, in typst a file name in the build folder.
The libraries load when a document is first rendered, not when the bot starts.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from services.common.errors import InvalidInput
from services.documents.content import Content
from services.reports.charts import cjk_font_path

if TYPE_CHECKING:
    import typst

# Printed width of images in Word, in millimetres (signatures: the default).
WIDTHS_MM = {"qr": 24, "chart": 160}
SIGNATURE_MM = 40


def format_code(code: str) -> str:
    """A verify code as printed: two groups of five (ABCDE-FGHJK)."""
    return f"{code[:5]}-{code[5:]}" if len(code) == 10 else code


def qr_code(url: str) -> bytes:
    """The QR code of `url` as a black and white PNG, 8 pixels a module."""
    import segno
    from PIL import Image

    # segno's own PNG writer is pure Python (10 ms); Pillow writes the same in 1 ms.
    # A fixed mask: any mask is valid, and choosing the best one costs segno 9 ms a code.
    matrix = segno.make(url, error="m", micro=False, mask=2).matrix
    border, scale = 2, 8
    size = len(matrix) + 2 * border
    image = Image.new("1", (size, size), 1)
    image.putdata(
        [
            0
            if border <= y < size - border
            and border <= x < size - border
            and matrix[y - border][x - border]
            else 1
            for y in range(size)
            for x in range(size)
        ]
    )
    out = io.BytesIO()
    image.resize((size * scale, size * scale), Image.Resampling.NEAREST).save(out, "PNG")
    return out.getvalue()


@cache
def _jinja() -> Any:
    """A Jinja environment that compiles each template text once per process.

    docxtpl compiles the document's XML at every render; for a template used 2,000 times a
    year that is most of the work. Bounded: a district editing its template makes new texts.
    """
    from collections.abc import MutableMapping

    from jinja2 import Environment, Template, nodes

    class Compiled(Environment):
        limit = 64

        def __init__(self) -> None:
            super().__init__(autoescape=True)
            self.compiled: dict[str, Template] = {}

        def from_string(
            self,
            source: str | nodes.Template,
            globals: MutableMapping[str, Any] | None = None,
            template_class: type[Template] | None = None,
        ) -> Template:
            if not isinstance(source, str) or globals or template_class:
                return super().from_string(source, globals, template_class)
            found = self.compiled.get(source)
            if found is None:
                if len(self.compiled) >= self.limit:
                    self.compiled.pop(next(iter(self.compiled)))
                found = self.compiled[source] = super().from_string(source)
            return found

    return Compiled()


def _swap(value: Any, image: Callable[[str], Any]) -> Any:
    """The values with every {"image": NAME} entry turned into what `image` gives."""
    if isinstance(value, dict):
        out = {}
        for key, inner in value.items():
            if key == "image":
                out[key] = image(inner) if isinstance(inner, str) else ""
            else:
                out[key] = _swap(inner, image)
        return out
    if isinstance(value, list):
        return [_swap(v, image) for v in value]
    return value


def _values(content: Content, code: str, url: str) -> dict[str, Any]:
    return {
        **content.values,
        "verify_code": format_code(code),
        "verify_url": url,
        "qr": {"image": "qr"},
    }


def render(content: Content, fmt: str, template: Path, code: str, url: str, now: datetime) -> bytes:
    """The document's bytes in `fmt` (pdf or docx) from `template`."""
    values = _values(content, code, url)
    if fmt == "docx":
        return render_docx(values, content, template, url)
    return render_pdf(values, content, template, url, now)


def render_docx(values: dict[str, Any], content: Content, template: Path, url: str) -> bytes:
    """Fill a Word template with docxtpl (values escaped as XML)."""
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage  # type: ignore[import-untyped]
    from jinja2 import TemplateError

    try:
        document = DocxTemplate(str(template))

        def picture(name: str) -> Any:
            data = qr_code(url) if name == "qr" else content.images[name].load()
            width = Mm(WIDTHS_MM.get(name, SIGNATURE_MM))
            return InlineImage(document, io.BytesIO(data), width=width)

        document.render(_swap(values, picture), jinja_env=_jinja(), autoescape=True)
        out = io.BytesIO()
        document.save(out)
    except (TemplateError, KeyError, ValueError, OSError) as exc:
        raise InvalidInput("doc.template_error", name=template.name, error=str(exc)) from None
    return out.getvalue()


@cache
def _fonts(folder: str) -> typst.Fonts:
    """The CJK fonts (and typst's own), read once per process: a folder scan of 80 ms."""
    import typst

    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=[folder])


def font_folder() -> str:
    """The folder of the bundled Noto CJK fonts."""
    return str(cjk_font_path().parent)


def render_pdf(
    values: dict[str, Any], content: Content, template: Path, url: str, now: datetime
) -> bytes:
    """Typeset a typst template; its images are files of a build folder of their own."""
    import typst

    with tempfile.TemporaryDirectory(prefix="jc-doc-") as folder:
        root = Path(folder)

        def picture(name: str) -> str:
            if name == "qr":
                (root / "qr.png").write_bytes(qr_code(url))
                return "qr.png"
            (root / f"{name}.png").write_bytes(content.images[name].load())
            return f"{name}.png"

        data = json.dumps(_swap(values, picture), ensure_ascii=False)
        try:
            pdf = typst.Compiler(font_paths=_fonts(font_folder())).compile(
                input=template.read_bytes(),
                root=folder,
                format="pdf",
                sys_inputs={"data": data},
                timestamp=now.replace(microsecond=0),
            )
        except (typst.TypstError, OSError, KeyError) as exc:
            message = getattr(exc, "message", None) or str(exc)
            raise InvalidInput("doc.template_error", name=template.name, error=message) from None
    assert isinstance(pdf, bytes)
    return pdf
