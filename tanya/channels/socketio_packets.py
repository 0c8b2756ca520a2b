"""The widget's socket.io server, made to drop garbage packets instead of logging a traceback for each.

python-socketio 5.x decodes every engine.io message in AsyncServer._handle_eio_message and raises on one
it cannot use: an unknown packet type ("49"), a type that is not a digit ("4X"), bad JSON ("42["), an
event without data ("4" or "42"), brackets nested 100,000 deep (RecursionError), an event whose name is
not a string. engine.io catches it and logs "message async handler error" at ERROR with the traceback,
so any client that can open a socket can fill the log with errors. TolerantAsyncServer decodes the
packet first and drops, with one WARNING line, whatever is not a well-formed packet of the kinds the
widget sends; every other packet goes to the library unchanged.

_handle_eio_message is private: the override is used only with the python-socketio major versions it was
written and tested against (TESTED_MAJORS); with any other version, `server_class()` returns the
library's own AsyncServer and says so once at INFO level (tests/unit/channels/test_socketio_packets.py
fails first when the pin moves).
"""

from __future__ import annotations

import logging
from importlib import metadata
from typing import Any, Optional, Type

from socketio import AsyncServer
from socketio import packet as sio_packet

logger = logging.getLogger(__name__)

TESTED_MAJORS = (5,)
# The widget's events carry one argument (the message or the session request); Rasa's handlers take one.
MAX_EVENT_ARGUMENTS = 1
_PASSED_ON = (sio_packet.CONNECT, sio_packet.DISCONNECT, sio_packet.EVENT)


def library_supported(version: str) -> bool:
    """True for the python-socketio versions whose _handle_eio_message the override was tested against."""
    major = version.split(".", 1)[0]
    return major.isdigit() and int(major) in TESTED_MAJORS


def packet_problem(packet_class: Any, data: Any) -> Optional[str]:
    """Why one engine.io message is not a packet to dispatch (short, no content), or None."""
    if not isinstance(data, str):
        return "a binary frame"  # the widget sends no binary attachments
    try:
        decoded = packet_class(encoded_packet=data)
    except Exception:  # noqa: BLE001 - decoding is pure: any failure means the frame is garbage
        return "an undecodable packet"
    if decoded.packet_type not in _PASSED_ON:
        return "a packet of a type the widget does not send"
    if decoded.packet_type == sio_packet.EVENT:
        event = decoded.data
        if not isinstance(event, list) or not event or not isinstance(event[0], str):
            return "an event without a name"
        if len(event) - 1 > MAX_EVENT_ARGUMENTS:
            return "an event with too many arguments"
    return None


class EngineLogger(logging.LoggerAdapter):
    """engine.io's logger (its public `engineio_logger` option). engine.io catches whatever a garbage
    polling body raises ("post request handler error": an empty packet, an unknown packet type, bytes
    that are not UTF-8) and logs it with logger.exception; here that is one WARNING line naming the
    exception, without the traceback. Its other messages keep their level (errors only, as by default)."""

    def __init__(self) -> None:
        engine = logging.getLogger("engineio.server")
        if engine.level == logging.NOTSET:
            engine.setLevel(logging.ERROR)  # engine.io's own default: its INFO lines name every packet
        super().__init__(engine, {})

    def error(self, msg: object, *args: Any, **kwargs: Any) -> None:
        # engine.io's errors are all about a client's request ("Invalid session ...", a bad transport).
        self.logger.warning("socket.io: " + str(msg), *args)

    def exception(self, msg: object, *args: Any, exc_info: Any = True, **kwargs: Any) -> None:
        import sys

        error = sys.exc_info()[1]
        self.logger.warning("socket.io: %s (%s), the request was dropped", msg % args if args else msg,
                            type(error).__name__ if error else "no exception")


class TolerantAsyncServer(AsyncServer):
    """AsyncServer that drops garbage packets with one WARNING line instead of an ERROR traceback."""

    async def _handle_eio_message(self, eio_sid: str, data: Any) -> None:
        problem = packet_problem(self.packet_class, data)
        if problem:
            logger.warning("socket.io: %s was dropped", problem)
            return
        await super()._handle_eio_message(eio_sid, data)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("engineio_logger", EngineLogger())
        super().__init__(*args, **kwargs)


def server_class(version: Optional[str] = None) -> Type[AsyncServer]:
    """TolerantAsyncServer with a tested python-socketio, else the library's own server."""
    version = version or metadata.version("python-socketio")
    if library_supported(version):
        return TolerantAsyncServer
    logger.info("socket.io: python-socketio %s is not one the garbage-packet filter was tested with; not used", version)
    return AsyncServer
