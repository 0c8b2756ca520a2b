"""Handoff of a conversation to a human agent in a Chatwoot agent desk (docs/handoff.md).

- chatwoot_client: the few Application API calls the bridge makes;
- context_note: the private note an agent reads first (pure);
- sessions / outbox: which Rasa conversation is with which desk conversation, and the agent's messages
  waiting for a channel that cannot push (REST);
- bridge: open a handoff (action server), forward a user's message, close on resolve (Rasa process);
- gate: the wrapper every channel's messages pass through while a conversation is with an agent;
- signature: the check of Chatwoot's signed webhooks (pure).
"""
