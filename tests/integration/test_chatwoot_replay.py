"""A captured, validly signed agent-desk webhook is delivered to the user once: replayed to the same
server (with the same or a new X-Chatwoot-Delivery id, which is outside the signature) and to a second
server instance started afterwards on the same databases (what a restart or another instance behind the
balancer sees). Counted where it matters: the messages the fake Graph API received for the user."""

from __future__ import annotations

import time
import uuid

from tanya.channels import identity
from tanya.handoff import bridge
from tests.fakes import graph_api as wa
from tests.fakes.chatwoot import post_raw, signed_request
from tests.support.stack import PYTHON, Server, free_port

REPLY = "Halo, saya Sari. Balasan ini hanya boleh sampai sekali."


def _copies(graph, number: str) -> int:
    return sum(REPLY in wa.message_text(body) for body in graph.delivered_to(number))


def test_a_replayed_agent_reply_reaches_the_whatsapp_user_once(stack, fakes, tmp_path):
    graph, desk = fakes["graph_api"], fakes["chatwoot"]
    desk.outage(False)
    number = f"628{uuid.uuid4().int % 10 ** 10:010d}"
    webhook_url = f"{stack.rasa_url}/webhooks/whatsapp/webhook"
    assert wa.post_webhook(webhook_url, wa.webhook_body([wa.text_message(number, "saya mau bicara dengan petugas")]))[0] == 200
    graph.wait_for(number, lambda sent: any("175" in wa.message_text(body) for body in sent))
    source = bridge.desk_identifier("whatsapp", identity.conversation_id("whatsapp", number))
    conversation = desk.wait_for(lambda: desk.conversation_by_source(source))

    desk_url = f"{stack.rasa_url}/webhooks/chatwoot/webhook"
    body, headers = signed_request(desk.agent_message(conversation.id, REPLY))  # the captured request
    assert post_raw(desk_url, body, headers) == (200, {"status": "delivered"})
    graph.wait_for(number, lambda sent: _copies(graph, number) == 1)
    assert post_raw(desk_url, body, headers) == (200, {"status": "duplicate"})
    assert post_raw(desk_url, body, {**headers, "X-Chatwoot-Delivery": uuid.uuid4().hex}) == (200, {"status": "duplicate"})

    # A second server on the same databases: no memory of the first one's deliveries, only the database's.
    port = free_port()
    second = Server("rasa-2", [PYTHON, "-m", "tanya.server", "--port", str(port)], {**stack.env, "RASA_PORT": str(port)},
                    f"http://127.0.0.1:{port}/", tmp_path / "rasa-2.log")
    second.start(timeout=400)
    try:
        second_url = f"http://127.0.0.1:{port}/webhooks/chatwoot/webhook"
        assert post_raw(second_url, body, {**headers, "X-Chatwoot-Delivery": uuid.uuid4().hex}) == (200, {"status": "duplicate"})
        # The same message signed afresh under a new delivery id: its message id was claimed too.
        time.sleep(1.1)  # another second: another timestamp, another signature
        resigned_body, resigned_headers = signed_request(body)
        assert resigned_headers["X-Chatwoot-Signature"] != headers["X-Chatwoot-Signature"]
        assert post_raw(second_url, resigned_body, resigned_headers) == (200, {"status": "duplicate"})
    finally:
        second.stop()
    time.sleep(1)
    assert _copies(graph, number) == 1
    log = second.log.read_text(errors="replace")
    assert "Traceback" not in log and " ERROR " not in log, log[-3000:]
