"""Limits that protect people as well as the servers (docs/security.md, "Limits").

- rules: the counting logic, pure (how many events a window allows, how long a lock lasts);
- store: the events and locks in the assistant's database (limit_event, limit_lock), so a limit holds
  across every instance of the action server;
- guards: the project's limits on handoffs to an agent and on failed status checks, keyed on a keyed
  hash of the sender's channel identity (never on the number or reference a person owns).
The connection limits of the HTTP servers live with the servers (tanya.http_limits, scripts/serve_web.py,
tanya.cluster.balancer).
"""
