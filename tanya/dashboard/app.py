"""The dashboard's HTTP app: login, the page, its assets, the report and the labels as JSON.

Routes: GET /login, POST /login, POST /logout (public, the login itself; every POST only from the
dashboard's own page, tanya.dashboard.requests, and the login throttle keyed on the real client address); GET /assets/<file> (public:
the page's own code and Chart.js, no data); GET / (the page), GET /api/report, GET /api/labels (staff
only: the page redirects to /login, JSON answers 401). Errors never show a stack trace: JSON for /api,
a short text otherwise, in the request's language.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import string
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Dict, Optional, Sequence, Tuple

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from tanya.analytics.definitions import Definitions
from tanya.analytics.reader import TrackerStoreError
from tanya.analytics.service import report_from_database
from tanya.dashboard.auth import LoginThrottle, Sessions
from tanya.dashboard.labels import catalogue, label
from tanya.dashboard.requests import Network, client_address, is_trusted, same_origin
from tanya.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from tanya.settings import PROJECT_ROOT

logger = logging.getLogger(__name__)

WEB_DIR = PROJECT_ROOT / "web"
PAGE = WEB_DIR / "dashboard" / "index.html"
LOGIN_PAGE = WEB_DIR / "dashboard" / "login.html"
CHART_JS = WEB_DIR / "vendor" / "chart.umd.js"
ASSETS: Dict[str, Tuple[Path, str]] = {
    "dashboard.js": (WEB_DIR / "dashboard" / "dashboard.js", "text/javascript"),
    "dashboard.css": (WEB_DIR / "dashboard" / "dashboard.css", "text/css"),
    "chart.umd.js": (CHART_JS, "text/javascript"),
}
COOKIE = "tanya_dashboard"
# Set on a successful login: a device that knew the token is never throttled for others' wrong tokens.
DEVICE_COOKIE = "tanya_dashboard_device"
DEVICE_DAYS = 90
# Reports cover days between these, at most MAX_PERIOD_DAYS long (a date like 9999-12-31 overflowed).
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
MAX_PERIOD_DAYS = 3660
MAX_FILTER_CHARS = 64
MAX_BODY_BYTES = 16 * 1024
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


@dataclass(frozen=True)
class Config:
    database_url: str
    definitions: Definitions
    token: str
    secret_key: str = ""
    secure_cookie: bool = False
    trusted_proxies: Sequence[Network] = ()


CONFIG = web.AppKey("config", Config)
SESSIONS = web.AppKey("sessions", Sessions)
THROTTLE = web.AppKey("throttle", LoginThrottle)
DEVICES = web.AppKey("devices", Sessions)


class BadRequest(ValueError):
    """A parameter the report cannot use; its message is a label name."""


def request_language(request: web.Request) -> str:
    wanted = request.query.get("lang", "")
    if wanted in SUPPORTED_LANGUAGES:
        return wanted
    accepted = request.headers.get("Accept-Language", "").lower()
    return "en" if accepted.startswith("en") else DEFAULT_LANGUAGE


def logged_in(request: web.Request) -> bool:
    return request.app[SESSIONS].valid(request.cookies.get(COOKIE))


def _json_error(status: int, name: str, language: str) -> web.Response:
    return web.json_response({"error": label(name, language)}, status=status)


def _text_error(status: int, name: str, language: str) -> web.Response:
    return web.Response(status=status, text=label(name, language) + "\n", content_type="text/plain", charset="utf-8")


def _error(request: web.Request, status: int, name: str) -> web.Response:
    language = request_language(request)
    return (_json_error if request.path.startswith("/api/") else _text_error)(status, name, language)


@web.middleware
async def errors_middleware(request: web.Request, handler):
    try:
        return await handler(request)
    except web.HTTPException as error:
        if error.status in (404, 405):
            return _error(request, error.status, "error_not_found")
        raise
    except asyncio.CancelledError:
        raise
    except Exception as error:  # noqa: BLE001 - one line in the log, never a trace to the client
        logger.warning("dashboard: %s while serving %s", error.__class__.__name__, request.path)
        return _error(request, 500, "error_internal")


def _own_host(request: web.Request) -> Optional[str]:
    """The host the browser addressed: the proxy's X-Forwarded-Host when the peer is a trusted proxy."""
    config = request.app[CONFIG]
    forwarded = request.headers.get("X-Forwarded-Host")
    if forwarded and is_trusted(request.remote or "", config.trusted_proxies):
        return forwarded.split(",")[0].strip()
    return request.host


