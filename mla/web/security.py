"""Request and response hygiene: the client's address behind trusted proxies, NUL bytes stripped from
what users send, ids bounded in every route, and security headers (a strict CSP with no inline code,
and their friends) on every response; nothing but the static assets may be kept in a browser's or
proxy's cache."""
from __future__ import annotations

from typing import Any

from flask import Flask, Request, Response, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map
from werkzeug.utils import cached_property

from mla.web.helpers import MAX_ID

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def _without_nul(values: Any) -> ImmutableMultiDict[str, str]:
    return ImmutableMultiDict([(key.replace("\x00", ""), value.replace("\x00", ""))
                               for key, value in values.items(multi=True)])


class CleanRequest(Request):
    """A request whose query and form values carry no NUL byte: it is never meaningful in typed
    text and no database stores it (PostgreSQL refuses it), so forms validate as usual instead."""

    @cached_property
    def args(self) -> ImmutableMultiDict[str, str]:
        return _without_nul(super().args)

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = _without_nul(self.__dict__["form"])


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a number past what a database column can hold matches no route
    (404), instead of reaching the query and overflowing there (a 500)."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def register_security(app: Flask) -> None:
    app.request_class = CleanRequest
    if app.config["PROXY_COUNT"]:
        # Behind N reverse proxies the client's address is the Nth from the end of X-Forwarded-For:
        # sign-in limits count failures per address, and the audit log records it.
        proxies = app.config["PROXY_COUNT"]
        # Flask's documented way to wrap its WSGI callable, which it declares as a method
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    app.url_map.converters["int"] = IdConverter
    production = app.config["ENV_NAME"] == "production"

    @app.after_request
    def _security_headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if production:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        # Pages, exports, letters, attachments and calendar feeds all carry case data: one rule
        # for every response but the public static assets, instead of a header in each view.
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response
