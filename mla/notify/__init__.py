"""Notifications: outputs that leave the application (calendar files, mail)."""
