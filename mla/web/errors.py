"""Error pages: each HTTP error gets a page in the interface language, never a stack trace."""
from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from mla.db import db_session


def register_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError) -> tuple[str, int]:
        return render_template("errors/error.html", code=400, reason="csrf"), 400

    @app.errorhandler(StaleDataError)
    def _concurrent_save(exc: StaleDataError) -> tuple[str, int]:
        # Forms refuse a stale save on their own page (services.versions); this is for a write that met
        # another one at the same instant (linking records, copying persons into a supplementary request).
        db_session().rollback()
        return render_template("errors/error.html", code=409, reason="stale"), 409

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> tuple[str, int]:
        code = exc.code or 500
        return render_template("errors/error.html", code=code, reason=None), code

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> tuple[str, int]:
        db_session().rollback()
        app.logger.exception("unhandled error")
        return render_template("errors/error.html", code=500, reason=None), 500
