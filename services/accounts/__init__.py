"""Accounts: who acts (actors, roles), users, staff accounts, invites, and reaching people."""
