"""Every setting of the assistant, read in one typed place from the environment.

pydantic's BaseSettings (installed with Rasa) reads each field from the environment variable named in
its `env`; the README's configuration table is generated from the same fields
(`python -m tanya.settings --markdown`). Nothing is read at import time: call `get_settings()`.

`python -m tanya.settings --shell` prints `export NAME=value` lines for the variables Rasa's own files
need (endpoints.yml reads ACTION_ENDPOINT_URL and ACTION_SERVER_TOKEN), so shell scripts and the
Python entry points agree on one value.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path
from typing import List, Optional

from pydantic import BaseSettings, Field

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / ".data"


def _normalise_db_url(url: str) -> str:
    # Heroku-style "postgres://" is not accepted by SQLAlchemy 1.4.
    return "postgresql://" + url[len("postgres://") :] if url.startswith("postgres://") else url


class Settings(BaseSettings):
    # -- storage -------------------------------------------------------------------------------
    database_url: str = Field("", env="DATABASE_URL", description="Knowledge base and registrations (SQLAlchemy URL). Default: the SQLite file `.data/tanya.db`.")
    tracker_database_url: str = Field("", env="TRACKER_DATABASE_URL", description="Where Rasa keeps conversations. Default: `DATABASE_URL` if set, else `.data/tracker.db`.")
    secret_key: str = Field("", env="TANYA_SECRET_KEY", description="Encrypts personal data at rest (urlsafe base64, >= 32 bytes). `make run` creates a development key in `.keys/dev.env`.")

    # -- servers -------------------------------------------------------------------------------
    rasa_host: str = Field("127.0.0.1", env="RASA_HOST", description="Interface the Rasa server binds (`0.0.0.0` behind a proxy in production).")
    rasa_port: int = Field(5005, env="RASA_PORT", description="Port of the Rasa server (REST, socket.io and the channel webhooks).")
    actions_host: str = Field("127.0.0.1", env="ACTIONS_HOST", description="Interface the action server binds; loopback unless it runs on another host.")
    actions_port: int = Field(5055, env="ACTIONS_PORT", description="Port of the action server.")
    action_endpoint_url: str = Field("", env="ACTION_ENDPOINT_URL", description="The action server URL Rasa calls. Default: `http://127.0.0.1:{ACTIONS_PORT}/webhook`.")
    action_server_token: str = Field("", env="ACTION_SERVER_TOKEN", description="Shared secret Rasa sends to the action server (`Authorization: Bearer`); required by both. `make run` creates one in `.keys/dev.env`.")
    web_port: int = Field(8080, env="WEB_PORT", description="Port of the demo website with the widget (`make run`).")
    log_dir: str = Field("", env="TANYA_LOG_DIR", description="Folder of `make run`'s logs, one file per process (`actions.log`, `rasa.log`, `web.log`, `dashboard.log`, `supervisord.log`), appended across starts and rotated. Default: `.data/logs`.")
    allowed_origins: str = Field("", env="TANYA_ALLOWED_ORIGINS", description="Comma-separated origins that may open the widget's socket. Default: `cors_allowed_origins` in `credentials.yml` if listed there, else the demo page on `WEB_PORT` (`http://localhost:{WEB_PORT}`, `http://127.0.0.1:{WEB_PORT}`).")

    # -- input limits --------------------------------------------------------------------------
    max_message_chars: int = Field(1000, env="TANYA_MAX_MESSAGE_CHARS", description="Longer messages are cut at a word boundary, with a note to the user, before the NLU sees them.")
    max_request_bytes: int = Field(1048576, env="TANYA_MAX_REQUEST_BYTES", description="Largest HTTP request body the Rasa server reads (larger: HTTP 413).")

    # -- connections (Rasa server, demo web server, cluster nginx; tanya/http_limits.py) --------------
    request_timeout_seconds: float = Field(30.0, env="TANYA_REQUEST_TIMEOUT_SECONDS", description="A request's headers and body must have arrived this long after its first byte; a client that trickles them is disconnected (Rasa, the demo web server, nginx).")
    keep_alive_timeout_seconds: float = Field(5.0, env="TANYA_KEEP_ALIVE_TIMEOUT_SECONDS", description="An idle connection (or one that never sends a byte) is closed after this long.")
    max_connections_per_client: int = Field(30, env="TANYA_MAX_CONNECTIONS_PER_CLIENT", description="Open connections (websockets included) one client address may hold; more are refused. Many mobile users can share one carrier address (CGNAT): raise it rather than lower it. 0: no cap (the cluster's instances, behind nginx, which applies it).")
    max_header_bytes: int = Field(8192, env="TANYA_MAX_HEADER_BYTES", description="Largest request head (request line and headers) the Rasa server reads (at most 16384); larger: HTTP 413.")

    # -- status check (tanya/limits) -----------------------------------------------------------
    status_max_failures: int = Field(5, env="TANYA_STATUS_MAX_FAILURES", description="Failed status checks one sender (its conversation on its channel) may make within the window; then that sender's checks are locked for the window. Never the reference's: its owner can still check from their own channel.")
    status_window_minutes: int = Field(60, env="TANYA_STATUS_WINDOW_MINUTES", description="The window of the per-sender failure limit, and how long the lock lasts, in minutes.")
    status_max_failures_per_minute: int = Field(30, env="TANYA_STATUS_MAX_FAILURES_PER_MINUTE", description="Failed status checks of all senders together per minute; reaching it pauses every status check (a client that makes up senders). 0: no ceiling.")
    status_pause_minutes: int = Field(2, env="TANYA_STATUS_PAUSE_MINUTES", description="How long status checks stay paused after the global ceiling, in minutes.")

    # -- handoff limits (tanya/limits) --------------------------------------------------------------
    handoff_max_per_sender: int = Field(3, env="TANYA_HANDOFF_MAX_PER_SENDER", description="Agent-desk conversations one sender may open within the window; more get the call center instead. 0: no limit.")
    handoff_sender_window_minutes: int = Field(60, env="TANYA_HANDOFF_SENDER_WINDOW_MINUTES", description="The window of the per-sender handoff limit, in minutes.")
    handoff_max_per_minute: int = Field(40, env="TANYA_HANDOFF_MAX_PER_MINUTE", description="Agent-desk conversations all senders together may open per minute; more get the call center instead. 0: no limit.")

    # -- handoff to human agents (Chatwoot, tanya/handoff, docs/handoff.md) ---------------------
    chatwoot_url: str = Field("", env="CHATWOOT_URL", description="Base URL of the Chatwoot agent desk, e.g. `https://desk.example.go.id`. Empty: a handoff gives the call center and e-mail only.")
    chatwoot_api_token: str = Field("", env="CHATWOOT_API_TOKEN", description="Access token sent to Chatwoot's Application API as the `api_access_token` header.")
    chatwoot_account_id: str = Field("", env="CHATWOOT_ACCOUNT_ID", description="Chatwoot account that owns the inbox.")
    chatwoot_inbox_id: str = Field("", env="CHATWOOT_INBOX_ID", description="Chatwoot API-channel inbox where handed-off conversations open.")
    chatwoot_webhook_secret: str = Field("", env="CHATWOOT_WEBHOOK_SECRET", description="Secret of the Chatwoot webhook (X-Chatwoot-Signature). Empty: every agent-desk webhook is refused.")
    chatwoot_timeout_seconds: float = Field(5.0, env="CHATWOOT_TIMEOUT_SECONDS", description="Longest wait for one Chatwoot API call before the handoff falls back to the call center.")
    chatwoot_note_language: str = Field("id", env="CHATWOOT_NOTE_LANGUAGE", description="Language (`id` or `en`) of the context note agents see.")

    # -- messaging apps (WhatsApp Cloud API, Telegram; tanya/channels, docs/messaging-apps.md) ------
    whatsapp_verify_token: str = Field("", env="WHATSAPP_VERIFY_TOKEN", description="Token you choose and type into Meta's webhook settings; Meta's verification GET must carry it.")
    whatsapp_app_secret: str = Field("", env="WHATSAPP_APP_SECRET", description="The Meta app's secret: every webhook POST must be signed with it (`X-Hub-Signature-256`).")
    whatsapp_access_token: str = Field("", env="WHATSAPP_ACCESS_TOKEN", description="Access token (system user) the assistant sends replies with (`Authorization: Bearer`).")
    whatsapp_phone_number_id: str = Field("", env="WHATSAPP_PHONE_NUMBER_ID", description="Phone-number id of the WhatsApp Business number (not the number itself). The WhatsApp channel is enabled when these four are set.")
    whatsapp_api_base: str = Field("https://graph.facebook.com/v20.0", env="WHATSAPP_API_BASE", description="Graph API base URL with its pinned version (a local fake in tests).")
    telegram_bot_token: str = Field("", env="TELEGRAM_BOT_TOKEN", description="The bot's token from BotFather. The Telegram channel is enabled when it and the secret token are set.")
    telegram_secret_token: str = Field("", env="TELEGRAM_SECRET_TOKEN", description="Secret given to `setWebhook` (1-256 of A-Z a-z 0-9 _ -); updates without it in `X-Telegram-Bot-Api-Secret-Token` are refused.")
    telegram_api_base: str = Field("https://api.telegram.org", env="TELEGRAM_API_BASE", description="Telegram Bot API base URL (a local fake in tests).")

    # -- production cluster (Redis lock store, RabbitMQ event broker; docs/production.md) ----------
    redis_url: str = Field("redis://127.0.0.1:6379/1", env="REDIS_URL", description="Redis of the atomic lock store (`endpoints.cluster.yml`): `redis://[:password@]host:port/db`.")
    lock_key_prefix: str = Field("tanya", env="TANYA_LOCK_KEY_PREFIX", description="Prefix of the lock store's Redis keys (letters and digits), so several deployments can share one Redis.")
    lock_lease_seconds: float = Field(10.0, env="TANYA_LOCK_LEASE_SECONDS", description="A conversation's lock ticket expires this long after its instance last renewed it: a dead instance blocks its conversations for at most this long.")
    tracker_save_retry_seconds: float = Field(10.0, env="TANYA_TRACKER_SAVE_RETRY_SECONDS", description="How long a turn that was answered keeps trying to store itself while the tracker database is down (a restart), before it gives up with a warning.")
    rabbitmq_url: str = Field("amqp://guest:guest@127.0.0.1:5672/", env="RABBITMQ_URL", description="RabbitMQ the event broker publishes every conversation event to (`endpoints.cluster.yml`).")
    rabbitmq_queue: str = Field("tanya_events", env="RABBITMQ_QUEUE", description="Durable queue that receives every event (for downstream analytics).")
    rabbitmq_exchange: str = Field("tanya-events", env="RABBITMQ_EXCHANGE", description="Fanout exchange the events are published to; the queue is bound to it.")

    # -- staff dashboard of the deflection numbers (tanya/dashboard, docs/analytics.md) ----------
    dashboard_token: str = Field("", env="TANYA_DASHBOARD_TOKEN", description="Staff token (password) of the dashboard, at least 12 characters. Unset: the dashboard refuses to start (never open by default). Changing it logs every staff member out.")
    dashboard_host: str = Field("127.0.0.1", env="TANYA_DASHBOARD_HOST", description="Interface the dashboard binds (put it behind the HTTPS proxy in production).")
    dashboard_port: int = Field(8090, env="TANYA_DASHBOARD_PORT", description="Port of the staff dashboard (`python -m tanya.dashboard`).")
    dashboard_trusted_proxies: str = Field("", env="TANYA_DASHBOARD_TRUSTED_PROXIES", description="Comma-separated addresses or CIDR ranges of the proxies in front of the dashboard. Only from these is `X-Forwarded-For` (and `X-Forwarded-Host`) believed, so the login throttle counts each real client, not the proxy. Default: none (the TCP peer is the client).")
    dashboard_secure_cookie: bool = Field(False, env="TANYA_DASHBOARD_SECURE_COOKIE", description="Mark the login cookie `Secure` (set `true` when staff reach the dashboard over HTTPS).")

    class Config:
        case_sensitive = False

    # -- derived values ------------------------------------------------------------------------
    @property
    def knowledge_url(self) -> str:
        url = self.database_url.strip()
        return _normalise_db_url(url) if url else f"sqlite:///{DATA_DIR / 'tanya.db'}"

    @property
    def tracker_url(self) -> str:
        for url in (self.tracker_database_url.strip(), self.database_url.strip()):
            if url:
                return _normalise_db_url(url)
        return f"sqlite:///{DATA_DIR / 'tracker.db'}"

    @property
    def logs_path(self) -> Path:
        return Path(self.log_dir.strip()).expanduser().resolve() if self.log_dir.strip() else DATA_DIR / "logs"

    @property
    def action_url(self) -> str:
        return self.action_endpoint_url.strip() or f"http://127.0.0.1:{self.actions_port}/webhook"

    @property
    def chatwoot_configured(self) -> bool:
        """All four values a handoff to the agent desk needs are set."""
        return all(v.strip() for v in (self.chatwoot_url, self.chatwoot_api_token, self.chatwoot_account_id, self.chatwoot_inbox_id))

    @property
    def origins(self) -> List[str]:
        return [origin.strip().rstrip("/") for origin in self.allowed_origins.split(",") if origin.strip()]


def get_settings() -> Settings:
    """The settings as the environment gives them now (cheap: a few dozen variables; never cached, so a
    test or a command-line option that changes the environment is seen at once)."""
    return Settings()


def rasa_environment(settings: Optional[Settings] = None) -> dict:
    """Variables Rasa's endpoints.yml interpolates, with their effective values."""
    settings = settings or get_settings()
    return {"ACTION_ENDPOINT_URL": settings.action_url, "ACTION_SERVER_TOKEN": settings.action_server_token}


def apply_rasa_environment(settings: Optional[Settings] = None) -> None:
    """Fill the variables endpoints.yml needs, unless the environment already sets them."""
    for name, value in rasa_environment(settings).items():
        os.environ.setdefault(name, value)


def markdown_table() -> str:
    rows = ["| variable | default | effect |", "| --- | --- | --- |"]
    for field in Settings.__fields__.values():
        env = field.field_info.extra.get("env")
        default = field.default if field.default not in ("", None) else ""
        rows.append(f"| `{env}` | {f'`{default}`' if default != '' else ''} | {field.field_info.description} |")
    return "\n".join(rows)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Show the assistant's settings.")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--shell", action="store_true", help="export lines for the variables Rasa's files use")
    group.add_argument("--markdown", action="store_true", help="the README's configuration table")
    args = parser.parse_args(argv)
    if args.shell:
        for name, value in rasa_environment().items():
            print(f"export {name}={shlex.quote(value)}")
    else:
        print(markdown_table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
