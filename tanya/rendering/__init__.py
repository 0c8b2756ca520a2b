"""One way to write an answer, rendered for each channel (widget, REST, WhatsApp, Telegram)."""
