"""The input hash of a draw (docs/draw-algorithm.md, section 1, record format 3).

At the freeze, the SHA-256 of one canonical JSON text holding every input the draw uses
(algorithm, parameters, enterprises with risk class and departments, inspectors with
department and expert flag, recusals) is published beside the commitment, so that none of
them can change afterwards without the record failing verification.

`document` writes that text from plain rows (the verifier's way). `freeze_hashes` gives the
enterprise snapshot and the input hash of a freshly computed eligibility in one sort, the
freeze's way over a million enterprises; both yield the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from operator import add, itemgetter
from typing import Any

from services.draw.eligibility import Eligibility
from services.draw.engine import ALGORITHM, RISK_CLASSES, InspectorIn, snapshot_hash

PARAM_NAMES = (
    "min_count",
    "max_count",
    "team_size",
    "experts_per_team",
    "load_cap",
    "check_start",
    "check_end",
)
# A code is written as it stands, and its elements sorted as plain strings, only when it
# holds nothing that JSON escapes or that sorts at or below the quote closing it.
_UNPLAIN = re.compile(r"[\x00-\x08\x0b-\x22\\]")
_AFTER_CODE = re.compile('","[^\n]*')


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def canonical_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters in their canonical order, ratios A to D first."""
    ratios = params["ratios"]
    return {"ratios": {c: ratios[c] for c in RISK_CLASSES}} | {n: params[n] for n in PARAM_NAMES}


def _head(params: Mapping[str, Any]) -> str:
    return f'{{"algorithm":{ALGORITHM},"params":{_json(canonical_params(params))},"enterprises":['


def _tail(inspectors: Iterable[InspectorIn], recusals: Iterable[tuple[str, str]]) -> str:
    rows = sorted((i.cert, i.department, bool(i.expert)) for i in inspectors)
    pairs = sorted(set(recusals))
    return f'],"inspectors":{_json(rows)},"recusals":{_json(pairs)}}}'


def document(
    params: Mapping[str, Any],
    enterprises: Iterable[tuple[str, str, Iterable[str]]],
    inspectors: Iterable[InspectorIn],
    recusals: Iterable[tuple[str, str]],
) -> bytes:
    """The canonical text of a draw's inputs, UTF-8 (enterprises as (code, risk, departments))."""
    rows = sorted((code, risk, sorted(set(depts))) for code, risk, depts in enterprises)
    body = ",".join(_json(row) for row in rows)
    return (_head(params) + body + _tail(inspectors, recusals)).encode()


def input_hash(
    params: Mapping[str, Any],
    enterprises: Iterable[tuple[str, str, Iterable[str]]],
    inspectors: Iterable[InspectorIn],
    recusals: Iterable[tuple[str, str]],
) -> str:
    """SHA-256 hex of `document`."""
    return hashlib.sha256(document(params, enterprises, inspectors, recusals)).hexdigest()


def freeze_hashes(elig: Eligibility, params: Mapping[str, Any]) -> tuple[str, str]:
    """(enterprise snapshot, input hash) of the eligible lists frozen with these parameters."""
    if any(_UNPLAIN.search(elig.entries.get(risk, "")) for risk in RISK_CLASSES):
        # Unusual codes: the plain way, which JSON-escapes each of them.
        enterprises = list(elig.enterprises())
        return snapshot_hash(code for code, _, _ in enterprises), input_hash(
            params, enterprises, elig.inspectors, elig.recusals
        )
    # Each enterprise's element '["code","R",[...]]' is the code plus one of a few suffixes
    # (one per risk class and department set), each suffix opening the next element:
    # built, sorted and joined in C, with no tuple per row.
    elements: list[str] = []
    lengths: set[int] = set()
    for risk in RISK_CLASSES:
        codes, keys = elig.columns(risk)
        departments = {key: _json(sorted(set(elig.departments_for(key)))) for key in set(keys)}
        suffix = {key: f'","{risk}",{text}],["' for key, text in departments.items()}
        elements += map(add, codes, map(suffix.__getitem__, keys))
        lengths.update(map(len, codes))
    elements.sort()  # by code: no code holds a character sorting at or below '"'
    if len(lengths) == 1:  # credit codes: all 18 characters
        codes_text = "\n".join(map(itemgetter(slice(0, lengths.pop())), elements))
    else:
        codes_text = _AFTER_CODE.sub("", "\n".join(elements))
    snapshot = hashlib.sha256(codes_text.encode()).hexdigest()
    del codes_text
    digest = hashlib.sha256(_head(params).encode())
    if elements:
        digest.update(('["' + "".join(elements)[: -len(',["')]).encode())
    digest.update(_tail(elig.inspectors, elig.recusals).encode())
    return snapshot, digest.hexdigest()
