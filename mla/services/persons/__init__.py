"""Persons named in requests: adding and changing them, who is the same person across requests, the search
box, and asking to see another office's request."""
