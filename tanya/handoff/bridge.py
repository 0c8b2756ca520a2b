"""The handoff between a Rasa conversation and a Chatwoot conversation.

- open_handoff (action server, when the assistant brings in a person): find or create the desk contact,
  create a conversation in the configured API inbox, post the context note privately, set it `open`
  and remember the pair (tanya.handoff.sessions);
- forward (Rasa process, for each message of a conversation that is with an agent): post the user's
  text to the desk conversation as an incoming message;
- close (Rasa process, when the agent resolves): mark the pair resolved, exactly once.

The desk never learns the Rasa sender id (a WhatsApp sender id is a phone number): the contact's
identifier and the contact inbox's source id are a keyed hash of (channel, sender).
Everything here is synchronous; the Rasa process calls it through asyncio.to_thread.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import List, Optional

from sqlalchemy.exc import SQLAlchemyError

from tanya import messages
from tanya.db import session_scope
from tanya.handoff import outbox, sessions
from tanya.handoff.chatwoot_client import ChatwootClient, ChatwootConfig, ChatwootError
from tanya.limits import guards
from tanya.registration.crypto import lookup_hash
from tanya.settings import Settings, get_settings

logger = logging.getLogger(__name__)

IDENTIFIER_PREFIX = "tanya"
IDENTIFIER_HASH_CHARS = 32


class Outcome(enum.Enum):
    OPENED = "opened"  # a desk conversation is open: the Rasa conversation pauses
    NOT_CONFIGURED = "not_configured"  # no desk: the call center and e-mail are the way to a person
    UNAVAILABLE = "unavailable"  # the desk did not answer: the same, with an apology
    LIMITED_SENDER = "limited_sender"  # this sender opened its handoffs of the hour (tanya.limits): the call center
    LIMITED_BUSY = "limited_busy"  # every sender together opened the minute's handoffs: the call center


_REFUSED = {guards.SENDER: Outcome.LIMITED_SENDER, guards.BUSY: Outcome.LIMITED_BUSY}


@dataclass(frozen=True)
class HandoffRequest:
    channel: str
    sender_id: str
    language: str
    note: str


@dataclass(frozen=True)
class Forwarded:
    """What happened to a user's message on its way to the agent."""

    handoff: Optional[sessions.Handoff] = None  # None: the conversation is not with an agent
    delivered: bool = False
    first: bool = False  # the first message forwarded in this handoff: the user is told it was passed on

    @property
    def with_agent(self) -> bool:
        return self.handoff is not None


def configured(settings: Optional[Settings] = None) -> bool:
    return (settings or get_settings()).chatwoot_configured


def desk_identifier(channel: str, sender_id: str) -> str:
    """The contact identifier and source id the desk knows this conversation by (no personal data)."""
    digest = lookup_hash(f"chatwoot|{channel}|{sender_id}")[:IDENTIFIER_HASH_CHARS]
    return f"{IDENTIFIER_PREFIX}-{channel or 'chat'}-{digest}"


def open_handoff(request: HandoffRequest, settings: Optional[Settings] = None, client: Optional[ChatwootClient] = None) -> Outcome:
    settings = settings or get_settings()
    config = ChatwootConfig.from_settings(settings)
    if config is None:
        return Outcome.NOT_CONFIGURED
    client = client or ChatwootClient(config)
    try:
        with session_scope() as session:
            existing = sessions.active_for(session, request.channel, request.sender_id)
            # A new desk conversation is counted (and refused over the limits) before the desk is called.
            refusal = None if existing else guards.admit_handoff(
                session, request.sender_id, guards.HandoffRules.from_settings(settings), datetime.now(timezone.utc)
            )
        if refusal:
            logger.info("Handoff refused by the %s limit: the user gets the call center instead", refusal)
            return _REFUSED[refusal]
        if existing:
            # Still with an agent (e.g. Rasa started a new session): the same desk conversation again.
            client.post_message(existing.conversation_id, request.note, "outgoing", private=True)
            client.set_status(existing.conversation_id, "open")
            return Outcome.OPENED
        identifier = desk_identifier(request.channel, request.sender_id)
        contact = client.find_contact(identifier) or client.create_contact(identifier, _contact_name(request, identifier, settings))
        conversation_id = client.create_conversation(
            contact["id"], identifier, {"tanya_channel": request.channel, "tanya_language": request.language}
        )
        client.post_message(conversation_id, request.note, "outgoing", private=True)
        client.set_status(conversation_id, "open")
        with session_scope() as session:
            sessions.record_opened(
                session, request.channel, request.sender_id, conversation_id, str(contact["id"]), identifier, request.language
            )
    except ChatwootError as error:
        logger.warning("Handoff to the agent desk failed, the user gets the call center instead: %s", error)
        return Outcome.UNAVAILABLE
    except SQLAlchemyError:
        logger.exception("Handoff not recorded: the database is unavailable; the user gets the call center instead")
        return Outcome.UNAVAILABLE
    logger.info("Conversation handed to the agent desk (desk conversation %s)", conversation_id)
    return Outcome.OPENED


def _contact_name(request: HandoffRequest, identifier: str, settings: Settings) -> str:
    return messages.text(
        "handoff_contact_name", settings.chatwoot_note_language, channel=request.channel or "chat", reference=identifier[-6:]
    )


def forward(channel: str, sender_id: str, text: str, settings: Optional[Settings] = None, client: Optional[ChatwootClient] = None) -> Forwarded:
    """Post `text` to the agent when (channel, sender) is with one; Forwarded() when it is not."""
    settings = settings or get_settings()
    config = ChatwootConfig.from_settings(settings)
    if config is None:
        return Forwarded()
    with session_scope() as session:
        handoff = sessions.active_for(session, channel, sender_id)
    if handoff is None:
        return Forwarded()
    try:
        (client or ChatwootClient(config)).post_message(handoff.conversation_id, text, "incoming")
    except ChatwootError as error:
        logger.warning("A user's message could not be forwarded to the agent desk: %s", error)
        return Forwarded(handoff, delivered=False)
    with session_scope() as session:
        first = sessions.claim_first_notice(session, handoff.id)
    return Forwarded(handoff, delivered=True, first=first)


def find_active(conversation_id: Optional[int], source_id: Optional[str]) -> Optional[sessions.Handoff]:
    with session_scope() as session:
        return sessions.active_by_conversation(session, conversation_id, source_id)


def close(handoff: sessions.Handoff) -> bool:
    """Mark the handoff resolved; False when another request did it already."""
    with session_scope() as session:
        return sessions.resolve(session, handoff.id)


def keep_for_later(channel: str, sender_id: str, text: str) -> None:
    with session_scope() as session:
        outbox.put(session, channel, sender_id, text)


def take_waiting(channel: str, sender_id: str) -> List[str]:
    with session_scope() as session:
        return outbox.take(session, channel, sender_id)


def call_center_text(language: str) -> str:
    """"<name> <number>" of the call center from the knowledge data (data/knowledge/contacts.yml)."""
    from tanya.knowledge import repository

    knowledge = repository.current()
    contact = next((c for c in knowledge.contacts() if c.key == "call_center"), None) or knowledge.contact("phone")
    if contact is None:
        return ""
    return f"{contact.name.get(language)} {contact.value or ''}".strip()
