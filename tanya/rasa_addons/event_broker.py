"""Rasa's Pika (RabbitMQ) event broker configured from RABBITMQ_URL, RABBITMQ_QUEUE and RABBITMQ_EXCHANGE.

Rasa's own `type: pika` wants host, user and password spelled out in the endpoints file; this one
reads them from one URL in tanya.settings, like the tracker and lock stores, so endpoints.cluster.yml
needs no secrets and no variables Rasa would refuse to start without. Every event a tracker store
saves is published (after tanya.privacy masking, see tracker_store.py) to a fanout exchange with one
durable queue bound to it, for downstream analytics.
"""

from __future__ import annotations

from asyncio import AbstractEventLoop
from typing import Any, Dict, Optional
from urllib.parse import unquote, urlparse

from rasa.core.brokers.pika import PikaEventBroker
from rasa.utils.endpoints import EndpointConfig


def broker_arguments(url: str, queue: str, exchange: str) -> Dict[str, Any]:
    """PikaEventBroker's keyword arguments for an amqp:// URL (user, password, host, port, vhost)."""
    parsed = urlparse(url)
    if parsed.scheme not in ("amqp", "amqps") or not parsed.hostname:
        raise ValueError("RABBITMQ_URL must look like amqp://user:password@host:5672/")
    host = parsed.hostname
    vhost = parsed.path.lstrip("/")
    return {
        # Rasa rebuilds the URL from host + credentials when the host starts with amqp.
        "host": f"{parsed.scheme}://{host}" + (f"/{vhost}" if vhost else ""),
        "username": unquote(parsed.username or "guest"),
        "password": unquote(parsed.password or "guest"),
        "port": parsed.port or (5671 if parsed.scheme == "amqps" else 5672),
        "queues": [queue],
        "exchange_name": exchange,
    }


class UrlPikaEventBroker(PikaEventBroker):
    @classmethod
    async def from_endpoint_config(
        cls, broker_config: Optional[EndpointConfig], event_loop: Optional[AbstractEventLoop] = None
    ) -> Optional["UrlPikaEventBroker"]:
        from tanya.settings import get_settings

        settings = get_settings()
        extra = dict(broker_config.kwargs) if broker_config else {}
        arguments = broker_arguments(
            (broker_config.url if broker_config and broker_config.url else None) or settings.rabbitmq_url,
            str(extra.pop("queue", None) or settings.rabbitmq_queue),
            str(extra.pop("exchange_name", None) or settings.rabbitmq_exchange),
        )
        extra.pop("queues", None)
        broker = cls(**arguments, **extra, event_loop=event_loop)
        await broker.connect()
        return broker
