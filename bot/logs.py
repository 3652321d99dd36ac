"""Secrets kept out of the logs: one redaction applied to every log record of the process.

Replaced by `[REDACTED]`, in the message, its arguments, the traceback and the stack:
- the configured secrets (Telegram bot token and webhook secret; WeCom secret, token,
  EncodingAESKey and robot key) and the WeCom access tokens as they are fetched, also
  percent-encoded as they appear in URLs;
- by pattern, whatever carries one in a URL or a parameter dump: `access_token=`,
  `corpsecret=`, `secret_token`, a `key=` query value, `/bot<token>` of Telegram URLs;
- invite codes: the argument of `/bind` and any word shaped like a code (python-telegram-bot
  logs message texts and API parameters at DEBUG).

The redaction runs when a record is made (the log record factory), so it covers every
logger at every level whatever handlers exist or are added later (uvicorn's, pytest's).

`LOG_FORMAT=json` writes one JSON object a line (`JsonFormatter`), with the id of the update
being handled (`handlers.core.observe.current_update`) in every line of its handling.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, TextIO
from urllib.parse import quote, quote_plus

from bot.settings import Settings
from handlers.core.observe import current_update
from services.accounts.invites import ALPHABET, CODE_LENGTH

MASK = "[REDACTED]"
MIN_SECRET = 4  # a shorter value is no secret, and masking it would mangle every line
SHORT_SECRET = 12  # values shorter than this are masked only as whole words
RECENT_TOKENS = 16  # access tokens expire after two hours: keep only the last few

_CODE_CHARS = re.escape(ALPHABET)
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # access_token=X, corpsecret=X, 'secret_token': 'X', "access_token":"X"
    (
        re.compile(
            r"(?i)((?:access_token|corpsecret|secret_token)['\"]?\s*[=:]\s*['\"]?)[^&\s'\",}]+"
        ),
        r"\g<1>" + MASK,
    ),
    (re.compile(r"([?&]key=)[^&\s'\"#]+"), r"\g<1>" + MASK),
    # Telegram puts the bot token in every API and file URL: .../bot<id>:<hash>/method
    (re.compile(r"(/bot)\d+:[^/\s'\"]+"), r"\g<1>" + MASK),
    (re.compile(r"(?i)(/bind(?:@\w+)?\s+)[^\s'\"\\]+"), r"\g<1>" + MASK),
    (re.compile(rf"(?<![A-Za-z0-9])[{_CODE_CHARS}]{{{CODE_LENGTH}}}(?![A-Za-z0-9])"), MASK),
)


class _Secrets:
    """The secret values to mask, and the one expression that finds any of them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._fixed: set[str] = set()
        self._recent: deque[str] = deque(maxlen=RECENT_TOKENS)
        self.pattern: re.Pattern[str] | None = None

    def add(self, values: Iterable[str | None], *, recent: bool = False) -> None:
        with self._lock:
            for value in values:
                if value is None or len(value) < MIN_SECRET:
                    continue
                if recent:
                    if value not in self._recent:
                        self._recent.append(value)
                else:
                    self._fixed.add(value)
            self._compile()

    def clear(self) -> None:
        with self._lock:
            self._fixed.clear()
            self._recent.clear()
            self._compile()

    def _compile(self) -> None:
        forms = {
            form
            for value in (*self._fixed, *self._recent)
            for form in (value, quote(value, safe=""), quote_plus(value, safe=""))
        }
        # Longest first, so that a secret containing another is masked whole.
        parts = [
            re.escape(f)
            if len(f) >= SHORT_SECRET
            else rf"(?<![A-Za-z0-9]){re.escape(f)}(?![A-Za-z0-9])"
            for f in sorted(forms, key=len, reverse=True)
        ]
        # Assigned in one step: a record made meanwhile uses the old or the new expression.
        self.pattern = re.compile("|".join(parts)) if parts else None


_SECRETS = _Secrets()


