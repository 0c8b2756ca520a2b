"""The production cluster on one host: Rasa instances and action servers behind nginx (docs/production.md)."""
