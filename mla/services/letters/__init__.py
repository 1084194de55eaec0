"""Letters: drafting them from a request, the facts they say, the templates in use, and translations of a
request's free text."""
