"""Clocks: starting, pausing and ending them as a request moves, the stored next due date, working calendars
and feeds, and the reminder sweep."""
