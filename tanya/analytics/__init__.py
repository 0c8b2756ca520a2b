"""Call-center deflection numbers from the conversations Rasa stores in its SQL tracker store.

definitions (what counts, from data/analytics/definitions.yml) -> reader (events per sender, from the
database) -> sessions (one summary per engaged session) -> metrics / unanswered / funnel (pure
aggregates) -> report (the JSON the CLI prints and the dashboard serves). Only the reader touches the
database; everything else is a pure function of event dicts (Rasa's `Event.as_dict()`).
docs/analytics.md defines every number exactly as computed here.
"""
