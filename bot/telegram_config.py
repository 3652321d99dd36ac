"""The Telegram settings of a bot: token, Bot API URL, webhook, pacing; and the Application
built from them (the benchmark builds its baseline from the same)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from bot.settings import Settings

OFFICIAL_BASE_URL = "https://api.telegram.org/bot"
ALLOWED_UPDATES = ("message", "callback_query")
POOL_SIZE = 64
POOL_TIMEOUT = 30.0


def file_base_url(base_url: str) -> str:
    """The file download URL of a Bot API base URL (`.../bot` -> `.../file/bot`)."""
    head, sep, tail = base_url.rpartition("/bot")
    if not sep:
        raise ValueError(f"a Bot API base URL ends in /bot: {base_url}")
    return f"{head}/file/bot{tail}"


@dataclass(frozen=True)
class TelegramConfig:
    """How the bot talks to Telegram; `from_settings` reads the TELEGRAM_* settings."""

    token: str
    base_url: str = OFFICIAL_BASE_URL
    webhook_url: str | None = None
    webhook_secret: str | None = None
    # Updates handled at once (each holds a database connection while in the core).
    concurrency: int = 256
    poll_timeout: float = 10.0
    # False: no pacing (a fake server in tests and benchmarks); retries still happen.
    rate_limit: bool = True
    max_retries: int = 3
    menu_sync_seconds: float = 3600.0
    # A self-hosted Bot API server in --local mode: no 20 MB download limit.
    local_mode: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> TelegramConfig:
        """The configuration of `jointcheck run`."""
        if settings.telegram_bot_token is None:
            raise ValueError("TELEGRAM_BOT_TOKEN is not set")
        secret = settings.telegram_webhook_secret
        return cls(
            token=settings.telegram_bot_token.get_secret_value(),
            base_url=settings.telegram_base_url or OFFICIAL_BASE_URL,
            webhook_url=settings.telegram_webhook_url or None,
            webhook_secret=None if secret is None else secret.get_secret_value(),
            local_mode=settings.telegram_local_mode,
        )

    @property
    def webhook(self) -> bool:
        """Whether updates come by webhook (else by polling)."""
        return self.webhook_url is not None


def mode(settings: Settings) -> Literal["polling", "webhook"] | None:
    """How `jointcheck run` receives Telegram updates; None without a bot token."""
    if settings.telegram_bot_token is None:
        return None
    return "webhook" if settings.telegram_webhook_url else "polling"


def application_builder(config: TelegramConfig) -> ApplicationBuilder[Any, Any, Any, Any, Any, Any]:
    """The Application's settings (the benchmark builds its baseline from them too)."""
    if config.rate_limit:
        limiter = AIORateLimiter(max_retries=config.max_retries)
    else:
        limiter = AIORateLimiter(
            overall_max_rate=0, group_max_rate=0, max_retries=config.max_retries
        )
    builder = (
        Application.builder()
        .token(config.token)
        .base_url(config.base_url)
        .base_file_url(file_base_url(config.base_url))
        .rate_limiter(limiter)
        .concurrent_updates(config.concurrency)
        # Enough connections for Telegram's pace; waiting for one is queueing, not failure.
        .connection_pool_size(POOL_SIZE)
        .pool_timeout(POOL_TIMEOUT)
        .local_mode(config.local_mode)
    )
    return builder.updater(None) if config.webhook else builder
