"""The rules of the trade in pure Python: vocabularies, stage machines, deadlines, checks, name keys."""
