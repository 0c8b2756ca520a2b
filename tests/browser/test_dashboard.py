"""The staff dashboard in a real browser (headless Debian Chromium via Playwright).

The dashboard runs as `python -m tanya.dashboard` on a free port over a tracker database written by
Rasa's SQLTrackerStore from the prepared conversations (tests/unit/analytics/analytics_events.py):
no Rasa server is needed. The tests log in (a wrong token first), check that Chart.js drew every
chart, that the unanswered list shows masked numbers only, that the labels switch language, and
leave artifacts/screenshots/dashboard.png (and dashboard-en.png) to look at.
"""

import os
import subprocess

import pytest

from tests.support.stack import PYTHON, ROOT, free_port, wait_http
from tests.unit.analytics.analytics_events import MASKED_NIK_QUESTION

SCREENSHOTS = ROOT / "artifacts" / "screenshots"
TOKEN = "browser-test-staff-token"
PERIOD = "since=2026-11-30&until=2026-12-02"
TIMEOUT_MS = 20000
CLEAR_NUMBERS = ("3273 0155 0101 0001", "3273015501010001", "0812-3456-7890", "081234567890")

# Non-transparent pixels of a canvas: Chart.js has drawn into it.
DRAWN_PIXELS = """(id) => {
  const canvas = document.getElementById(id);
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let drawn = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) drawn++;
  return drawn;
}"""


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("dashboard")
    url = f"sqlite:///{workdir / 'tracker.db'}"
    # In a process of its own: Playwright's event loop runs in this one, and Rasa's store is async.
    seed = f"from tests.unit.analytics.analytics_events import write_tracker_database; write_tracker_database({url!r})"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TANYA_DASHBOARD_TOKEN": TOKEN}
    subprocess.run([PYTHON, "-c", seed], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    port = free_port()
    log = workdir / "dashboard.log"
    with open(log, "w", encoding="utf-8") as handle:
        process = subprocess.Popen(
            [PYTHON, "-m", "tanya.dashboard", "--port", str(port), "--database-url", url],
            cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    wait_http(base + "/login", 60, process, log)
    yield base
    process.terminate()
    process.wait(timeout=30)
    text = log.read_text(encoding="utf-8")
    assert "Traceback" not in text and " ERROR " not in text, text


@pytest.fixture
def staff_page(browser, dashboard):
    """A fresh browser context; console errors and CSP violations are collected and must stay empty."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID")
    page = context.new_page()
    page.problems = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()


def log_in(page, dashboard, token):
    page.goto(f"{dashboard}/?{PERIOD}")
    page.wait_for_url("**/login**")
    page.fill("#token", token)
    with page.expect_response(lambda response: response.url.endswith("/login") and response.request.method == "POST") as answer:
        page.click("#login-form button[type=submit]")
    return answer.value


def open_dashboard(page, dashboard):
    response = log_in(page, dashboard, TOKEN)
    assert response.status == 303
    page.goto(f"{dashboard}/?{PERIOD}")
    page.locator("body[data-ready=true]").wait_for(timeout=TIMEOUT_MS)


def test_a_wrong_token_is_refused(staff_page, dashboard):
    response = log_in(staff_page, dashboard, "not-the-staff-token")
    assert response.status == 401
    assert staff_page.locator("#login-message").inner_text() == "Token salah. Silakan coba lagi."
    assert not [c for c in staff_page.context.cookies() if c["name"] == "tanya_dashboard"]
    # The data stays closed to this browser.
    status = staff_page.evaluate("() => fetch('/api/report').then(r => r.status)")
    assert status == 401
    assert staff_page.problems == [] or all("401" in problem for problem in staff_page.problems)


def test_login_draws_the_charts_and_masks_the_unanswered_questions(staff_page, dashboard):
    page = staff_page
    open_dashboard(page, dashboard)
    cookie = next(c for c in page.context.cookies() if c["name"] == "tanya_dashboard")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert "tanya_dashboard" not in page.evaluate("() => document.cookie")

    # Chart.js (from /assets, no CDN) made three charts, and each canvas has pixels drawn in it.
    assert page.evaluate("() => Object.keys(window.Chart.instances).length") == 3
    assert page.evaluate("() => window.Chart.version") == "4.4.9"
    for canvas in ("chart-rates", "chart-funnel", "chart-csat"):
        assert page.evaluate(DRAWN_PIXELS, canvas) > 500, canvas
    rates = page.evaluate("() => Chart.getChart('chart-rates').data")
    assert rates["labels"] == ["2026-11-30", "2026-12-01", "2026-12-02"]
    assert [dataset["label"] for dataset in rates["datasets"]] == ["Tingkat containment", "Tingkat pengalihan", "Tingkat fallback"]
    funnel = page.evaluate("() => Chart.getChart('chart-funnel').data")
    assert funnel["labels"][0] == "Mulai" and funnel["datasets"][0]["data"][0] == 5

    assert page.locator(".kpi").first.inner_text().splitlines()[1] == "11"  # sessions
    rows = page.locator("#unanswered tbody tr")
    assert rows.count() == 3
    assert rows.nth(0).locator("td").nth(1).inner_text() == "berapa harga emas hari ini?"
    assert rows.nth(1).locator("td").nth(1).inner_text() == MASKED_NIK_QUESTION
    text = page.locator("body").inner_text()
    assert not any(number in text for number in CLEAR_NUMBERS)
    assert [src for src in page.evaluate("() => [...document.scripts].map(s => s.src)")] == [
        f"{dashboard}/assets/chart.umd.js", f"{dashboard}/assets/dashboard.js"
    ]
    page.screenshot(path=str(SCREENSHOTS / "dashboard.png"), full_page=True)
    assert page.problems == []


def test_the_labels_switch_to_english_and_back(staff_page, dashboard):
    page = staff_page
    open_dashboard(page, dashboard)
    page.click("[data-lang=en]")
    assert page.locator("h1").inner_text() == "TanyaBPJAMSOSTEK deflection numbers"
    assert page.evaluate("() => Chart.getChart('chart-rates').data.datasets[0].label") == "Containment rate"
    assert page.locator("#unanswered thead th").nth(1).inner_text() == "Example question (numbers masked)"
    assert page.evaluate("() => document.documentElement.lang") == "en"
    page.screenshot(path=str(SCREENSHOTS / "dashboard-en.png"), full_page=True)
    page.reload()
    page.locator("body[data-ready=true]").wait_for(timeout=TIMEOUT_MS)
    assert page.locator("h1").inner_text() == "TanyaBPJAMSOSTEK deflection numbers"  # the choice is kept
    page.click("[data-lang=id]")
    assert page.locator("h1").inner_text() == "Angka deflection TanyaBPJAMSOSTEK"
    assert page.problems == []


def test_filters_and_logout(staff_page, dashboard):
    page = staff_page
    open_dashboard(page, dashboard)
    page.select_option("#funnel-segment", "pmi")  # one segment's funnel: its own fields, in order
    funnel = page.evaluate("() => Chart.getChart('chart-funnel').data")
    assert funnel["labels"] == ["Mulai", "Nama lengkap", "NIK", "Nomor HP", "Ringkasan ditampilkan", "Dikonfirmasi", "Dikirim"]
    assert funnel["datasets"][0]["data"] == [1, 1, 1, 1, 1, 1, 1]
    page.select_option("#channel", "whatsapp")
    page.click("#filters button[type=submit]")
    page.wait_for_function("() => document.querySelector('.kpi .kpi-value').textContent === '2'", timeout=TIMEOUT_MS)
    assert "channel=whatsapp" in page.url
    page.click("#logout-form button")
    page.wait_for_url("**/login?bye=1**")
    assert page.locator("#login-message").inner_text() == "Anda sudah keluar."
    page.goto(f"{dashboard}/")
    page.wait_for_url("**/login**")
    assert page.evaluate("() => fetch('/api/report').then(r => r.status)") == 401


@pytest.fixture(scope="module")
def other_site():
    """A page on another origin (another site: localhost, and the same site: 127.0.0.1 on another port)
    whose form POSTs to the dashboard's logout as soon as it loads, as a cross-site attack would."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import parse_qs, urlsplit

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802 - http.server's naming
            target = parse_qs(urlsplit(self.path).query)["target"][0]
            page = (f'<!doctype html><form method="post" action="{target}"><input name="lang" value="en"></form>'
                    "<script>document.forms[0].submit()</script>").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


