"""The widget's socket.io server drops garbage packets with one WARNING and passes good ones on."""

import asyncio
import logging
from importlib import metadata

import pytest
import socketio

from tanya.channels import json_body
from tanya.channels.socketio_packets import (
    EngineLogger,
    TolerantAsyncServer,
    library_supported,
    packet_problem,
    server_class,
)

GARBAGE = ["2[", "9", "X", "", "2", "2" + "[" * 5000, "2" + "[" * 40 + "]" * 40, '2"x"', "2[5]", "2{}", "3", "4", "5-",
           '51-["user_uttered",{"_placeholder":true,"num":0}]', "é", "1" * 200, '2["user_uttered",1,2,3]', b"\x00\x01"]


def test_the_installed_library_is_one_the_override_was_tested_with():
    assert library_supported(metadata.version("python-socketio")), "re-check socketio_packets against the new version"
    assert server_class() is TolerantAsyncServer
    assert not library_supported("6.0.0") and not library_supported("x")
    assert server_class("6.0.0") is socketio.AsyncServer


@pytest.mark.parametrize("frame", GARBAGE)
def test_garbage_frames_are_named(frame):
    assert packet_problem(socketio.packet.Packet, frame)


@pytest.mark.parametrize("frame", ['2["user_uttered",{"message":"halo"}]', '2["session_request"]', "0", "0/,{}", "1"])
def test_the_widget_packets_pass(frame):
    assert packet_problem(socketio.packet.Packet, frame) is None


def test_the_server_drops_garbage_with_a_warning_and_dispatches_the_rest(caplog):
    server = TolerantAsyncServer(async_mode="asgi", json=json_body)
    seen = []
    dispatched = []

    async def fake_dispatch(self, eio_sid, data):
        dispatched.append(data)

    original = socketio.AsyncServer._handle_eio_message
    socketio.AsyncServer._handle_eio_message = fake_dispatch
    try:
        with caplog.at_level(logging.WARNING):
            for frame in GARBAGE + ['2["user_uttered",{"message":"halo"}]']:
                asyncio.run(server._handle_eio_message("eio-sid", frame))
                seen.append(frame)
    finally:
        socketio.AsyncServer._handle_eio_message = original
    assert dispatched == ['2["user_uttered",{"message":"halo"}]']
    warnings = [r for r in caplog.records if r.name == "tanya.channels.socketio_packets"]
    assert len(warnings) == len(GARBAGE) and all(r.levelno == logging.WARNING for r in warnings)


def test_engine_io_exceptions_become_one_warning_without_a_traceback(caplog):
    engine_logger = EngineLogger()
    with caplog.at_level(logging.WARNING, logger="engineio.server"):
        try:
            raise ValueError("Invalid empty packet received")
        except ValueError:
            engine_logger.exception("post request handler error")
        engine_logger.error("Invalid session %s", "abc")
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (logging.WARNING, "socket.io: post request handler error (ValueError), the request was dropped"),
        (logging.WARNING, "socket.io: Invalid session abc"),
    ]
    assert all(r.exc_info is None for r in caplog.records)
