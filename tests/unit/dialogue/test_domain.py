"""The domain speaks both languages everywhere and only names actions that exist."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def _language(variation):
    for condition in variation.get("condition") or []:
        if condition.get("name") == "language":
            return condition["value"]
    return "id"


def test_every_response_has_indonesian_and_english():
    for name, variations in DOMAIN["responses"].items():
        languages = sorted(_language(v) for v in variations)
        assert languages == ["en", "id"], f"{name} has variations {languages}"


def test_buttons_match_between_languages():
    for name, variations in DOMAIN["responses"].items():
        payloads = {_language(v): [b["payload"] for b in v.get("buttons", [])] for v in variations}
        assert payloads["id"] == payloads["en"], name


def test_every_custom_action_is_served_by_the_action_server():
    """Register the `actions` package exactly as `rasa run actions` does."""
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    assert set(DOMAIN["actions"]) <= set(executor.actions)


def test_button_payload_intents_exist():
    intents = set(DOMAIN["intents"])
    for name, variations in DOMAIN["responses"].items():
        for variation in variations:
            for button in variation.get("buttons", []):
                assert button["payload"].lstrip("/").split("{")[0] in intents, (name, button)
