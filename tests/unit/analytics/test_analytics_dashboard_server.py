"""The staff dashboard's server, started as `python -m tanya.dashboard` on a free port: it never runs
without a token, refuses wrong tokens, keeps its data behind the signed cookie, and serves the very
report the command builds."""

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import urllib.parse
from datetime import date

import pytest
from analytics_events import SINCE, UNTIL, write_tracker_database

from tanya.analytics.definitions import DEFAULT_DEFINITIONS_PATH, load_definitions
from tanya.analytics.service import report_from_database
from tanya.dashboard.auth import LoginThrottle, Sessions
from tanya.settings import PROJECT_ROOT

TOKEN = "unit-test-staff-token-1"
COOKIE = "tanya_dashboard"


class Dashboard:
    def __init__(self, workdir, url, definitions=DEFAULT_DEFINITIONS_PATH, env=None):
        from tests.support.stack import free_port, wait_http

        self.port, self.log = free_port(), workdir / f"dashboard-{os.getpid()}-{id(self)}.log"
        env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "TANYA_DASHBOARD_TOKEN": TOKEN, **(env or {})}
        with open(self.log, "w", encoding="utf-8") as handle:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tanya.dashboard", "--port", str(self.port), "--database-url", url, "--definitions", str(definitions)],
                cwd=PROJECT_ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
            )
        wait_http(f"http://127.0.0.1:{self.port}/login", 60, self.process, self.log)

    def request(self, method, path, form=None, cookie=None, headers=None, same_origin=True):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = dict(headers or {})
        if method == "POST" and same_origin:  # what a browser sends with the dashboard's own forms
            sent.setdefault("Origin", f"http://127.0.0.1:{self.port}")
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if cookie:
            sent["Cookie"] = f"{COOKIE}={cookie}" if "=" not in cookie else cookie
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        result = response.status, response.headers, response.read().decode("utf-8")
        connection.close()
        return result

    def login(self, token=TOKEN):
        status, headers, _ = self.request("POST", "/login", {"token": token, "lang": "en"})
        assert status == 303, status
        match = re.search(rf"{COOKIE}=([^;]+)", headers["Set-Cookie"])
        return match.group(1)

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        text = self.log.read_text(encoding="utf-8")
        assert "Traceback" not in text and " ERROR " not in text, text


@pytest.fixture(scope="module")
def tracker_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('dashboard') / 'tracker.db'}"
    write_tracker_database(url)
    return url


@pytest.fixture(scope="module")
def dashboard(tracker_url, tmp_path_factory):
    running = Dashboard(tmp_path_factory.mktemp("dashboard-log"), tracker_url)
    yield running
    running.stop()


