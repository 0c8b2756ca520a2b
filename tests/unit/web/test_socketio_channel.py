"""The widget's socket.io channel: allowed origins, the room fix, one bubble per response."""

import asyncio

import pytest

from tanya.channels.socketio import (
    OneBubbleOutput,
    TanyaSocketIOInput,
    allowed_origins,
    join_room,
)


def test_origins_from_credentials_environment_or_default(monkeypatch):
    monkeypatch.delenv("TANYA_ALLOWED_ORIGINS", raising=False)
    monkeypatch.delenv("WEB_PORT", raising=False)
    assert allowed_origins(["https://www.bpjsketenagakerjaan.go.id/"]) == ["https://www.bpjsketenagakerjaan.go.id"]
    assert allowed_origins(None) == ["http://localhost:8080", "http://127.0.0.1:8080"]
    monkeypatch.setenv("TANYA_ALLOWED_ORIGINS", "https://a.example, https://b.example")
    assert allowed_origins(["https://ignored.example"]) == ["https://a.example", "https://b.example"]


def test_the_default_origins_follow_the_web_port(monkeypatch):
    """WEB_PORT=7080 make run: the demo page on :7080 may open the socket, :8080 may not (issue 19.6)."""
    monkeypatch.delenv("TANYA_ALLOWED_ORIGINS", raising=False)
    monkeypatch.setenv("WEB_PORT", "7080")
    assert allowed_origins(None) == ["http://localhost:7080", "http://127.0.0.1:7080"]
    channel = TanyaSocketIOInput.from_credentials({"session_persistence": True})  # as credentials.yml now is
    assert channel.allowed_origins == ["http://localhost:7080", "http://127.0.0.1:7080"]
    monkeypatch.setenv("TANYA_ALLOWED_ORIGINS", "https://www.bpjsketenagakerjaan.go.id")
    assert allowed_origins(None) == ["https://www.bpjsketenagakerjaan.go.id"]  # an explicit list still wins


def test_the_shipped_credentials_leave_the_origins_to_the_web_port(monkeypatch):
    from pathlib import Path

    import yaml

    monkeypatch.delenv("TANYA_ALLOWED_ORIGINS", raising=False)
    monkeypatch.setenv("WEB_PORT", "7080")
    credentials = yaml.safe_load((Path(__file__).resolve().parents[3] / "credentials.yml").read_text())
    channel = TanyaSocketIOInput.from_credentials(credentials["tanya.channels.socketio.TanyaSocketIOInput"])
    assert channel.allowed_origins == ["http://localhost:7080", "http://127.0.0.1:7080"]


def test_any_origin_is_refused(monkeypatch):
    monkeypatch.delenv("TANYA_ALLOWED_ORIGINS", raising=False)
    with pytest.raises(ValueError, match="not an allowed origin"):
        allowed_origins(["*"])


def test_channel_reads_origins_and_session_persistence_from_credentials(monkeypatch):
    monkeypatch.delenv("TANYA_ALLOWED_ORIGINS", raising=False)
    channel = TanyaSocketIOInput.from_credentials(
        {"session_persistence": True, "metadata_key": "customData", "cors_allowed_origins": ["http://localhost:8080"]}
    )
    assert channel.allowed_origins == ["http://localhost:8080"] and channel.session_persistence


class FakeServer:
    def __init__(self, coroutine: bool):
        self.coroutine = coroutine
        self.rooms = []
        self.emitted = []

    def enter_room(self, sid, room, namespace=None):
        if not self.coroutine:
            self.rooms.append((sid, room))
            return None

        async def enter():
            self.rooms.append((sid, room))

        return enter()

    async def emit(self, event, data, room=None, **kwargs):
        self.emitted.append((event, data, room))


@pytest.mark.parametrize("coroutine", [True, False])
def test_join_room_works_with_old_and_new_python_socketio(coroutine):
    server = FakeServer(coroutine)
    asyncio.run(join_room(server, "sid-1", "session-1", None))
    assert server.rooms == [("sid-1", "session-1")]  # the bug: a never-awaited coroutine joins nothing


def test_one_bubble_per_response_with_quick_replies():
    server = FakeServer(True)
    output = OneBubbleOutput(server, "bot_uttered")
    asyncio.run(
        output.send_text_with_buttons("session-1", "Kanal:\n\n• A", [{"title": "Dokumen", "payload": "/ask_documents"}])
    )
    assert server.emitted == [
        (
            "bot_uttered",
            {
                "text": "Kanal:\n\n• A",
                "quick_replies": [{"content_type": "text", "title": "Dokumen", "payload": "/ask_documents"}],
            },
            "session-1",
        )
    ]


def test_one_client_address_holds_at_most_the_cap_of_sockets(monkeypatch):
    from types import SimpleNamespace

    monkeypatch.delenv("TANYA_ALLOWED_ORIGINS", raising=False)
    monkeypatch.setenv("TANYA_MAX_CONNECTIONS_PER_CLIENT", "2")
    channel = TanyaSocketIOInput.from_credentials({"session_persistence": True})

    async def on_new_message(message):
        return None

    channel.blueprint(on_new_message)
    handlers = channel.sio.handlers["/"]

    def environ(ip):
        return {"sanic.request": SimpleNamespace(ip=ip), "REMOTE_ADDR": "127.0.0.1"}

    async def scenario():
        opened = [await handlers["connect"](f"sid-{n}", environ("198.51.100.7"), None) for n in range(3)]
        other = await handlers["connect"]("sid-other", environ("203.0.113.9"), None)
        await handlers["disconnect"]("sid-0")
        again = await handlers["connect"]("sid-3", environ("198.51.100.7"), None)
        return opened, other, again

    assert asyncio.run(scenario()) == ([True, True, False], True, True)
