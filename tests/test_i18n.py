"""Every user-facing text exists in Chinese and English with the same placeholders."""

from __future__ import annotations

import string

from bot.app import build_router
from handlers.core.i18n import CATALOG, t


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_text_has_both_languages_with_same_placeholders() -> None:
    for key, (zh, en) in CATALOG.items():
        if key == "error.duplicate_update":
            continue
        assert zh and en, key
        assert _fields(zh) == _fields(en), key


def test_every_command_has_a_help_text() -> None:
    for command in build_router().commands.values():
        assert command.help_key in CATALOG, command.name


def test_chinese_is_the_default_and_english_is_chosen() -> None:
    assert t("zh", "cancel.done") == "已退出当前操作。"
    assert t("en", "cancel.done") == "Left the current step."
    assert t("fr", "cancel.done") == "已退出当前操作。"
    assert t("en", "error.unknown_command", command="/x") == (
        "Unknown command: /x. Send /help to see what you can do."
    )
