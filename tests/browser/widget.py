"""Small helpers that use the widget as a visitor would."""

import time
from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
TIMEOUT_MS = 60_000


def open_widget(page):
    page.get_by_role("button", name="Buka chat TanyaBPJAMSOSTEK").click()
    page.locator(".tanya-status[data-state='connected']").wait_for(timeout=TIMEOUT_MS)


def bot_bubbles(page):
    return page.locator(".tanya-msg.bot .tanya-bubble")


def ask(page, text: str, expect: str):
    """Type a message, press Enter, wait for a bot bubble containing `expect`; returns that bubble."""
    count = bot_bubbles(page).count()
    page.locator(".tanya-form textarea").fill(text)
    page.keyboard.press("Enter")
    return wait_for_bot(page, expect, after=count)


def wait_for_bot(page, expect: str, after: int = 0):
    """Wait for a bot bubble containing `expect` among those after the first `after` ones."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        texts = bot_bubbles(page).all_inner_texts()
        for index in range(after, len(texts)):
            if expect in texts[index]:
                return bot_bubbles(page).nth(index)
        page.wait_for_timeout(200)
    raise AssertionError(f"no new bot message with {expect!r}; messages: {bot_bubbles(page).all_inner_texts()[after:]}")


def click_reply(page, title: str, expect: str):
    count = bot_bubbles(page).count()
    page.locator(".tanya-quick button", has_text=title).last.click()
    return wait_for_bot(page, expect, after=count)


def shot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
