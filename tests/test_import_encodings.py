"""Encodings other than UTF-8 and GB18030 are named and refused, not imported as garble.

Big5 and Shift-JIS bytes decode as GB18030 without an error, into the wrong characters;
charset-normalizer tells them apart.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers.core.i18n import t
from services.common.errors import InvalidInput
from services.directory.imports.encoding import detect_encoding, encoding_name
from services.directory.imports.limits import Limits
from tests.helpers import row_counts
from tests.import_fixtures import (
    ENTERPRISE_HEADER,
    code,
    counts,
    csv_bytes,
    enterprise_rows,
    run_import,
)

# The same list as a Taiwanese or Hong Kong office keeps it, in traditional characters.
BIG5_HEADER = [
    "企業名稱", "統一社會信用代碼", "法定代表人", "住所", "所屬區域", "行業", "對象類型",
    "聯繫人", "聯繫電話", "信用風險等級", "經營狀態", "最近檢查日期",
]  # fmt: skip
# A Japanese list.
SJIS_HEADER = [
    "会社名", "法人番号", "代表者", "住所", "地域", "業種", "種類", "担当者", "電話",
    "リスク", "状態", "検査日",
]  # fmt: skip


def _big5_rows(count: int) -> list[list[str]]:
    """Rows in traditional characters, each field as such a list has it."""
    fields = "陳大文|海東市樂都區碾伯鎮古城大街{n}號|碾伯鎮|批發和零售業|食品經營者|黃小明"
    return [[f"樂都區測試{n}商貿有限公司", code(n), *_fill(fields, n)] for n in range(1, count + 1)]


def _sjis_rows(count: int) -> list[list[str]]:
    """Rows of a Japanese list."""
    fields = "山田太郎|東京都千代田区丸の内{n}丁目|千代田区|小売業|食品販売|鈴木花子"
    return [[f"株式会社テスト{n}商事", code(n), *_fill(fields, n)] for n in range(1, count + 1)]


def _fill(fields: str, n: int) -> list[str]:
    return [*fields.format(n=n).split("|"), f"139{n:08d}", "ABCD"[n % 4], "", ""]


async def _refused_naming(app, path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    before = await row_counts(app)
    with pytest.raises(InvalidInput) as caught:
        await run_import(app, path)
    assert caught.value.key == "import.unsupported_encoding"
    assert caught.value.params == {"encoding": name}
    assert name in t("zh", caught.value.key, **caught.value.params)
    assert await row_counts(app) == before


async def test_a_big5_list_is_named_and_refused(app, tmp_path: Path) -> None:
    data = csv_bytes(BIG5_HEADER, _big5_rows(30), "big5")
    data.decode("gb18030")  # it would have been read, garbled, before
    path = tmp_path / "名錄.csv"
    path.write_bytes(data)
    await _refused_naming(app, path, "Big5")


async def test_a_shift_jis_list_is_named_and_refused(app, tmp_path: Path) -> None:
    data = csv_bytes(SJIS_HEADER, _sjis_rows(30), "shift_jis")
    data.decode("gb18030")
    path = tmp_path / "list.csv"
    path.write_bytes(data)
    await _refused_naming(app, path, "Shift_JIS")


async def test_a_utf16_file_is_named_and_refused(app, tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"  # Excel's "Unicode text": UTF-16 with a BOM, tabs
    path.write_bytes(csv_bytes(ENTERPRISE_HEADER, enterprise_rows(2)).decode().encode("utf-16"))
    await _refused_naming(app, path, "UTF-16")


@pytest.mark.parametrize("count", [1, 3, 40])
async def test_gbk_lists_short_and_long_still_import(app, tmp_path: Path, count: int) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes(csv_bytes(ENTERPRISE_HEADER, enterprise_rows(count), "gbk"))
    report = await run_import(app, path)
    assert counts(report)["added"] == count and report.applied


def test_a_gbk_file_with_a_single_chinese_name_is_gb18030(tmp_path: Path) -> None:
    # Mostly ASCII and one Chinese cell: on the whole file charset-normalizer's best guess
    # is a Western code page, so it is shown the lines that are not ASCII only (and GB18030
    # is kept whenever it finds it plausible at all).
    rows = [[f"Store {n}", code(n), "Li", f"No. {n}"] for n in range(1, 200)]
    rows.append(["乐都区测试商贸有限公司", code(200), "张三", "No. 200"])
    path = tmp_path / "mostly-ascii.csv"
    path.write_bytes(csv_bytes(["name", "code", "boss", "address"], rows, "gbk"))
    assert detect_encoding(path, Limits()) == "gb18030"


def test_codecs_are_named_as_people_know_them() -> None:
    assert [encoding_name(c) for c in ("big5", "cp932", "euc_kr", "cp1252", "koi8_r")] == [
        "Big5", "Shift_JIS", "EUC-KR", "Windows-1252", "KOI8-R",
    ]  # fmt: skip
