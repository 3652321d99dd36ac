"""Domain exceptions: raised in services, turned into a polite reply in one place."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal the user should read: a message key of the catalog and its values."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class NotAllowed(DomainError):
    """The actor's roles or ownership do not allow this."""


class NotFound(DomainError):
    """The object does not exist (or is not visible to the actor)."""


class InvalidInput(DomainError):
    """The input cannot be accepted as given."""


class Conflict(DomainError):
    """The action clashes with the current state (already done, taken by someone else)."""