@web.middleware
async def same_origin_middleware(request: web.Request, handler):
    """Every POST (login, logout) must come from the dashboard's own page: 403 and a polite page otherwise."""
    if request.method == "POST" and not same_origin(request.headers, _own_host(request)):
        logger.warning("dashboard: a POST to %s from another site was refused", request.path)
        return render_login(request_language(request), 403, "cross_site_refused", failed=True)
    return await handler(request)


async def security_headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers["Server"] = "tanya-dashboard"  # no version banner
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"


# -- login ---------------------------------------------------------------------------------------

def render_login(language: str, status: int = 200, message: Optional[str] = None, failed: bool = False) -> web.Response:
    t = catalogue()[language]
    other = "en" if language == "id" else "id"
    values = {
        "lang": language,
        "title": t["login_title"],
        "heading": t["title"],
        "intro": t["login_intro"],
        "token_label": t["token"],
        "login": t["login"],
        "message": t[message] if message else "",
        "message_class": "message error" if failed else ("message" if message else "message empty"),
        "other_lang": other,
        "other_lang_label": t["language_" + other],
    }
    template = string.Template(LOGIN_PAGE.read_text(encoding="utf-8"))
    body = template.substitute({key: html.escape(value, quote=True) for key, value in values.items()})
    return web.Response(status=status, text=body, content_type="text/html", charset="utf-8")


async def _form(request: web.Request):
    """The posted form; an empty one for a body that is not a form (bytes that are not UTF-8, say)."""
    try:
        return await request.post()
    except ValueError:  # UnicodeDecodeError included
        return {}


async def login_page(request: web.Request) -> web.Response:
    language = request_language(request)
    if logged_in(request):
        return web.Response(status=303, headers={"Location": "/"})
    return render_login(language, message="logged_out" if request.query.get("bye") else None)


async def login(request: web.Request) -> web.Response:
    config, sessions, throttle = request.app[CONFIG], request.app[SESSIONS], request.app[THROTTLE]
    devices = request.app[DEVICES]
    client = client_address(request.remote, request.headers.get("X-Forwarded-For"), config.trusted_proxies)
    form = await _form(request)
    language = form.get("lang") if form.get("lang") in SUPPORTED_LANGUAGES else request_language(request)
    known_device = devices.valid(request.cookies.get(DEVICE_COOKIE))
    if not known_device and throttle.blocked(client):
        return render_login(language, 429, "login_throttled", failed=True)
    token = form.get("token")
    if not isinstance(token, str) or not sessions.token_matches(token):
        throttle.failed(client)
        logger.warning("dashboard: a login with a wrong token was refused")
        return render_login(language, 401, "login_failed", failed=True)
    response = web.Response(status=303, headers={"Location": f"/?lang={language}"})
    response.set_cookie(
        COOKIE, sessions.issue(), max_age=int(sessions.lifetime), path="/", httponly=True, samesite="Strict",
        secure=config.secure_cookie,
    )
    response.set_cookie(
        DEVICE_COOKIE, devices.issue(), max_age=int(devices.lifetime), path="/login", httponly=True, samesite="Strict",
        secure=config.secure_cookie,
    )
    return response


async def logout(request: web.Request) -> web.Response:
    request.app[SESSIONS].revoke(request.cookies.get(COOKIE))
    form = await _form(request)
    language = form.get("lang") if form.get("lang") in SUPPORTED_LANGUAGES else request_language(request)
    response = web.Response(status=303, headers={"Location": f"/login?bye=1&lang={language}"})
    response.del_cookie(COOKIE, path="/")
    return response


