"""Texts of the imports feature."""

TEXTS: dict[str, tuple[str, str]] = {}
