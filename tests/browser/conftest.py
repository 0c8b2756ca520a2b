"""Browser tests: Debian's Chromium driven by Playwright against the demo page and a real assistant.

The action server is started by scripts/browser_tests.sh; this module starts (and restarts) its own
Rasa server and the page's web server, so a test can cut the connection and watch the widget recover.
"""

import os
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
RASA_PORT = int(os.environ.get("BROWSER_RASA_PORT", "5025"))
WEB_PORT = int(os.environ.get("BROWSER_WEB_PORT", "8095"))
PAGE_URL = f"http://localhost:{WEB_PORT}/"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def wait_http(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up within {seconds} s")


class RasaServer:
    """A Rasa server process the tests may restart; its tracker database survives restarts."""

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        self.process = None
        self.env = {
            **os.environ,
            "TANYA_ALLOWED_ORIGINS": f"http://localhost:{WEB_PORT},http://127.0.0.1:{WEB_PORT}",
            "TRACKER_DATABASE_URL": f"sqlite:///{ROOT / '.data' / 'tracker-browser.db'}",
        }

    def start(self) -> None:
        log = open(self.log_path, "a")
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/rasa"),
                "run",
                "--model",
                "models/current.tar.gz",
                "--endpoints",
                "endpoints.yml",
                "--credentials",
                "credentials.yml",
                "--port",
                str(RASA_PORT),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_http(f"http://localhost:{RASA_PORT}/", 300)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=60)

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture(scope="session")
def rasa_server():
    (ROOT / ".data" / "tracker-browser.db").unlink(missing_ok=True)
    server = RasaServer(ROOT / ".data" / "logs" / "rasa-browser.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def web_server(rasa_server):
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/python"),
            "scripts/serve_web.py",
            "--port",
            str(WEB_PORT),
            "--server-url",
            f"http://localhost:{RASA_PORT}",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_http(PAGE_URL, 30)
    yield PAGE_URL
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="session")
def browser():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, web_server):
    """A fresh visitor (empty storage) on a desktop-sized window."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="id-ID")
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(web_server)
    yield page
    context.close()
