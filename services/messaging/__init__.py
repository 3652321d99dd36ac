"""Messaging: the outbox of messages the system starts, and conversation state."""