def redact(text: str) -> str:
    """`text` with every known secret and every secret-shaped value masked."""
    pattern = _SECRETS.pattern
    if pattern is not None:
        text = pattern.sub(MASK, text)
    for expression, replacement in _PATTERNS:
        text = expression.sub(replacement, text)
    return text


def remember(*values: str | None, recent: bool = False) -> None:
    """Mask these values in every log record from now on (`recent`: a short-lived token)."""
    _SECRETS.add(values, recent=recent)


def forget_all() -> None:
    """Mask no configured value any more (tests that configure several secrets)."""
    _SECRETS.clear()


_SAFE_TYPES = (int, float, bool, type(None))


def _redact_value(value: object) -> object:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, _SAFE_TYPES):
        return value
    # A URL object or a dict of API parameters: masked as text if either rendering holds
    # a secret, else left as it is so that %r and %d still render it as before.
    for render in (str, repr):
        try:
            text = render(value)
        except Exception:
            continue
        masked = redact(text)
        if masked != text:
            return masked
    return value


def _redact_args(args: Any) -> Any:
    if isinstance(args, Mapping):
        return {key: _redact_value(value) for key, value in args.items()}
    if isinstance(args, tuple):
        return tuple(_redact_value(value) for value in args)
    return args


class RedactionFilter(logging.Filter):
    """Masks secrets in a record in place; never drops a record."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask the record's message, arguments, traceback and stack."""
        try:
            record.msg = _redact_value(record.msg)
            record.args = _redact_args(record.args)
            if record.exc_info and not record.exc_text:
                # Formatted now, masked, and cached where every Formatter looks first.
                record.exc_text = self._formatter.formatException(record.exc_info)
            if record.exc_text:
                record.exc_text = redact(record.exc_text)
            if record.stack_info:
                record.stack_info = redact(record.stack_info)
        except Exception:
            # Better a lost line than a leaked secret.
            record.msg, record.args = "log record withheld: redaction failed", ()
            record.exc_info = record.exc_text = record.stack_info = None
        return True


_FILTER = RedactionFilter()
_installed: list[Callable[..., logging.LogRecord]] = []


def _redacting(factory: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        _FILTER.filter(record)
        return record

    return make


def install_redaction(settings: Settings) -> None:
    """Mask the configured secrets, and anything shaped like one, in every log record."""
    configured = (
        settings.telegram_bot_token,
        settings.telegram_webhook_secret,
        settings.wecom_secret,
        settings.wecom_token,
        settings.wecom_encoding_aes_key,
        settings.wecom_robot_key,
        settings.metrics_token,
    )
    remember(*(s.get_secret_value() for s in configured if s is not None))
    # A logger's filter misses its children's records and a handler's filter misses the
    # handlers added later: the record factory sees every record, once.
    if logging.getLogRecordFactory() not in _installed:
        factory = _redacting(logging.getLogRecordFactory())
        _installed.append(factory)
        logging.setLogRecordFactory(factory)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, update, exception."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a line of JSON (its message and traceback already masked)."""
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        update = current_update()
        if update is not None:
            entry["update"] = update
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(self.formatException(record.exc_info))
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


def log_handler(settings: Settings, stream: TextIO | None = None) -> logging.Handler:
    """The handler of a command's log lines (on stderr): text, or JSON with LOG_FORMAT=json."""
    handler = logging.StreamHandler(stream)
    if settings.log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    return handler


def configure_logging(settings: Settings) -> None:
    """Logging of a command: LOG_LEVEL, LOG_FORMAT, libraries kept quiet, secrets masked."""
    logging.basicConfig(level=settings.log_level, handlers=[log_handler(settings)])
    logging.getLogger("alembic").setLevel(logging.WARNING)
    if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
        # httpx logs one line per request, Telegram's long polls included: DEBUG only.
        logging.getLogger("httpx").setLevel(logging.WARNING)
    install_redaction(settings)
