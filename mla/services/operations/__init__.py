"""Operations: backups, the health report, heartbeats of background services, the mail outbox, and loading
the reference data."""
