"""Cell values the way clerks write them: dates, codes, classes, statuses, phones."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from handlers.core.i18n import CATALOG
from services.directory.imports.schemas import ColumnValidator, EnterpriseRow, InspectorRow
from services.directory.imports.values import (
    ClerkDate,
    EnterpriseStatus,
    InspectorStatus,
    RiskClass,
    YesNo,
    split_list,
)
from tests.import_fixtures import ENTERPRISE_HEADER, enterprise_row, run_import, write_csv


@pytest.mark.parametrize(
    "raw",
    ["2024-05-01", "2024/5/1", "2024.5.1", "2024年5月1日", "45413", "45413.0", " 2024-5-1 "],
)
def test_each_date_form_parses(raw: str) -> None:
    assert TypeAdapter(ClerkDate).validate_python(raw) == date(2024, 5, 1)


@pytest.mark.parametrize("raw", ["2024-02-30", "5/1/2024", "明天", "12"])
def test_a_bad_date_is_refused_with_its_reason(raw: str) -> None:
    values, refused = ColumnValidator(ClerkDate).validate([raw])
    assert values == [None] and refused[0].key == "import.reason.date"


@pytest.mark.parametrize(
    ("raw", "value"),
    [("A", "A"), ("b", "B"), ("C类", "C"), ("低", "A"), ("一般", "B"), ("较高", "C"), ("高", "D")],
)
def test_risk_classes(raw: str, value: str) -> None:
    assert TypeAdapter(RiskClass).validate_python(raw) == value


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("存续", "active"),
        ("存续（在营、开业、在册）", "active"),
        ("在业", "active"),
        ("开业", "active"),
        ("注销", "deregistered"),
        ("吊销", "revoked"),
        ("吊销，未注销", "revoked"),
        ("撤销", "revoked"),
        ("迁出", "moved_out"),
        ("歇业", "closed"),
        ("停业", "closed"),
        ("关闭", "closed"),
        ("Moved Out", "moved_out"),
        ("deregistered", "deregistered"),
    ],
)
def test_enterprise_statuses(raw: str, value: str) -> None:
    assert TypeAdapter(EnterpriseStatus).validate_python(raw) == value


@pytest.mark.parametrize(
    ("raw", "value"),
    [("在岗", "active"), ("在职", "active"), ("休假", "on_leave"), ("调离", "left")],
)
def test_inspector_statuses(raw: str, value: str) -> None:
    assert TypeAdapter(InspectorStatus).validate_python(raw) == value


def test_yes_no_and_lists() -> None:
    assert [TypeAdapter(YesNo).validate_python(v) for v in ("是", "否", "Y", "no")] == [
        True,
        False,
        True,
        False,
    ]
    names = split_list("公安局、卫生健康局,市场监管局；公安局")
    assert names == ["公安局", "卫生健康局", "市场监管局"]


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("91350100M000100Y4Z", "import.reason.credit_code_checksum"),
        ("914403001922038217", "import.reason.credit_code_checksum"),
        ("91440300I92317458F", "import.reason.credit_code_charset"),
        ("9144030019231745", "import.reason.credit_code_length"),
        ("9.14403001922038e+17", "import.reason.credit_code_number"),
        (None, "import.reason.required"),
    ],
)
def test_bad_credit_codes_get_the_clerks_reason(raw: str | None, key: str) -> None:
    validator = ColumnValidator(EnterpriseRow.model_fields["credit_code"].rebuild_annotation())
    _, refused = validator.validate([raw])
    assert refused[0].key == key and key in CATALOG


def test_credit_codes_are_normalised() -> None:
    validator = ColumnValidator(EnterpriseRow.model_fields["credit_code"].rebuild_annotation())
    full_width = "９１４４０３００１９２３１７４５８Ｆ"
    values, refused = validator.validate([" 91440300192317458f ", full_width])
    assert not refused and values == ["91440300192317458F"] * 2


@pytest.mark.parametrize(
    ("raw", "ok"),
    [
        ("13912345678", True),
        ("+86 13912345678", True),
        ("0972-8612345", True),
        ("09728612345", True),
        ("12345678901", False),
        ("1391234567", False),
        ("电话", False),
    ],
)
def test_phone_numbers(raw: str, ok: bool) -> None:
    validator = ColumnValidator(InspectorRow.model_fields["phone"].rebuild_annotation())
    _, refused = validator.validate([raw])
    assert (not refused) is ok
    if not ok:
        assert refused[0].key == "import.reason.phone"


async def test_every_problem_of_a_row_is_reported_in_both_languages(app, tmp_path: Path) -> None:
    row = enterprise_row(
        1,
        统一社会信用代码="914403001922038217",
        信用风险等级="E",
        经营状态="营业中止",
        联系电话="12345",
        最近检查日期="2024-13-01",
    )
    report = await run_import(app, write_csv(tmp_path / "bad.csv", ENTERPRISE_HEADER, [row]))
    assert report.rejected == 1 and not report.applied
    assert [(p.row, p.column, p.key) for p in report.problems] == [
        (2, "统一社会信用代码", "import.reason.credit_code_checksum"),
        (2, "联系电话", "import.reason.phone"),
        (2, "信用风险等级", "import.reason.risk"),
        (2, "经营状态", "import.reason.enterprise_status"),
        (2, "最近检查日期", "import.reason.date"),
    ]
    assert all(p.key in CATALOG for p in report.problems)
    assert report.problems[0].value == "914403001922038217"


def test_values_must_be_of_one_piece() -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(RiskClass).validate_python("AB")
