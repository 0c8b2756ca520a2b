"""Rasa input channels of the assistant and what they share (input limits, output rendering)."""
