"""socket.io channel for the website widget: Rasa's own, with four fixes.

1. Session persistence works: Rasa 3.6 calls `sio.enter_room(...)` without awaiting it, which with
   python-socketio >= 5.10 never joins the room, so the browser never receives a reply.
2. Only configured origins may open a socket (Rasa switches origin checking off): TANYA_ALLOWED_ORIGINS
   (comma-separated) in the environment, else `cors_allowed_origins` in credentials.yml, else the demo
   page on WEB_PORT (http://localhost:<port>, http://127.0.0.1:<port>). Never "*".
3. Metadata from the widget ("customData") reaches the actions, e.g. an explicit language switch.
4. The server issues each widget's session id (tanya.channels.web_session) and keeps which conversation
   each socket speaks in: a client cannot name another person's conversation (Rasa takes the client's
   `session_id` as the sender id, so a socket could act inside a WhatsApp user's conversation).
Like every channel, it prepares the text with tanya.channels.inbound (length limit, control payloads)
and caps the size of a socket.io packet; garbage packets are dropped with a WARNING
(tanya.channels.socketio_packets); one client address may hold at most TANYA_MAX_CONNECTIONS_PER_CLIENT
sockets (long-polling ones too, which hold no connection of their own between polls).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from socketio import AsyncServer

from tanya.channels import identity, json_body, web_session
from tanya.channels.inbound import clean_metadata, prepare_text
from tanya.channels.notices import conversation_language, notice
from tanya.channels.socketio_packets import server_class
from tanya.http_limits import ClientCounter
from tanya.settings import get_settings

logger = logging.getLogger(__name__)

CHANNEL = "socketio"

# The socket.io server of this process, set when the blueprint is built: messages that arrive outside
# a turn (an agent's reply from the desk, tanya.channels.delivery) are emitted through it.
_RUNNING: Dict[str, Any] = {}


async def cancel_ping_tasks() -> int:
    """Cancel engine.io's pending ping tasks (and wait for them); returns how many there were."""
    pings = [
        task
        for task in asyncio.all_tasks()
        if task is not asyncio.current_task() and getattr(task.get_coro(), "__qualname__", "").endswith("._send_ping")
    ]
    for task in pings:
        task.cancel()
    await asyncio.gather(*pings, return_exceptions=True)
    return len(pings)


def running_server() -> Optional[Dict[str, Any]]:
    """{"sio", "event", "namespace"} of the running widget channel, or None before it is built."""
    return dict(_RUNNING) if _RUNNING else None


def client_address(environ: Dict) -> str:
    """The socket's client address (engine.io's Sanic driver puts a fixed REMOTE_ADDR in the environ)."""
    request = environ.get("sanic.request")
    return str(getattr(request, "ip", "") or environ.get("REMOTE_ADDR") or "")


def default_origins(web_port: int) -> List[str]:
    """The demo page's own origins: it is served on WEB_PORT (make run), so the socket follows that port."""
    return [f"http://localhost:{web_port}", f"http://127.0.0.1:{web_port}"]


def allowed_origins(configured: Optional[Any]) -> List[str]:
    """Origins that may connect: environment first, then credentials.yml, then the local demo page."""
    settings = get_settings()
    raw = settings.origins or configured or default_origins(settings.web_port)
    origins = [o.strip().rstrip("/") for o in (raw.split(",") if isinstance(raw, str) else raw) if o and o.strip()]
    if any(origin == "*" for origin in origins):
        raise ValueError("'*' is not an allowed origin for the chat widget: list the sites that embed it")
    return origins


async def join_room(sio: AsyncServer, sid: str, room: str, namespace: Optional[str]) -> None:
    """enter_room is a coroutine in python-socketio >= 5.10 and a plain function before."""
    result = sio.enter_room(sid, room, namespace=namespace)
    if inspect.isawaitable(result):
        await result


class OneBubbleOutput(SocketIOOutput):
    """One chat bubble per response: Rasa's output splits texts at blank lines, which tears a heading
    from its list; the widget shows line breaks itself."""

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"text": text.strip()})

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        replies = [{"content_type": "text", "title": b["title"], "payload": b["payload"]} for b in buttons]
        await self._send_message(recipient_id, {"text": text.strip(), "quick_replies": replies})


