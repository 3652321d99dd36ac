"""Texts of the records feature."""

TEXTS: dict[str, tuple[str, str]] = {}
