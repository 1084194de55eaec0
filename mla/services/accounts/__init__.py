"""Accounts: users, signing in with a password and a second factor, sessions, and the failure counters that
slow attacks down."""
