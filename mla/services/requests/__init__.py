"""Requests: drafting and editing them, their stages, measures, attachments, the completeness check, and the
list (filters, text search, export)."""
