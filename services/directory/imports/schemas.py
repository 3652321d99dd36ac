"""The row models of each list, and their validation a column at a time.

A row model names the fields of one kind and their types (values.py). Validation runs a
batch of rows column by column through pydantic-core (`TypeAdapter(list[type])`), so that a
million enterprises cost a few microseconds each instead of a Python call per cell; a
column that fails is validated again cell by cell to name each problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from services.directory.imports.values import (
    PROBLEM,
    Active,
    ClerkDate,
    CreditCode,
    EnterpriseStatus,
    InspectorStatus,
    ItemKind,
    LongText,
    NameList,
    Phone,
    RiskClass,
    Seq,
    Text16,
    Text32,
    Text50,
    Text64,
    Text100,
    Text200,
    Text300,
    YesNo,
)


class RowModel(BaseModel):
    """The base of the row models below."""

    # Only their fields are read (cells are validated by `ColumnValidator`): the model's
    # own validator is built on first use, if ever, not at every start of the bot.
    model_config = ConfigDict(defer_build=True)


class DepartmentRow(RowModel):
    """A member unit of the joint meeting."""

    code: Text32
    name: Text100
    active: Active | None = None


class ItemRow(RowModel):
    """An entry of the joint item list; departments are given by name or code."""

    code: Text64
    name: Text200
    sub_item: Text200 | None = None
    legal_basis: LongText | None = None
    initiating: Text100
    cooperating: NameList | None = None
    object_type: Text100 | None = None
    ratio: Text16 | None = None
    frequency: Text100 | None = None
    method: Text100 | None = None
    inspector_requirements: LongText | None = None
    kind: ItemKind | None = None
    level: Text50 | None = None
    notes: LongText | None = None
    active: Active | None = None


class EnterpriseRow(RowModel):
    """An inspection object of the object directory."""

    credit_code: CreditCode
    name: Text200
    legal_rep: Text100 | None = None
    address: Text300 | None = None
    district: Text100 | None = None
    industry: Text100 | None = None
    object_type: Text100 | None = None
    contact_person: Text100 | None = None
    contact_phone: Phone | None = None
    risk_class: RiskClass
    status: EnterpriseStatus | None = None
    last_checked_on: ClerkDate | None = None


class InspectorRow(RowModel):
    """A person of the inspector directory."""

    cert_no: Text64
    name: Text100
    department: Text100
    cert_expiry: ClerkDate
    fields: NameList | None = None
    post: Text100 | None = None
    phone: Phone | None = None
    status: InspectorStatus | None = None
    is_expert: YesNo | None = None


class RecusalRow(RowModel):
    """A conflict of interest between an inspector and an enterprise."""

    cert_no: Text64
    credit_code: CreditCode
    reason: Text300 | None = None


class CheckPointRow(RowModel):
    """A check point of a joint item (检查要点), numbered within its item."""

    item_code: Text64
    seq: Seq
    content: LongText
    method: LongText | None = None
    basis: LongText | None = None


@dataclass(frozen=True)
class Reason:
    """Why a cell was refused: a catalog key and its values."""

    key: str
    params: dict[str, Any]


def reason_of(error: ErrorDetails, value: Any) -> Reason:
    """The clerk's reason for a pydantic error on `value`."""
    ctx = dict(error.get("ctx") or {})
    if error["type"] == PROBLEM:
        return Reason(str(ctx.pop("key")), ctx)
    if value is None:
        return Reason("import.reason.required", {})
    if error["type"] == "string_too_long":
        return Reason("import.reason.too_long", {"limit": ctx.get("max_length", "")})
    if error["type"] == "string_pattern_mismatch":
        return Reason("import.reason.phone", {})  # the one pattern of the row models
    return Reason("import.reason.invalid", {})


class ColumnValidator:
    """Validates every cell of one column of a batch in one pydantic-core call."""

    def __init__(self, annotation: Any) -> None:
        self.many: TypeAdapter[list[Any]] = TypeAdapter(list[annotation])
        self.one: TypeAdapter[Any] = TypeAdapter(annotation)

    def validate(self, cells: list[str | None]) -> tuple[list[Any], dict[int, Reason]]:
        """The parsed values, and a reason for each index refused (its value is None)."""
        try:
            return self.many.validate_python(cells), {}
        except ValidationError:
            pass
        values: list[Any] = []
        refused: dict[int, Reason] = {}
        for index, cell in enumerate(cells):
            try:
                values.append(self.one.validate_python(cell))
            except ValidationError as exc:
                values.append(None)
                refused[index] = reason_of(exc.errors()[0], cell)
        return values, refused


def column_validators(model: type[BaseModel], fields: list[str]) -> dict[str, ColumnValidator]:
    """One validator per field of the model that the file has a column for."""
    return {name: ColumnValidator(model.model_fields[name].rebuild_annotation()) for name in fields}
