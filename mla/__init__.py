"""The MLA tracker. The Flask app is built by `mla.app.create_app`; this package imports nothing, so
loading a domain module (`import mla.domain.workflow`) does not load Flask, SQLAlchemy or docxtpl."""
