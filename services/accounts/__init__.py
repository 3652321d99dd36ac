"""Accounts: who acts (actors and roles), users' preferences and console accounts, invites."""
