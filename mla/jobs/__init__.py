"""Background jobs: the scheduler process and the bodies of its jobs."""
