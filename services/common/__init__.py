"""What every subject uses: clock, dates, working days, errors, audit log, policy, rows."""
