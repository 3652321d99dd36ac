"""Imports and exports of the one list and two directories from chat: /import, /export."""
