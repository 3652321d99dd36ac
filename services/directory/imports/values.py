"""Cell values as clerks write them: statuses, risk classes, 是/否, phones, dates, codes.

Each parser is a pydantic validator: a value it cannot read raises a `PydanticCustomError`
of type "jc" whose context names the catalog key of the reason, so that the problem can be
told to the clerk in their language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any, Final

from pydantic import AfterValidator, BeforeValidator, StringConstraints
from pydantic_core import PydanticCustomError

from services.common.dates import parse_date
from services.common.errors import InvalidInput
from services.common.numbers import read_int
from services.directory import creditcode

PROBLEM = "jc"  # the pydantic error type of our own reasons


def problem(key: str, **params: Any) -> PydanticCustomError:
    """A validation error whose reason is the catalog text `key`."""
    return PydanticCustomError(PROBLEM, key, {"key": key, **params})


def _fold(raw: str) -> str:
    """Full-width to half-width, trimmed, lower case: how vocabulary words are compared."""
    return unicodedata.normalize("NFKC", raw).strip().lower()


def _vocabulary(entries: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    return {_fold(word): value for value, words in entries.items() for word in (value, *words)}


ENTERPRISE_STATUS: Final = _vocabulary(
    {
        "active": ("存续", "在业", "开业", "在营", "在册", "正常", "营业"),
        "closed": ("歇业", "停业", "关闭", "停产"),
        "deregistered": ("注销", "已注销", "吊销，已注销"),
        "revoked": ("吊销", "已吊销", "吊销，未注销", "撤销", "已撤销"),
        "moved_out": ("迁出", "已迁出", "moved out"),
    }
)
INSPECTOR_STATUS: Final = _vocabulary(
    {
        "active": ("在岗", "在职", "正常"),
        "on_leave": ("休假", "请假", "on leave"),
        "left": ("离岗", "离职", "调离", "退休"),
    }
)
RISK_CLASS: Final = _vocabulary(
    {
        "A": ("a类", "a级", "低", "低风险"),
        "B": ("b类", "b级", "一般", "一般风险"),
        "C": ("c类", "c级", "较高", "较高风险"),
        "D": ("d类", "d级", "高", "高风险"),
    }
)
ITEM_KIND: Final = _vocabulary({"key": ("重点", "重点事项"), "general": ("一般", "一般事项")})
YES_NO: Final = {_fold(w): True for w in ("是", "yes", "y", "true", "1", "√")} | {
    _fold(w): False for w in ("否", "no", "n", "false", "0")
}
ACTIVE: Final = {_fold(w): True for w in ("启用", "有效", "在用", "正常", "active", "是")} | {
    _fold(w): False for w in ("停用", "无效", "撤销", "inactive", "否")
}

# What an export writes for each stored value: the first Chinese word of each vocabulary.
LABELS: Final[dict[str, dict[Any, str]]] = {
    "enterprise_status": {
        "active": "存续",
        "closed": "停业",
        "deregistered": "注销",
        "revoked": "吊销",
        "moved_out": "迁出",
    },
    "inspector_status": {"active": "在岗", "on_leave": "休假", "left": "离岗"},
    "item_kind": {"key": "重点", "general": "一般"},
    "yes_no": {True: "是", False: "否"},
    "active": {True: "启用", False: "停用"},
}


def _looked_up(table: Mapping[str, Any], key: str) -> Any:
    known: dict[str, Any] = {}  # cells seen before: a column repeats a few words

    def parse(raw: Any) -> Any:
        text = str(raw)
        found = known.get(text)
        if found is not None:
            return found
        found = table.get(_fold(text))
        if found is None:
            # Registration exports write "存续（在营、开业、在册）": the word before the bracket.
            head = re.split(r"[（(]", _fold(text), maxsplit=1)[0].strip()
            found = table.get(head)
        if found is None:
            raise problem(key)
        if len(known) < 1000:
            known[text] = found
        return found

    return parse


# A mobile (13912345678, +86 allowed) or a landline with its area code (0972-8612345).
PHONE_PATTERN: Final = (
    r"^(?:(?:\+?86[- ]?)?1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}(?:-[0-9]{1,6})?)$"
)


_EXCEL_NUMBER = re.compile(r"\d(\.\d+)?[eE]\+?\d+")


def _credit_code(raw: str) -> str:
    try:
        return creditcode.validate(raw)
    except creditcode.InvalidCreditCode as exc:
        if _EXCEL_NUMBER.fullmatch(raw.strip()):
            # Excel turned an all-digit code into a number and lost its last digits.
            raise problem("import.reason.credit_code_number") from None
        raise problem(f"import.reason.credit_code_{exc.reason_key}") from None


def _date(raw: Any) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    try:
        return parse_date(raw)
    except InvalidInput:
        raise problem("import.reason.date") from None


LIST_SEPARATORS: Final = re.compile(r"[、,，;；\n]+")


def _names(raw: Any) -> list[str]:
    return split_list(str(raw))


MAX_SEQ = 999  # check points of one item: far more than any real list has


def _seq(raw: Any) -> int:
    if raw is None:
        raise problem("import.reason.required")
    # Full-width digits ("３") read as digits; anything else is refused, never guessed.
    value = read_int(unicodedata.normalize("NFKC", str(raw)).strip(), 1, MAX_SEQ)
    if value is None:
        raise problem("import.reason.seq", limit=MAX_SEQ)
    return value


def split_list(raw: str) -> list[str]:
    """A cell listing several names ("公安局、卫生健康局"), in order, without repeats."""
    seen: dict[str, None] = {}
    for part in LIST_SEPARATORS.split(raw):
        name = part.strip()
        if name:
            seen.setdefault(name, None)
    return list(seen)


# The field types of the row models. Plain text is checked by pydantic-core itself (fast:
# a million enterprises go through these); the rest parse in Python.
Text16 = Annotated[str, StringConstraints(max_length=16)]
Text32 = Annotated[str, StringConstraints(max_length=32)]
Text50 = Annotated[str, StringConstraints(max_length=50)]
Text64 = Annotated[str, StringConstraints(max_length=64)]
Text100 = Annotated[str, StringConstraints(max_length=100)]
Text200 = Annotated[str, StringConstraints(max_length=200)]
Text300 = Annotated[str, StringConstraints(max_length=300)]
LongText = Annotated[str, StringConstraints(max_length=2000)]
CreditCode = Annotated[str, AfterValidator(_credit_code)]
Phone = Annotated[str, StringConstraints(max_length=32, pattern=PHONE_PATTERN)]
ClerkDate = Annotated[date, BeforeValidator(_date)]
RiskClass = Annotated[str, BeforeValidator(_looked_up(RISK_CLASS, "import.reason.risk"))]
EnterpriseStatus = Annotated[
    str, BeforeValidator(_looked_up(ENTERPRISE_STATUS, "import.reason.enterprise_status"))
]
InspectorStatus = Annotated[
    str, BeforeValidator(_looked_up(INSPECTOR_STATUS, "import.reason.inspector_status"))
]
ItemKind = Annotated[str, BeforeValidator(_looked_up(ITEM_KIND, "import.reason.item_kind"))]
YesNo = Annotated[bool, BeforeValidator(_looked_up(YES_NO, "import.reason.yes_no"))]
Active = Annotated[bool, BeforeValidator(_looked_up(ACTIVE, "import.reason.active"))]
NameList = Annotated[list[str], BeforeValidator(_names)]
Seq = Annotated[int, BeforeValidator(_seq)]
