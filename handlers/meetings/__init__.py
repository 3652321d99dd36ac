"""Joint meetings from chat: /meeting and /meetings, invitations, RSVPs and outcome."""
