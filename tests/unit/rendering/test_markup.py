"""The one markup of answers, rendered per channel."""

import pytest

from tanya.rendering.markup import split_paragraphs, to_plain, to_telegram_html, to_whatsapp

ANSWER = "*Dokumen BPU*\n• Fotokopi E-KTP\n\nInfo: bpjsketenagakerjaan.go.id/bpu"


def test_whatsapp_keeps_the_markup():
    assert to_whatsapp(ANSWER) == ANSWER


def test_plain_drops_only_bold_markers():
    assert to_plain(ANSWER) == "Dokumen BPU\n• Fotokopi E-KTP\n\nInfo: bpjsketenagakerjaan.go.id/bpu"


@pytest.mark.parametrize(
    "text, html",
    [
        ("*Syarat* <b>&", "<b>Syarat</b> &lt;b&gt;&amp;"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("5*3 = 15, ** not bold", "5*3 = 15, ** not bold"),
        ("*a* dan *b c*", "<b>a</b> dan <b>b c</b>"),
        ("* bukan tebal *", "* bukan tebal *"),
    ],
)
def test_telegram_html_escapes_everything_and_renders_bold(text, html):
    assert to_telegram_html(text) == html


def test_split_keeps_short_texts_whole():
    assert split_paragraphs(ANSWER, 4096) == [ANSWER]


def test_split_cuts_between_paragraphs_then_lines_then_words():
    text = "\n\n".join(["a" * 30, "b" * 30, "c" * 30])
    assert split_paragraphs(text, 70) == ["a" * 30 + "\n\n" + "b" * 30, "c" * 30]
    lines = "\n".join(["x" * 20] * 5)
    assert all(len(part) <= 45 for part in split_paragraphs(lines, 45))
    assert "".join(split_paragraphs("w" * 100, 30)) == "w" * 100


def test_split_never_exceeds_the_limit():
    text = "\n\n".join(("kata " * 50).strip() for _ in range(20))
    parts = split_paragraphs(text, 300)
    assert parts and all(len(part) <= 300 for part in parts)
    assert " ".join(" ".join(parts).split()) == " ".join(text.split())


def test_bold_rule_matches_the_widget_on_the_shared_cases():
    """tests/fixtures/bold_cases.json is also run by web/widget/tests/safety.test.js."""
    import json
    from pathlib import Path

    from tanya.rendering.markup import BOLD, to_plain

    cases = json.loads((Path(__file__).resolve().parents[2] / "fixtures" / "bold_cases.json").read_text())["cases"]
    for case in cases:
        assert to_plain(case["text"]) == case["plain"], case["text"]
        assert BOLD.findall(case["text"]) == case["bold"], case["text"]
