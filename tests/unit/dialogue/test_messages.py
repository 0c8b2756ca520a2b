"""The message catalogue (data/messages) is complete in both languages and renders correctly."""

from pathlib import Path

import pytest
import yaml

from tanya import messages

ROOT = Path(__file__).resolve().parents[3]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
CATALOGUE = messages.load_catalogue()


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_both_languages_use_the_same_placeholders(name):
    template = CATALOGUE[name]
    assert template.placeholders("id") == template.placeholders("en"), name


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_button_payloads_name_domain_intents(name):
    for button in CATALOGUE[name].buttons:
        if not button.payload.startswith("/"):
            continue  # a plain-text answer, e.g. "perempuan" for the gender question
        assert button.payload.lstrip("/").split("{")[0] in DOMAIN["intents"], (name, button.payload)


def test_render_picks_language_and_fills_values():
    rendered = messages.render("channels_heading", "en", segment_short="BPU")
    assert rendered == {"text": "*Registration channels for BPU*"}
    assert messages.render("channels_heading", "id", segment_short="BPU")["text"] == "*Kanal pendaftaran BPU*"


def test_a_placeholder_may_be_called_name():
    assert messages.text("contact_line", "en", name="Call Center", value="175") == "Call Center: 175"


def test_render_appends_extra_buttons_after_template_buttons():
    rendered = messages.render("rating_thanks_down", "id", extra_buttons=[{"title": "x", "payload": "/greet"}])
    assert [b["payload"] for b in rendered["buttons"]] == ["/request_human", "/greet"]
    assert rendered["buttons"][0]["title"] == "Hubungi petugas"


def test_missing_language_is_rejected(tmp_path):
    (tmp_path / "bad.yml").write_text("messages:\n  hello:\n    id: Halo\n", encoding="utf-8")
    with pytest.raises(messages.MessageCatalogueError, match="bad.yml: message 'hello': missing 'en'"):
        messages.load_catalogue(tmp_path)


def test_duplicate_name_is_rejected(tmp_path):
    for name in ("a.yml", "b.yml"):
        (tmp_path / name).write_text("messages:\n  hello:\n    id: Halo\n    en: Hello\n", encoding="utf-8")
    with pytest.raises(messages.MessageCatalogueError, match="defined twice"):
        messages.load_catalogue(tmp_path)
