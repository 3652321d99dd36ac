"""Settings read from the environment and `.env`, named without a prefix."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from scheduler.config import Schedule
from services.common.audit_files import AuditFiles
from services.common.policy import Policy
from services.directory.imports.limits import Limits

if TYPE_CHECKING:
    from services.documents.config import DocumentSetup

_LIMITS = Limits()  # the import limits' defaults


class Settings(BaseSettings):
    """Every setting of JointCheck; `.env.example` documents each one."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(default="sqlite+aiosqlite:///var/jointcheck.db")
    data_dir: Path = Path("var")
    log_level: str = "INFO"
    timezone: str = "Asia/Shanghai"
    default_language: str = "zh"
    conversation_ttl_hours: int = Field(default=72, ge=1)
    console_login: str = "coord"
    audit_key_file: Path | None = None  # default: DATA_DIR/audit.key
    audit_checkpoint_file: Path | None = None  # default: DATA_DIR/audit-checkpoints.txt

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_group_chat_id: str | None = None
    # A self-hosted Bot API server started with --local: files of any size (up to the
    # evidence limit) instead of the official server's 20 MB.
    telegram_local_mode: bool = False

    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8080, ge=1, le=65535)
    # Operations: /metrics on a port of its own (none when unset), bound to METRICS_HOST;
    # METRICS_TOKEN asks for `Authorization: Bearer`; /readyz wants a scheduler heartbeat
    # younger than READYZ_HEARTBEAT_SECONDS; LOG_FORMAT=json writes JSON lines.
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    metrics_host: str = "127.0.0.1"
    metrics_token: SecretStr | None = None
    readyz_heartbeat_seconds: int = Field(default=180, ge=60)
    log_format: str = Field(default="text", pattern=r"^(text|json)$")

    wecom_corp_id: str | None = None
    wecom_agent_id: str | None = None
    wecom_secret: SecretStr | None = None
    wecom_token: SecretStr | None = None
    wecom_encoding_aes_key: SecretStr | None = None
    wecom_robot_key: SecretStr | None = None
    wecom_api_base_url: str = "https://qyapi.weixin.qq.com"

    scheduler_enabled: bool = True
    outbox_grace_minutes: int = Field(default=60, ge=0)
    weekly_summary_day: int = Field(default=0, ge=0, le=6)  # 0 = Monday
    weekly_summary_time: str = Field(default="09:00", pattern=r"^\d{2}:\d{2}$")
    meeting_reminder_offsets: str = "1d,1h"
    reminder_lookahead_days: int = Field(default=14, ge=1, le=60)
    invite_ttl_days: int = Field(default=7, ge=1)
    notice_number_pattern: str = "乐市监责改〔{year}〕{seq}号"
    notice_deadline_working_days: int = Field(default=15, ge=1, le=365)
    objection_review_working_days: int = Field(default=15, ge=1, le=365)
    abnormal_proposal_working_days: int = Field(default=10, ge=1, le=365)
    objection_limit_per_address: int = Field(default=5, ge=1)
    objection_limit_window_hours: int = Field(default=24, ge=1, le=24 * 31)
    evidence_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    # Beyond this distance from the registered place, a check's location is flagged.
    onsite_radius_meters: int = Field(default=500, ge=1)
    evidence_types: str = (
        "image/jpeg,image/png,application/pdf,video/mp4,"
        "audio/mp4,audio/aac,audio/mpeg,audio/wav,audio/amr,audio/ogg"
    )
    # The public site's address as people reach it (https://...): signature links and the
    # QR codes of printed documents point there. None: http://WEB_HOST:WEB_PORT.
    public_base_url: str | None = Field(default=None, pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$")
    signature_link_minutes: int = Field(default=30, ge=1, le=24 * 60)
    # A district's own document templates (notice.docx, order.typ, documents.toml, ...).
    templates_dir: Path | None = None
    # The coded tree of result categories; None: services/records/result_codes.toml.
    result_codes_file: Path | None = None
    # Columns (order, headers) of `export results` for the province; None: the platforms'.
    results_export_template: Path | None = None

    import_max_rows: int = Field(default=_LIMITS.max_rows, ge=1)
    import_max_columns: int = Field(default=_LIMITS.max_columns, ge=1, le=16_384)
    import_max_blank_rows: int = Field(default=_LIMITS.max_blank_rows, ge=0)
    import_max_part_mb: int = Field(default=_LIMITS.max_part_mb, ge=1)
    import_max_zip_ratio: int = Field(default=_LIMITS.max_zip_ratio, ge=1)
    import_max_cell_chars: int = Field(default=_LIMITS.max_cell_chars, ge=2000)
    import_check_seconds: int = Field(default=_LIMITS.check_seconds, ge=1)
    import_check_memory_mb: int = Field(default=_LIMITS.check_memory_mb, ge=256)
    # Scheduled backups: "daily HH:MM" (Asia/Shanghai) or five crontab fields; "" = off.
    backup_schedule: str = Field(
        default="", pattern=r"^(|daily ([01]\d|2[0-3]):[0-5]\d|(\S+\s+){4}\S+)$"
    )
    backup_dir: Path = Path("backups")
    backup_keep: int = Field(default=7, ge=1)

    def reminder_offsets(self) -> list[timedelta]:
        """Meeting reminder offsets: "1d,1h,30m" means a day, an hour and 30 minutes before."""
        units = {"d": timedelta(days=1), "h": timedelta(hours=1), "m": timedelta(minutes=1)}
        out = []
        for part in self.meeting_reminder_offsets.split(","):
            part = part.strip()
            if part:
                out.append(int(part[:-1]) * units[part[-1]])
        return out

    def policy(self) -> Policy:
        """The local-practice values handlers need."""
        return Policy(
            notice_pattern=self.notice_number_pattern,
            notice_deadline_days=self.notice_deadline_working_days,
            evidence_max_bytes=self.evidence_max_bytes,
            evidence_types=tuple(t.strip() for t in self.evidence_types.split(",") if t.strip()),
            onsite_radius_meters=self.onsite_radius_meters,
            invite_ttl=timedelta(days=self.invite_ttl_days),
            announce_chats=self.announce_chats(),
            objection_review_days=self.objection_review_working_days,
            abnormal_proposal_days=self.abnormal_proposal_working_days,
            objection_limit=self.objection_limit_per_address,
            objection_window=timedelta(hours=self.objection_limit_window_hours),
        )

    def import_limits(self) -> Limits:
        """The bounds an imported file is held to, and the checking worker's budget."""
        return Limits(
            max_rows=self.import_max_rows,
            max_columns=self.import_max_columns,
            max_blank_rows=self.import_max_blank_rows,
            max_part_mb=self.import_max_part_mb,
            max_zip_ratio=self.import_max_zip_ratio,
            max_cell_chars=self.import_max_cell_chars,
            check_seconds=self.import_check_seconds,
            check_memory_mb=self.import_check_memory_mb,
        )

    def schedule(self) -> Schedule:
        """The values the scheduler needs: weekly summary time, reminder horizon, grace."""
        hour, minute = (int(x) for x in self.weekly_summary_time.split(":"))
        return Schedule(
            summary_weekday=self.weekly_summary_day,
            summary_at=time(hour, minute),
            lookahead=timedelta(days=self.reminder_lookahead_days),
            grace=timedelta(minutes=self.outbox_grace_minutes),
        )

    def announce_chats(self) -> tuple[tuple[str, str], ...]:
        """Group chats for announcements: the Telegram group and the WeCom robot, if set."""
        chats: list[tuple[str, str]] = []
        if self.telegram_group_chat_id:
            chats.append(("telegram", self.telegram_group_chat_id))
        if self.wecom_robot_key is not None:
            chats.append(("wecom-robot", "robot"))
        return tuple(chats)

    def audit_files(self) -> AuditFiles:
        """Where the audit key and the audit checkpoint file are kept."""
        return AuditFiles.of(self.data_dir, self.audit_key_file, self.audit_checkpoint_file)

    def document_setup(self) -> DocumentSetup:
        """TEMPLATES_DIR and the public site's address (PUBLIC_BASE_URL, else the web app's)."""
        from services.documents.config import DocumentSetup

        site = self.public_base_url or f"http://{self.web_host}:{self.web_port}"
        return DocumentSetup(templates_dir=self.templates_dir, site_url=site.rstrip("/"))

    def sqlite_path(self) -> Path | None:
        """The SQLite file of `database_url`, or None for another database."""
        prefix = "sqlite+aiosqlite:///"
        if not self.database_url.startswith(prefix):
            return None
        rest = self.database_url[len(prefix) :]
        return None if rest in ("", ":memory:") else Path(rest)
