"""Texts of the admin feature."""

TEXTS: dict[str, tuple[str, str]] = {}
