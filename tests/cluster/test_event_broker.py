"""Every event the tracker store keeps is published once to the RabbitMQ queue, masked like the store."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter

import sqlalchemy as sa

from tests.cluster.conftest import RABBITMQ_URL
from tests.cluster.forms import FormChat


async def drain(queue_name: str) -> list:
    import aio_pika

    connection = await aio_pika.connect_robust(RABBITMQ_URL)
    bodies = []
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(queue_name, durable=True, passive=True)
        while True:
            message = await queue.get(no_ack=True, fail=False)
            if message is None:
                return bodies
            bodies.append(message.body)


def stored(database_url: str) -> Counter:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT sender_id, type_name, data FROM events")).all()
    finally:
        engine.dispose()
    return Counter((row.sender_id, row.type_name, json.loads(row.data).get("timestamp")) for row in rows)


def test_every_stored_event_is_published_once_and_masked(cluster, database_url, broker_names):
    form = FormChat(cluster.url)
    for _ in range(3):  # up to the birth date: the NIK has been sent
        form.step()
    time.sleep(2)  # publishing follows the write
    published, deadline = [], time.monotonic() + 20
    in_store = stored(database_url)
    while time.monotonic() < deadline:
        published += asyncio.run(drain(broker_names["queue"]))
        if len(published) >= sum(in_store.values()):
            break
        time.sleep(1)
    events = [json.loads(body) for body in published]
    in_queue = Counter((e["sender_id"], e["event"], e.get("timestamp")) for e in events)
    missing = in_store - in_queue
    extra = in_queue - in_store
    print(f"\n[broker] PostgreSQL holds {sum(in_store.values())} events; queue {broker_names['queue']} received "
          f"{len(events)} (counted with aio-pika); missing={sum(missing.values())} extra={sum(extra.values())}; "
          f"event types {dict(Counter(e['event'] for e in events).most_common(6))}")
    assert sum(in_store.values()) >= 20, "too few events to count"
    assert not missing and not extra
    assert not any(form.nik.encode() in body for body in published), "a NIK in clear in the event queue"
