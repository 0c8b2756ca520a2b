"""Browser tests: Debian's Chromium driven by Playwright against the demo page and a real assistant.

This module starts its own assistant (tests/support/stack.py, free ports, throw-away databases) and the
page's web server; a test may stop and start Rasa to watch the widget recover.
"""

import subprocess

import pytest
from playwright.sync_api import sync_playwright

from tests.support.stack import PYTHON, ROOT, Stack, free_port, wait_http

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
WEB_PORT = free_port()
while WEB_PORT == 8080:  # the default port would hide an origin list that ignores WEB_PORT
    WEB_PORT = free_port()


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """The assistant the page talks to; its tracker database survives a restart of Rasa. The page is on a
    free port (never 8080) and only WEB_PORT is given, as with `WEB_PORT=7080 make run`: the socket's
    allowed origins must follow it by themselves (issue 19.6)."""
    env = {"WEB_PORT": str(WEB_PORT), "TANYA_ALLOWED_ORIGINS": ""}
    running = Stack(tmp_path_factory.mktemp("browser-stack"), extra_env=env).start()
    yield running
    running.stop()
    problems = running.log_problems()
    assert not problems, "errors in the servers' logs:\n" + "\n".join(problems[:40])


@pytest.fixture(scope="session")
def rasa_server(stack):
    """The Rasa server process (tests stop and start it to watch the widget reconnect)."""
    return stack.rasa


@pytest.fixture(scope="session")
def web_server(stack):
    process = subprocess.Popen(
        [PYTHON, "scripts/serve_web.py", "--port", str(WEB_PORT), "--server-url", f"http://localhost:{stack.rasa_port}"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    page_url = f"http://localhost:{WEB_PORT}/"
    wait_http(page_url, 30)
    yield page_url
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
