"""The frozen eligible lists of a draw, packed into the draw row.

Binary sections rather than one JSON document: a million codes would otherwise be escaped
and parsed one by one. Layout, zlib-compressed: a JSON header, then for each risk class its
"code\\tobject type" lines, all separated by NUL bytes (which neither codes nor object
types contain). Format 2, read still, also held each class's bare codes before its lines.
"""

from __future__ import annotations

import json
import threading
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from services.draw.eligibility import Eligibility
from services.draw.engine import RISK_CLASSES, InspectorIn

T = TypeVar("T")
FORMAT = 3
_NUL = b"\x00"


def pack(elig: Eligibility) -> bytes:
    """The eligible lists, compressed."""
    return zlib.compress(_payload(elig), 1)


def pack_alongside(elig: Eligibility, work: Callable[[], T]) -> tuple[bytes, T]:
    """`pack(elig)` in a second thread while `work()` runs in this one: (blob, its result).

    zlib releases the GIL while it compresses, but the compressing thread must first get
    the GIL to start; if `work` is one long call into C (a sort), that would be only after
    it. So this thread waits until the other is about to compress before starting `work`.
    """
    data = _payload(elig)
    compressing = threading.Event()

    def compress() -> bytes:
        compressing.set()
        return zlib.compress(data, 1)

    with ThreadPoolExecutor(1, thread_name_prefix="snapshot") as pool:
        blob = pool.submit(compress)
        compressing.wait()
        result = work()
        return blob.result(), result


def _payload(elig: Eligibility) -> bytes:
    header = {
        "format": FORMAT,
        "departments_by_key": elig.departments_by_key,
        "inspectors": [[i.cert, i.department, i.expert] for i in elig.inspectors],
        "recusals": [list(p) for p in elig.recusals],
    }
    sections = [json.dumps(header, ensure_ascii=False).encode("utf-8")]
    sections += [elig.entries.get(risk, "").encode("utf-8") for risk in RISK_CLASSES]
    return _NUL.join(sections)


def unpack(blob: bytes) -> Eligibility:
    """The eligible lists of a frozen draw, as they were at the freeze."""
    header_bytes, *sections = zlib.decompress(blob).split(_NUL)
    header = json.loads(header_bytes)
    per_risk = {2: 2, 3: 1}.get(header.get("format"))
    if per_risk is None or len(sections) != per_risk * len(RISK_CLASSES):
        raise ValueError("unknown snapshot format")
    # The lines are each class's last section (format 2 put the bare codes before them).
    entries = {
        risk: sections[per_risk * (i + 1) - 1].decode("utf-8")
        for i, risk in enumerate(RISK_CLASSES)
    }
    return Eligibility(
        entries,
        # Format 2 keyed the departments by the object type itself.
        header["departments_by_key" if per_risk == 1 else "departments_by_type"],
        [InspectorIn(c, d, bool(x)) for c, d, x in header["inspectors"]],
        [(c, e) for c, e in header["recusals"]],
        [],
        general_for_other_types=per_risk == 1,
    )
