"""Joint meetings (联席会议): scheduling, invitations, RSVPs, reminders and outcomes."""
