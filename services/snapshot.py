"""The frozen eligible lists of a draw, packed into the draw row.

Binary sections rather than one JSON document: a million codes would otherwise be escaped
and parsed one by one. Layout, zlib-compressed: a JSON header, then for each risk class its
codes joined by newlines and its "code\\tobject type" lines, all separated by NUL bytes
(which neither codes nor object types contain).
"""

from __future__ import annotations

import json
import zlib

from services.draw_engine import RISK_CLASSES, InspectorIn
from services.eligibility import Eligibility

FORMAT = 2
_NUL = b"\x00"


def pack(elig: Eligibility) -> bytes:
    """Compress the eligible lists; zlib releases the GIL, so callers may run it in a thread."""
    header = {
        "format": FORMAT,
        "departments_by_type": elig.departments_by_type,
        "inspectors": [[i.cert, i.department, i.expert] for i in elig.inspectors],
        "recusals": [list(p) for p in elig.recusals],
    }
    codes = elig.codes_by_risk()
    sections = [json.dumps(header, ensure_ascii=False).encode("utf-8")]
    for risk in RISK_CLASSES:
        sections.append("\n".join(codes[risk]).encode("utf-8"))
        sections.append(elig.entries.get(risk, "").encode("utf-8"))
    return zlib.compress(_NUL.join(sections), 1)


def unpack(blob: bytes) -> Eligibility:
    """The eligible lists of a frozen draw, as they were at the freeze."""
    header_bytes, *sections = zlib.decompress(blob).split(_NUL)
    header = json.loads(header_bytes)
    if header.get("format") != FORMAT or len(sections) != 2 * len(RISK_CLASSES):
        raise ValueError("unknown snapshot format")
    codes: dict[str, list[str]] = {}
    entries: dict[str, str] = {}
    for i, risk in enumerate(RISK_CLASSES):
        text = sections[2 * i].decode("utf-8")
        codes[risk] = text.split("\n") if text else []
        entries[risk] = sections[2 * i + 1].decode("utf-8")
    return Eligibility(
        entries,
        header["departments_by_type"],
        [InspectorIn(c, d, bool(x)) for c, d, x in header["inspectors"]],
        [(c, e) for c, e in header["recusals"]],
        [],
        _codes=codes,
    )