class TanyaSocketIOInput(SocketIOInput):
    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "TanyaSocketIOInput":
        channel = super().from_credentials(credentials)  # builds `cls` from Rasa's own keys
        channel.allowed_origins = allowed_origins((credentials or {}).get("cors_allowed_origins"))
        return channel

    def get_output_channel(self) -> Optional[OneBubbleOutput]:
        return OneBubbleOutput(self.sio, self.bot_message_evt) if getattr(self, "sio", None) else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        origins = getattr(self, "allowed_origins", None) or allowed_origins(None)
        # The packet cap keeps a huge message from being read into memory at all.
        # Packets are parsed with the depth limit, and garbage ones dropped with a WARNING (socketio_packets).
        sio = server_class()(
            async_mode="sanic", cors_allowed_origins=origins, max_http_buffer_size=get_settings().max_request_bytes,
            json=json_body,
        )
        socketio_webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio
        _RUNNING.update(sio=sio, event=self.bot_message_evt, namespace=self.namespace)

        served_by: Dict[str, Any] = {}  # the Sanic app, for the conversation's language in a failure notice

        @socketio_webhook.listener("before_server_start")
        async def remember_app(app: Any, *_: Any) -> None:
            served_by["app"] = app

        @socketio_webhook.listener("before_server_stop")
        async def close_sockets(*_: Any) -> None:
            # Every socket keeps a ping task that sleeps 25 s between pings, even after it closed;
            # stopping the loop under them logs "Task was destroyed but it is pending!" at ERROR level.
            try:
                await sio.shutdown()
            except Exception as error:  # noqa: BLE001 - stopping anyway
                logger.warning("socket.io sockets not closed cleanly: %s", type(error).__name__)
            await cancel_ping_tasks()

        @socketio_webhook.route("/", methods=["GET"])
        async def health(_: Request):
            return response.json({"status": "ok"})

        # The conversation each socket speaks in, bound when the server confirmed its session.
        sessions: Dict[str, str] = {}

        async def confirm_session(sid: Text, token: Any) -> str:
            """Bind `sid` to the session `token` names if this server issued it (and sessions persist),
            else to a new one; the socket joins the conversation's room and learns its session id."""
            random_part = web_session.verified(token) if self.session_persistence else None
            if random_part is None:
                token = web_session.issue()
                random_part = web_session.verified(token)
            conversation = identity.conversation_id(CHANNEL, random_part)
            sessions[sid] = conversation
            await join_room(sio, sid, conversation, self.namespace)
            await sio.emit("session_confirm", token, room=sid, namespace=self.namespace)
            return conversation

        clients = ClientCounter(get_settings().max_connections_per_client)
        client_of: Dict[str, str] = {}  # sid -> client address, for the cap

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict]) -> bool:
            client = client_address(environ)
            if not clients.acquire(client):
                logger.info("socket.io connection refused: the client holds the most sockets allowed")
                return False
            client_of[sid] = client
            return True

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: Text) -> None:
            sessions.pop(sid, None)
            client = client_of.pop(sid, None)
            if client is not None:
                clients.release(client)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict] = None) -> None:  # a client may send no data
            data = data if isinstance(data, dict) else {}
            await confirm_session(sid, data.get("session_id"))

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Optional[Dict] = None) -> None:  # a client may send no data
            if not isinstance(data, dict):
                return
            output_channel = OneBubbleOutput(sio, self.bot_message_evt)
            # The session the server confirmed for this socket; a socket that skipped session_request
            # gets its token checked (or a new session) now. The client's session_id is never the sender.
            sender_id = sessions.get(sid) or await confirm_session(sid, data.get("session_id"))
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json_body.loads(metadata)
                except ValueError:
                    metadata = {}
            message = data.get("message")
            limit = get_settings().max_message_chars
            inbound = prepare_text(message if isinstance(message, str) else "", limit)
            if inbound.empty:
                await output_channel.send_text_message(sender_id, notice("empty_message"))
                return
            if inbound.clipped:
                await output_channel.send_text_message(
                    sender_id, notice("message_clipped", inbound.text, limit=str(limit))
                )
            try:
                await on_new_message(
                    UserMessage(
                        inbound.text,
                        output_channel,
                        sender_id,
                        input_channel=self.name(),
                        metadata=clean_metadata(metadata),
                    )
                )
            except Exception:  # noqa: BLE001 - the widget still gets an answer, staff get the log
                logger.exception("socket.io message could not be handled")
                language = await conversation_language(served_by.get("app"), sender_id, inbound.text)
                await output_channel.send_text_message(sender_id, notice("reply_failed", language=language))

        return socketio_webhook
