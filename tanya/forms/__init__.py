"""The in-chat pre-registration form: which fields each segment asks, and how a turn is handled."""
