"""Security headers on every response, including error pages and static files; NUL
characters dropped from forms and query strings."""

import re

from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send

# No inline script or style anywhere: htmx is configured by a meta tag not to inject styles
# nor evaluate code, and pages carry their behaviour in /static files only.
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
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


async def add_security_headers(message: Message, scope: Scope) -> None:
    """A ``before_send`` hook: it sees every response, 404s of unknown paths included."""
    if message["type"] == "http.response.start":
        headers = MutableScopeHeaders.from_message(message)
        for name, value in SECURITY_HEADERS.items():
            if name not in headers:
                headers[name] = value


_NUL = re.compile(rb"%00|\x00")
_FORM = b"application/x-www-form-urlencoded"


def strip_nul_bytes(app: ASGIApp) -> ASGIApp:
    """Drop NUL characters from query strings and form bodies before anything reads them.

    No field means anything by a NUL, and PostgreSQL refuses it in text and JSON: left in, any
    form typed with one answered 500. Uploaded files (multipart) are left as they are.
    """

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        scope["query_string"] = _NUL.sub(b"", scope.get("query_string", b""))
        headers = dict(scope.get("headers", []))
        if not headers.get(b"content-type", b"").startswith(_FORM):
            await app(scope, receive, send)
            return
        body, done = bytearray(), False

        async def receive_cleaned() -> Message:
            nonlocal done
            if done:
                return await receive()
            while True:  # "%0" and "0" may arrive in two chunks: clean the whole body
                message = await receive()
                if message["type"] != "http.request":
                    return message
                body.extend(message.get("body", b""))
                if not message.get("more_body", False):
                    done = True
                    return {"type": "http.request", "body": _NUL.sub(b"", bytes(body))}

        await app(scope, receive_cleaned, send)

    return middleware
