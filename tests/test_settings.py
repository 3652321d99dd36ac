"""Settings come from the environment and `.env`; secrets stay secret; all are documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_reads_unprefixed_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://u@h/db")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:secret-token")
    monkeypatch.setenv("WEB_PORT", "9090")
    settings = Settings(_env_file=None)
    assert settings.database_url == "postgresql+asyncpg://u@h/db"
    assert settings.web_port == 9090
    assert settings.telegram_bot_token is not None
    assert settings.telegram_bot_token.get_secret_value() == "123:secret-token"
    assert "secret-token" not in repr(settings)


def test_reads_dot_env_file(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("WECOM_CORP_ID=wx123\nLOG_LEVEL=DEBUG\n", encoding="utf-8")
    settings = Settings(_env_file=env)
    assert settings.wecom_corp_id == "wx123"
    assert settings.log_level == "DEBUG"


def test_bad_value_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEB_PORT", "not-a-port")
    with pytest.raises(ValueError):
        Settings(_env_file=None)


def test_env_example_documents_every_setting() -> None:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    for name in Settings.model_fields:
        var = name.upper()
        index = next((i for i, line in enumerate(lines) if re.match(rf"#?\s*{var}=", line)), None)
        assert index is not None, f"{var} missing from .env.example"
        assert index > 0 and lines[index - 1].startswith("#"), f"{var} has no comment line"


def test_sqlite_path() -> None:
    settings = Settings(_env_file=None, database_url="sqlite+aiosqlite:///var/x.db")
    assert settings.sqlite_path() == Path("var/x.db")
    other = Settings(_env_file=None, database_url="postgresql+asyncpg://h/db")
    assert other.sqlite_path() is None