def start_without(token_value):
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "TANYA_DASHBOARD_TOKEN": token_value}
    return subprocess.run([sys.executable, "-m", "tanya.dashboard", "--port", "1"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_it_refuses_to_start_without_a_token_or_with_a_short_one():
    unset = start_without("")
    assert unset.returncode == 2 and "TANYA_DASHBOARD_TOKEN is not set" in unset.stderr and "Traceback" not in unset.stderr
    short = start_without("abc")
    assert short.returncode == 2 and "too short" in short.stderr


def test_without_login_the_page_redirects_and_the_data_answers_401(dashboard):
    status, headers, _ = dashboard.request("GET", "/?since=2026-11-30")
    assert status == 303 and headers["Location"].startswith("/login")
    for path in ("/api/report", "/api/labels"):
        status, headers, body = dashboard.request("GET", path + "?lang=en")
        assert status == 401 and json.loads(body) == {"error": "Please log in first."}
    status, _, body = dashboard.request("GET", "/login")
    assert status == 200 and 'type="password"' in body and "Masuk dasbor staf" in body


def test_a_wrong_token_is_refused_and_sets_no_cookie(dashboard):
    status, headers, body = dashboard.request("POST", "/login", {"token": TOKEN + "x", "lang": "en"})
    assert status == 401 and "Set-Cookie" not in headers and "Wrong token" in body
    status, headers, _ = dashboard.request("POST", "/login", {"lang": "id"})
    assert status == 401 and "Set-Cookie" not in headers


def test_a_login_gives_an_httponly_strict_signed_cookie_and_the_report_of_the_command(dashboard, tracker_url):
    status, headers, _ = dashboard.request("POST", "/login", {"token": TOKEN, "lang": "en"})
    assert status == 303 and headers["Location"] == "/?lang=en"
    cookie_header = headers["Set-Cookie"]
    assert "HttpOnly" in cookie_header and "SameSite=Strict" in cookie_header and "Path=/" in cookie_header
    cookie = re.search(rf"{COOKIE}=([^;]+)", cookie_header).group(1)
    status, _, page = dashboard.request("GET", "/", cookie=cookie)
    assert status == 200 and "/assets/chart.umd.js" in page and "cdn" not in page.lower()
    status, _, body = dashboard.request("GET", f"/api/report?since={SINCE}&until={UNTIL}", cookie=cookie)
    assert status == 200
    served = json.loads(body)
    expected = report_from_database(tracker_url, load_definitions(), date.fromisoformat(SINCE), date.fromisoformat(UNTIL))
    served["period"].pop("as_of"), expected["period"].pop("as_of")
    assert served == expected  # the same function: no second copy of any number
    assert served["sessions"] == 11 and served["top_unanswered"][0]["count"] == 3


def test_a_forged_or_altered_cookie_is_refused(dashboard):
    cookie = dashboard.login()
    expires, nonce, signature = cookie.split(".")
    for forged in (f"{int(expires) + 3600}.{nonce}.{signature}", f"{expires}.{nonce}.{'0' * 64}", "1.2", "garbage"):
        status, _, _ = dashboard.request("GET", "/api/report", cookie=forged)
        assert status == 401, forged


def test_logout_ends_the_session_even_for_a_copied_cookie(dashboard):
    cookie = dashboard.login()
    assert dashboard.request("GET", "/api/labels", cookie=cookie)[0] == 200
    status, headers, _ = dashboard.request("POST", "/logout", {"lang": "en"}, cookie=cookie)
    assert status == 303 and headers["Location"].startswith("/login?bye=1")
    assert f"{COOKIE}=\"\"" in headers["Set-Cookie"] or "Max-Age=0" in headers["Set-Cookie"]
    assert dashboard.request("GET", "/api/labels", cookie=cookie)[0] == 401
    status, _, body = dashboard.request("GET", "/login?bye=1&lang=en")
    assert "You are logged out." in body


def test_labels_come_in_both_languages_with_the_same_keys(dashboard):
    cookie = dashboard.login()
    status, _, body = dashboard.request("GET", "/api/labels", cookie=cookie)
    labels = json.loads(body)["labels"]
    assert set(labels) == {"id", "en"} and set(labels["id"]) == set(labels["en"])
    assert labels["en"]["containment_rate"] == "Containment rate" and labels["id"]["field_reg_nik"] == "NIK"


def test_bad_parameters_and_unknown_paths_get_polite_answers_without_traces(dashboard):
    cookie = dashboard.login()
    status, _, body = dashboard.request("GET", "/api/report?since=kemarin&lang=id", cookie=cookie)
    assert status == 400 and json.loads(body) == {"error": "Tanggal tidak valid: gunakan format TTTT-BB-HH."}
    status, _, body = dashboard.request("GET", "/api/report?since=2026-12-02&until=2026-12-01&lang=en", cookie=cookie)
    assert status == 400 and "start date" in json.loads(body)["error"]
    status, _, body = dashboard.request("GET", "/assets/../../tanya/settings.py")
    assert status == 404 and "Traceback" not in body
    status, headers, body = dashboard.request("GET", "/.env", headers={"Accept-Language": "en-GB"})
    assert status == 404 and body.strip() == "Page not found."
    assert headers["Server"] == "tanya-dashboard" and "script-src 'self'" in headers["Content-Security-Policy"]
    status, _, body = dashboard.request("PUT", "/api/report", cookie=cookie)
    assert status == 405 and "error" in json.loads(body)


def test_assets_are_served_locally_without_login(dashboard):
    status, headers, body = dashboard.request("GET", "/assets/chart.umd.js")
    assert status == 200 and "Chart.js v4.4.9" in body[:200] and headers["Content-Type"].startswith("text/javascript")
    assert dashboard.request("GET", "/assets/dashboard.js")[0] == 200
    assert dashboard.request("GET", "/assets/package.json")[0] == 404


def test_too_many_wrong_tokens_are_refused_for_a_minute(tracker_url, tmp_path):
    definitions = tmp_path / "definitions.yml"
    text = DEFAULT_DEFINITIONS_PATH.read_text(encoding="utf-8")
    definitions.write_text(text.replace("max_failed_logins_per_minute: 10", "max_failed_logins_per_minute: 2"), encoding="utf-8")
    strict = Dashboard(tmp_path, tracker_url, definitions)
    try:
        assert [strict.request("POST", "/login", {"token": "nope-nope-nope"})[0] for _ in range(3)] == [401, 401, 429]
        status, headers, body = strict.request("POST", "/login", {"token": TOKEN, "lang": "en"})
        assert status == 429 and "Set-Cookie" not in headers and "Too many wrong attempts" in body
    finally:
        strict.stop()


def test_sessions_expire_and_tokens_compare_by_value():
    now = [1000.0]
    sessions = Sessions("a-long-staff-token", "secret", 60, clock=lambda: now[0])
    cookie = sessions.issue()
    assert sessions.valid(cookie) and sessions.token_matches("a-long-staff-token") and not sessions.token_matches("a-long-staff-toke")
    now[0] += 61
    assert not sessions.valid(cookie)
    other = Sessions("another-staff-token", "secret", 60, clock=lambda: now[0])
    assert not other.valid(sessions.issue())  # a new token invalidates every cookie
    clock = [0.0]
    throttle = LoginThrottle(2, clock=lambda: clock[0])
    throttle.failed("a"), throttle.failed("a")
    assert throttle.blocked("a") and not throttle.blocked("b")
    clock[0] = 61
    assert not throttle.blocked("a")


def test_a_post_from_another_site_cannot_log_staff_out_or_in(dashboard):
    cookie = dashboard.login()
    own = f"http://127.0.0.1:{dashboard.port}"
    for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site", "Origin": own},
                    {"Sec-Fetch-Site": "same-site"}, {}):
        status, _, body = dashboard.request("POST", "/logout", {"lang": "en"}, cookie=cookie, headers=headers, same_origin=bool(headers))
        assert status == 403 and "tidak berasal dari halaman dasbor" in body, headers
        status, _, _ = dashboard.request("POST", "/login", {"token": TOKEN, "lang": "en"}, headers=headers, same_origin=bool(headers))
        assert status == 403, headers
    assert dashboard.request("GET", "/api/labels", cookie=cookie)[0] == 200  # still logged in
    status, _, _ = dashboard.request("POST", "/logout", {"lang": "en"}, cookie=cookie, headers={"Sec-Fetch-Site": "same-origin"}, same_origin=False)
    assert status == 303 and dashboard.request("GET", "/api/labels", cookie=cookie)[0] == 401


@pytest.mark.parametrize("query", ["until=9999-12-31", "since=0001-01-01", "since=1999-12-31&until=2000-01-02",
                                   "since=2000-01-01&until=2099-01-01", "until=2101-01-01"])
def test_out_of_range_dates_get_a_clear_400(dashboard, query):
    cookie = dashboard.login()
    status, _, body = dashboard.request("GET", f"/api/report?{query}&lang=en", cookie=cookie)
    assert status == 400 and json.loads(body) == {"error": "Dates must be between 2000-01-01 and 2100-12-31, and the period at most 10 years long."}


def test_the_throttle_counts_real_clients_behind_a_trusted_proxy_and_never_refuses_a_known_device(tracker_url, tmp_path):
    definitions = tmp_path / "definitions.yml"
    text = DEFAULT_DEFINITIONS_PATH.read_text(encoding="utf-8")
    definitions.write_text(text.replace("max_failed_logins_per_minute: 10", "max_failed_logins_per_minute: 2"), encoding="utf-8")
    proxied = Dashboard(tmp_path, tracker_url, definitions, env={"TANYA_DASHBOARD_TRUSTED_PROXIES": "127.0.0.1/32"})
    try:
        attacker, staff = {"X-Forwarded-For": "203.0.113.9"}, {"X-Forwarded-For": "198.51.100.7"}
        # A device that logged in before: its device cookie
        status, headers, _ = proxied.request("POST", "/login", {"token": TOKEN, "lang": "en"}, headers=dict(staff))
        assert status == 303
        device = re.search(r"tanya_dashboard_device=([^;]+)", " ".join(headers.get_all("Set-Cookie"))).group(1)
        codes = [proxied.request("POST", "/login", {"token": "nope-nope-nope"}, headers=dict(attacker))[0] for _ in range(3)]
        assert codes == [401, 401, 429]
        # the attacker is throttled; another client behind the same proxy is not
        assert proxied.request("POST", "/login", {"token": TOKEN}, headers=dict(attacker))[0] == 429
        assert proxied.request("POST", "/login", {"token": TOKEN}, headers=dict(staff))[0] == 303
        # a spoofed X-Forwarded-For prefix changes nothing: the proxy's own entry (the right end) counts
        assert proxied.request("POST", "/login", {"token": TOKEN}, headers={"X-Forwarded-For": "198.51.100.7, 203.0.113.9"})[0] == 429
        # even from the throttled address, the right token with a known device's cookie gets in
        status, _, _ = proxied.request("POST", "/login", {"token": TOKEN}, headers=dict(attacker), cookie=f"tanya_dashboard_device={device}")
        assert status == 303
    finally:
        proxied.stop()


def test_without_trusted_proxies_x_forwarded_for_is_ignored(tracker_url, tmp_path):
    definitions = tmp_path / "definitions.yml"
    text = DEFAULT_DEFINITIONS_PATH.read_text(encoding="utf-8")
    definitions.write_text(text.replace("max_failed_logins_per_minute: 10", "max_failed_logins_per_minute: 1"), encoding="utf-8")
    direct = Dashboard(tmp_path, tracker_url, definitions)
    try:
        assert direct.request("POST", "/login", {"token": "nope-nope-nope"}, headers={"X-Forwarded-For": "203.0.113.1"})[0] == 401
        assert direct.request("POST", "/login", {"token": "nope-nope-nope"}, headers={"X-Forwarded-For": "203.0.113.2"})[0] == 429
    finally:
        direct.stop()
