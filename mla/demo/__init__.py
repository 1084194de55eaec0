"""The demo at the edge: fictional offices, users and cases seeded by `mla demo` (and the tests); nothing
in services, models, domain or web imports it."""
