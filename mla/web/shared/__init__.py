"""What more than one web feature shows: the request page's panels, clock labels, the duplicate choice.
Feature packages import from here, never from each other (an import-linter contract in pyproject.toml)."""
