"""Live tests talk to a running Rasa server (started by scripts/conversation_tests.sh) over REST."""

import json
import os
import urllib.request
import uuid

import pytest

RASA_URL = os.environ.get("RASA_URL", "http://localhost:5005")


class Chat:
    """One conversation with the running assistant."""

    def __init__(self) -> None:
        self.sender = f"live-test-{uuid.uuid4().hex[:12]}"

    def say(self, message: str) -> list:
        body = json.dumps({"sender": self.sender, "message": message}).encode()
        request = urllib.request.Request(
            f"{RASA_URL}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200
            return json.loads(response.read())

    def text(self, message: str) -> str:
        replies = self.say(message)
        assert replies, f"no reply to {message!r}"
        return "\n".join(reply.get("text", "") for reply in replies)


@pytest.fixture
def chat() -> Chat:
    return Chat()


@pytest.fixture(scope="session")
def kb_session():
    from tanya.db import session_scope

    with session_scope() as session:
        yield session
