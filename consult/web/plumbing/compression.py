"""Response compression that costs nothing when the response is already compressed.

Litestar's CompressionMiddleware makes its gzip compressor (a zlib stream, some 270 KB of
buffers to allocate and clear) before the handler runs, on every request that accepts gzip,
even when the response turns out to be compressed already (a blank respondent page comes
compressed from consult.web.plumbing.page_cache). Here the framework's own send wrapper is
made at the first body message, and only for a response that still needs it.
"""

from typing import Literal

from litestar.enums import CompressionEncoding
from litestar.middleware.compression import CompressionMiddleware
from litestar.types import Message, Scope, Send
from litestar.utils.scope.state import ScopeState


class LazyCompressionMiddleware(CompressionMiddleware):
    def create_compression_send_wrapper(
        self,
        send: Send,
        compression_encoding: Literal[CompressionEncoding.BROTLI, CompressionEncoding.GZIP] | str,
        scope: Scope,
    ) -> Send:
        state = ScopeState.from_scope(scope)
        start: Message | None = None
        passing = False
        compressing: Send | None = None

        async def send_wrapper(message: Message) -> None:
            nonlocal start, passing, compressing
            if compressing is not None:
                await compressing(message)
            elif passing:
                await send(message)
            elif message["type"] == "http.response.start":
                start = message
            elif start is not None and state.is_cached is True:
                # Already compressed (as the framework passes on its cached responses).
                passing = True
                await send(start)
                await send(message)
            else:
                make = super(LazyCompressionMiddleware, self).create_compression_send_wrapper
                compressing = make(send, compression_encoding, scope)
                if start is not None:
                    await compressing(start)
                await compressing(message)

        return send_wrapper
