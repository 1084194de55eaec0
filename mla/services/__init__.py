"""Use-cases, one verb each: they take the session, the acting user and `now`, flush, never commit."""
