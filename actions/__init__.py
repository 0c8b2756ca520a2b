"""Custom actions of TanyaBPJAMSOSTEK (run by `rasa run actions`)."""
