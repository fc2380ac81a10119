"""Security headers on every response, including error pages and static files; NUL
characters dropped from forms and query strings."""

import re

from litestar.exceptions import ClientException
from litestar.status_codes import HTTP_413_REQUEST_ENTITY_TOO_LARGE
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


_ENCODED = tuple(
    (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()
)


async def add_security_headers(message: Message, scope: Scope) -> None:
    """A ``before_send`` hook: it sees every response, 404s of unknown paths included. A
    header the response set itself is kept. The raw header list is read once (looking each
    name up through MutableScopeHeaders decoded the whole list six times per response)."""
    if message["type"] == "http.response.start":
        headers = list(message.get("headers", ()))
        present = {name.lower() for name, _ in headers}
        message["headers"] = headers + [h for h in _ENCODED if h[0] not in present]


def limit_body_size(max_bytes: int):
    """A middleware refusing (413) any body past ``max_bytes`` as it arrives, before any other
    middleware reads it: at once when the declared length says so, else at the chunk that
    crosses the limit (a chunked body declares none). Placed first, inside Litestar's
    exception handling, so the refusal is the usual translated error page."""

    def too_large() -> ClientException:
        return ClientException(
            detail="Request Entity Too Large", status_code=HTTP_413_REQUEST_ENTITY_TOO_LARGE
        )

    def middleware_for(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            declared = dict(scope.get("headers", [])).get(b"content-length", b"")
            if declared.isdigit() and int(declared) > max_bytes:
                raise too_large()
            received = 0

            async def receive_limited() -> Message:
                nonlocal received
                message = await receive()
                if message["type"] == "http.request":
                    received += len(message.get("body", b""))
                    if received > max_bytes:
                        raise too_large()
                return message

            await app(scope, receive_limited, send)

        return middleware

    return middleware_for


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