# -- the page and its data -------------------------------------------------------------------------

async def page(request: web.Request) -> web.Response:
    if not logged_in(request):
        return web.Response(status=303, headers={"Location": f"/login?lang={request_language(request)}"})
    return web.Response(text=PAGE.read_text(encoding="utf-8"), content_type="text/html", charset="utf-8")


async def asset(request: web.Request) -> web.Response:
    entry = ASSETS.get(request.match_info["name"])
    if entry is None or not entry[0].is_file():
        return _error(request, 404, "error_not_found")
    path, content_type = entry
    return web.Response(body=path.read_bytes(), content_type=content_type, charset="utf-8")


def _day(text: Optional[str]) -> Optional[date]:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadRequest("error_bad_date") from None


def _filter(text: Optional[str]) -> Optional[str]:
    text = (text or "").strip()
    return text[:MAX_FILTER_CHARS] or None


def report_parameters(query, definitions: Definitions, today: date) -> Dict:
    """since/until (default: the last `default_days` days up to today), channel, language."""
    until = _day(query.get("until")) or today
    if not FIRST_DAY <= until <= LAST_DAY:
        raise BadRequest("error_date_range")  # before `until - timedelta`, which overflows near year 1
    since = _day(query.get("since")) or until - timedelta(days=definitions.dashboard_default_days - 1)
    if since > until:
        raise BadRequest("error_dates_order")
    if since < FIRST_DAY or until > LAST_DAY or (until - since).days >= MAX_PERIOD_DAYS:
        raise BadRequest("error_date_range")
    return {"since": since, "until": until, "channel": _filter(query.get("channel")), "language": _filter(query.get("language"))}


async def report(request: web.Request) -> web.Response:
    language = request_language(request)
    if not logged_in(request):
        return _json_error(401, "error_login_required", language)
    config = request.app[CONFIG]
    today = datetime.now(config.definitions.zone).date()
    try:
        parameters = report_parameters(request.query, config.definitions, today)
    except BadRequest as problem:
        return _json_error(400, str(problem), language)
    loop = asyncio.get_running_loop()
    try:
        numbers = await loop.run_in_executor(
            None,
            lambda: report_from_database(config.database_url, config.definitions, **parameters),
        )
    except (TrackerStoreError, SQLAlchemyError) as error:
        logger.warning("dashboard: the tracker store cannot be read (%s)", error.__class__.__name__)
        return _json_error(503, "error_unavailable", language)
    return web.json_response(numbers, dumps=lambda data: json.dumps(data, ensure_ascii=False))


async def labels(request: web.Request) -> web.Response:
    if not logged_in(request):
        return _json_error(401, "error_login_required", request_language(request))
    return web.json_response(
        {"languages": list(SUPPORTED_LANGUAGES), "labels": catalogue()},
        dumps=lambda data: json.dumps(data, ensure_ascii=False),
    )


def build_app(config: Config) -> web.Application:
    app = web.Application(middlewares=[errors_middleware, same_origin_middleware], client_max_size=MAX_BODY_BYTES)
    app[CONFIG] = config
    app[SESSIONS] = Sessions(config.token, config.secret_key, config.definitions.dashboard_session_hours * 3600)
    app[THROTTLE] = LoginThrottle(config.definitions.dashboard_max_failed_logins)
    app[DEVICES] = Sessions(config.token, config.secret_key + "\0device", DEVICE_DAYS * 86400)
    app.router.add_get("/", page)
    app.router.add_get("/login", login_page)
    app.router.add_post("/login", login)
    app.router.add_post("/logout", logout)
    app.router.add_get("/api/report", report)
    app.router.add_get("/api/labels", labels)
    app.router.add_get("/assets/{name}", asset)
    app.on_response_prepare.append(security_headers)
    return app
