"""The TanyaBPJAMSOSTEK widget in a real browser (headless Debian Chromium), against the real assistant."""

import random

from widget import TIMEOUT_MS, ask, bot_bubbles, click_reply, open_widget, shot, wait_for_bot


def test_the_widget_connects_on_a_non_default_web_port(page):
    """Only WEB_PORT is configured (conftest): the socket accepts the page's origin, the widget connects and
    is greeted instead of "reconnecting" for ever (issue 19.6)."""
    from urllib.parse import urlsplit

    assert urlsplit(page.url).port not in (None, 8080)
    open_widget(page)  # waits for data-state='connected'
    wait_for_bot(page, "TanyaBPJAMSOSTEK")
    assert page.locator(".tanya-status[data-state='connected']").count() == 1


def test_greeting_then_answers_in_indonesian_with_safe_links(page):
    open_widget(page)
    wait_for_bot(page, "TanyaBPJAMSOSTEK")  # greeting with topic buttons
    assert page.locator(".tanya-quick button").count() >= 3
    shot(page, "01-greeting")
    answer = ask(page, "gimana cara daftar BPU?", "Cara daftar Pekerja Bukan Penerima Upah")
    assert answer.locator("strong", has_text="Cara daftar Pekerja Bukan Penerima Upah").count() == 1  # *bold* rendered
    assert "*" not in answer.inner_text()  # no markup characters shown
    link = page.locator(".tanya-log a[href='https://bpjsketenagakerjaan.go.id/bpu']").first
    assert link.get_attribute("rel") == "noopener noreferrer" and link.get_attribute("target") == "_blank"
    shot(page, "02-answer-indonesian")


def test_english_question_and_a_quick_reply(page):
    open_widget(page)
    wait_for_bot(page, "TanyaBPJAMSOSTEK")
    ask(page, "how do I register as a wage recipient worker?", "How to register: Wage Recipient Workers")
    click_reply(page, "Documents", "Documents for PU registration")
    assert (
        page.locator(".tanya-msg.user .tanya-bubble", has_text="Documents").count() == 1
    )  # the title, not the payload
    shot(page, "03-answer-english-quick-reply")


def test_language_toggle_switches_ui_and_assistant(page):
    open_widget(page)
    wait_for_bot(page, "TanyaBPJAMSOSTEK")
    page.get_by_role("button", name="EN", exact=True).click()
    wait_for_bot(page, "continue in English")
    assert page.locator(".tanya-form textarea").get_attribute("placeholder") == "Type your question…"
    ask(page, "perisai", "Registered as a member of a Perisai Office")  # the assistant answers in English now
    shot(page, "04-language-toggle")


def test_history_survives_a_reload(page):
    open_widget(page)
    wait_for_bot(page, "TanyaBPJAMSOSTEK")
    ask(page, "dokumen PMI apa aja?", "Dokumen pendaftaran PMI")  # one answer, one bubble
    before = bot_bubbles(page).count()
    page.reload()
    page.locator(".tanya-panel:not([hidden])").wait_for(timeout=TIMEOUT_MS)
    after = bot_bubbles(page).count()
    assert after == before, (before, after, page.locator(".tanya-log").inner_text())
    page.locator(".tanya-status[data-state='connected']").wait_for(timeout=TIMEOUT_MS)
    ask(page, "kalau yang perpanjangan?", "Perpanjangan")  # same conversation on the server: context kept
    shot(page, "05-after-reload")


def test_html_is_shown_literally_never_injected(page):
    open_widget(page)
    wait_for_bot(page, "TanyaBPJAMSOSTEK")
    attack = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    count = bot_bubbles(page).count()
    page.locator(".tanya-form textarea").fill(attack)
    page.keyboard.press("Enter")
    page.locator(".tanya-msg.user .tanya-bubble", has_text="<script>alert(1)</script>").wait_for(timeout=TIMEOUT_MS)
    bot_bubbles(page).nth(count).wait_for(timeout=TIMEOUT_MS)  # the assistant answered
    assert page.locator(".tanya-log img, .tanya-log script").count() == 0
    assert page.dialogs == []
    shot(page, "06-injection-literal")


def test_phone_width_is_full_screen(browser, web_server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(web_server)
    open_widget(page)
    wait_for_bot(page, "TanyaBPJAMSOSTEK")
    left, top, width, height, view_width, view_height = page.evaluate(
        "(() => { const r = document.querySelector('.tanya-panel').getBoundingClientRect();"
        " return [r.left, r.top, r.width, r.height, innerWidth, innerHeight]; })()"
    )
    assert (left, top, width, height) == (0, 0, view_width, view_height)
    shot(page, "07-phone")
    context.close()


def test_keyboard_only(page):
    page.keyboard.press("Tab")
    for _ in range(12):  # through the page's links to the launcher
        if page.evaluate("document.activeElement.classList.contains('tanya-launcher')"):
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"
    page.locator(".tanya-status[data-state='connected']").wait_for(timeout=TIMEOUT_MS)
    page.keyboard.type("apa itu jakon?")
    page.keyboard.press("Enter")
    wait_for_bot(page, "Jakon")
    page.keyboard.press("Escape")
    assert page.locator(".tanya-panel").is_hidden()
    assert page.evaluate("document.activeElement.classList.contains('tanya-launcher')")
    assert page.locator(".tanya-log").get_attribute("aria-live") == "polite"


def test_pre_registration_inside_the_widget(page):
    open_widget(page)
    wait_for_bot(page, "TanyaBPJAMSOSTEK")
    nik = f"3201{random.randint(10, 99)}170890{random.randint(1000, 9999)}"
    ask(page, "saya mau daftar BPU", "nama lengkap")
    ask(page, "Rina Wulandari", "NIK")
    ask(page, nik, "tanggal lahir")
    ask(page, "17 Agustus 1990", "jenis kelamin")
    click_reply(page, "Laki-laki", "nomor HP")
    ask(page, "0812 3456 7890", "email")
    ask(page, "lewati", "pekerjaan")
    ask(page, "penjahit", "kota")
    ask(page, "Yogyakarta", "Mohon periksa data Anda")
    summary = wait_for_bot(page, "Apakah sudah benar?")
    shown = page.locator(".tanya-log").inner_text()
    assert "*" * 12 + nik[-4:] in shown and shown.count(nik) == 1  # only the user's own typed message
    assert summary.is_visible()
    shot(page, "08-registration-summary")
    click_reply(page, "Benar, kirim", "Nomor referensi: BPU-")
    wait_for_bot(page, "Selesaikan pendaftaran")  # documents and channels follow the reference
    shot(page, "09-registration-submitted")
    stored = page.evaluate("localStorage.getItem('tanya.history')")
    assert nik not in stored and nik[-4:] in stored  # the browser's saved history masks the NIK


def test_widget_reconnects_after_the_server_restarts(page, rasa_server):
    open_widget(page)
    wait_for_bot(page, "TanyaBPJAMSOSTEK")
    rasa_server.stop()
    page.locator(".tanya-status[data-state='disconnected']").wait_for(timeout=TIMEOUT_MS)
    shot(page, "10-disconnected")
    rasa_server.start()
    page.locator(".tanya-status[data-state='connected']").wait_for(timeout=TIMEOUT_MS)
    ask(page, "syarat kantor perisai apa saja?", "Kantor Perisai")
    shot(page, "11-reconnected")
