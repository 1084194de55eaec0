"""Oversight: the managers' dashboard, partner statistics, and reading and anchoring the audit trail."""
