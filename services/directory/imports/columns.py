"""The columns of each list: the Chinese header real lists use, and the other names accepted.

Exports and templates write the first (Chinese) header; imports accept it, its aliases and
the English field name, compared without spaces, asterisks, "（必填）" or case.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pydantic import BaseModel

from services.common.errors import InvalidInput
from services.directory.imports.schemas import (
    CheckPointRow,
    DepartmentRow,
    EnterpriseRow,
    InspectorRow,
    ItemRow,
    RecusalRow,
)


@dataclass(frozen=True)
class Column:
    """One column of a list: the field it fills, its header and the other names accepted."""

    field: str
    header: str
    aliases: tuple[str, ...] = ()
    # Written by exports for the reader's benefit (a name next to a code); not imported.
    info: bool = False


@dataclass(frozen=True)
class KindSpec:
    """A list that can be imported and exported."""

    kind: str
    model: type[BaseModel]
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # the natural key re-imports are matched by

    def required(self) -> list[Column]:
        """The columns a file must have."""
        fields = self.model.model_fields
        return [c for c in self.columns if not c.info and fields[c.field].is_required()]


_CERT = ("执法证件号", "执法证编号", "执法证件号码", "证件号", "证号", "cert")
_CODE = ("信用代码", "社会信用代码", "统一代码", "uscc")
_PHONE = ("电话", "联系方式", "手机", "手机号", "phone")

SPECS: dict[str, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec(
            "departments",
            DepartmentRow,
            (
                Column("code", "部门编码", ("部门代码", "编码", "代码")),
                Column("name", "部门名称", ("部门", "名称", "单位名称")),
                Column("active", "状态", ("是否启用", "status")),
            ),
            ("code",),
        ),
        KindSpec(
            "items",
            ItemRow,
            (
                Column("code", "事项编码", ("事项编号", "编码", "item_code")),
                Column("name", "抽查事项", ("抽查事项名称", "事项名称", "检查事项")),
                Column("sub_item", "抽查子项", ("子项", "检查子项")),
                Column("legal_basis", "抽查依据", ("检查依据", "法律依据", "依据")),
                Column("initiating", "发起部门", ("牵头部门", "主办部门", "发起单位")),
                Column("cooperating", "配合部门", ("参与部门", "配合单位", "联合部门")),
                Column("object_type", "抽查对象", ("检查对象", "对象类型")),
                Column("ratio", "抽查比例", ("比例",)),
                Column("frequency", "抽查频次", ("频次", "检查频次")),
                Column("method", "检查方式", ("抽查方式",)),
                Column("inspector_requirements", "检查人员要求", ("执法人员要求",)),
                Column("kind", "事项类别", ("类别", "事项类型", "重点/一般")),
                Column("level", "层级", ("事项层级", "实施层级")),
                Column("notes", "备注", ("remark",)),
                Column("active", "状态", ("是否启用", "status")),
            ),
            ("code",),
        ),
        KindSpec(
            "enterprises",
            EnterpriseRow,
            (
                Column("name", "企业名称", ("名称", "单位名称", "市场主体名称", "检查对象名称")),
                Column("credit_code", "统一社会信用代码", _CODE),
                Column("legal_rep", "法定代表人", ("法定代表人(负责人)", "负责人", "法人代表")),
                Column("address", "住所", ("注册地址", "地址", "住所(经营场所)", "经营场所")),
                Column("district", "所属区域", ("辖区", "所属辖区", "区域", "所属乡镇")),
                Column("industry", "行业", ("所属行业", "行业类别", "行业门类")),
                Column("object_type", "对象类型", ("检查对象类型", "主体类型", "市场主体类型")),
                Column("contact_person", "联系人", ()),
                Column("contact_phone", "联系电话", _PHONE),
                Column("risk_class", "信用风险等级", ("风险等级", "信用风险分类", "风险分类")),
                Column("status", "经营状态", ("登记状态", "状态")),
                Column("last_checked_on", "最近检查日期", ("上次检查日期", "最后检查日期")),
            ),
            ("credit_code",),
        ),
        KindSpec(
            "inspectors",
            InspectorRow,
            (
                Column("name", "姓名", ("名字",)),
                Column("department", "所属部门", ("执法部门", "部门", "所在单位", "工作单位")),
                Column("cert_no", "执法证号", _CERT),
                Column("cert_expiry", "执法证有效期", ("有效期至", "有效期", "证件有效期")),
                Column("fields", "检查领域", ("执法领域", "执法门类")),
                Column("post", "职务", ("岗位", "职位")),
                Column("phone", "联系电话", _PHONE),
                Column("status", "状态", ("在岗状态", "人员状态")),
                Column("is_expert", "是否专家", ("专家", "expert")),
            ),
            ("cert_no",),
        ),
        KindSpec(
            "recusals",
            RecusalRow,
            (
                Column("cert_no", "执法证号", _CERT),
                Column("inspector_name", "姓名", ("检查人员姓名",), info=True),
                Column("credit_code", "统一社会信用代码", _CODE),
                Column("enterprise_name", "企业名称", ("名称",), info=True),
                Column("reason", "回避原因", ("原因", "回避事由", "利害关系")),
            ),
            ("cert_no", "credit_code"),
        ),
        KindSpec(
            "checkpoints",
            CheckPointRow,
            (
                Column("item_code", "事项编码", ("事项编号", "item_code")),
                Column("item_name", "抽查事项", ("抽查事项名称", "事项名称"), info=True),
                Column("seq", "序号", ("要点序号", "检查要点序号")),
                Column("content", "检查内容", ("检查要点", "检查项目", "检查内容及要点")),
                Column("method", "检查方法", ("检查方法与要领", "检查方法和要领", "检查方式")),
                Column("basis", "检查依据", ("依据", "法律依据", "检查标准")),
            ),
            ("item_code", "seq"),
        ),
    )
}
KINDS = tuple(SPECS)


def fold_header(raw: str) -> str:
    """A header as compared: half-width, no spaces, no required-marks, lower case."""
    text = unicodedata.normalize("NFKC", raw).lower()
    text = re.sub(r"\(必填\)|[*\s:]", "", text)
    return text


def _names(column: Column) -> list[str]:
    return [fold_header(n) for n in (column.header, *column.aliases, column.field)]


@dataclass(frozen=True)
class HeaderMap:
    """Which file column (by position) fills which field, and what was not recognised."""

    fields: dict[str, int]  # field -> position in the row
    headers: dict[str, str]  # field -> the header as written in the file
    ignored: list[str]


def map_header(spec: KindSpec, header: list[str]) -> HeaderMap:
    """Match a file's header row to the kind's columns; refuse missing or repeated ones."""
    lookup = {name: column for column in spec.columns for name in _names(column)}
    fields: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    for position, raw in enumerate(header):
        column = lookup.get(fold_header(raw))
        if column is None:
            if raw.strip():
                ignored.append(raw.strip())
            continue
        if column.field in fields:
            raise InvalidInput(
                "import.repeated_column", first=headers[column.field], second=raw.strip()
            )
        fields[column.field] = position
        headers[column.field] = raw.strip()
    missing = [c.header for c in spec.required() if c.field not in fields]
    if missing:
        raise InvalidInput("import.missing_columns", columns="、".join(missing))
    for column in spec.columns:
        if column.info:
            fields.pop(column.field, None)
    return HeaderMap(fields, headers, ignored)


def guess_kind(header: list[str]) -> str:
    """The kind the header is of: the one recognising the most headers, among those whose
    required columns are all present, else among all (its missing columns are then named)."""
    folded = {fold_header(h) for h in header}
    complete: list[tuple[int, str]] = []
    partial: list[tuple[int, str]] = []
    for spec in SPECS.values():
        recognised = sum(1 for c in spec.columns if set(_names(c)) & folded)
        has_required = all(set(_names(c)) & folded for c in spec.required())
        (complete if has_required else partial).append((recognised, spec.kind))
    for scores in (complete, partial):
        scores.sort(reverse=True)
        if scores and scores[0][0] >= 2 and (len(scores) == 1 or scores[0][0] > scores[1][0]):
            return scores[0][1]
        if complete:
            break
    raise InvalidInput("import.unknown_kind", kinds=", ".join(KINDS))
