"""Answers: what to answer given the message and the conversation (dialogue.py), and the answer
itself from the knowledge base (compose.py). Pure; the actions do the I/O."""
