"""Pages that differ from one visitor to the next only by a few tokens.

A blank section page is the same for every respondent of a questionnaire version but for
the CSRF token, the draft token and the resume code. It is rendered once with markers in
their place and kept as its fixed parts, plain and compressed; a request then only joins
those parts with its own values: no Jinja render of twenty questions and no compression of
20 KB per request. The caller's key must hold everything else the page shows.

The compressed form is one gzip member whose deflate stream is the fixed parts, each
compressed alone and flushed to a byte boundary, with the values between them as stored
(uncompressed) blocks. Its CRC-32 is carried across each fixed part by a table made once per
part length (CRC-32 is affine in the value it starts from), so only the values are read:
reading the whole page cost more than the rest of the filling.
"""

import re
import secrets
import struct
import threading
import zlib
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from litestar import MediaType, Request, Response
from litestar.datastructures import Headers
from litestar.utils.scope.state import ScopeState
from markupsafe import escape

# Private-use characters: no escaping changes them and no page text holds them.
_MARK = "\ue000"
_NONCE = secrets.token_hex(4)
_LIMIT = 4096
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
_LAST_BLOCK = b"\x03\x00"  # an empty final block: ends the deflate stream


@dataclass(frozen=True)
class Skeleton:
    names: tuple[str, ...]  # the values, in the order they appear
    plain: tuple[bytes, ...]  # the fixed parts around them (one more than names)
    packed: tuple[bytes, ...]  # the same parts, deflated
    crcs: tuple[int, ...]  # zlib.crc32 of each part alone


_skeletons: dict[tuple, Skeleton | None] = {}


def filled_response(
    request: Request,
    template: str,
    key: tuple,
    context: Callable[[dict[str, str]], dict[str, Any]],
    values: dict[str, str],
    headers: dict[str, str],
) -> Response | None:
    """The page ``template`` for this request, or None when it cannot be made this way.

    ``context(markers)`` builds the template context with ``markers[name]`` wherever
    ``values[name]`` belongs; the CSRF token is handled here.
    """
    state = ScopeState.from_scope(request.scope)
    csrf = state.csrf_token if isinstance(state.csrf_token, str) else ""
    values = {**values, "csrf": csrf}
    full_key = (template, *key)
    if full_key in _skeletons:
        skeleton = _skeletons[full_key]
    else:
        markers = {name: f"{_MARK}{name}-{_NONCE}{_MARK}" for name in values}
        skeleton = _skeleton(_render(request, template, context(markers), markers), markers)
        if len(_skeletons) >= _LIMIT:
            _skeletons.clear()
        _skeletons[full_key] = skeleton
    if skeleton is None:
        return None
    filled = {name: str(escape(value)).encode() for name, value in values.items()}
    plain = _join(skeleton.plain, skeleton.names, filled)
    if "gzip" not in Headers.from_scope(request.scope).get("accept-encoding", ""):
        return Response(plain, media_type=MediaType.HTML, headers=headers)
    stored = {name: _stored_block(value) for name, value in filled.items()}
    body = b"".join(
        (
            _GZIP_HEADER,
            _join(skeleton.packed, skeleton.names, stored),
            _LAST_BLOCK,
            struct.pack("<II", _crc(skeleton, filled), len(plain) & 0xFFFFFFFF),
        )
    )
    # Already compressed: the compression middleware passes on what it takes for a cached,
    # compressed response.
    state.is_cached = True
    vary = ", ".join(v for v in (headers.get("Vary"), "Accept-Encoding") if v)
    return Response(
        body,
        media_type=MediaType.HTML,
        headers={**headers, "Content-Encoding": "gzip", "Vary": vary},
    )


def _render(request: Request, template: str, context: dict, markers: dict[str, str]) -> str:
    state = ScopeState.from_scope(request.scope)
    real, state.csrf_token = state.csrf_token, markers["csrf"]  # what csrf_token() shows
    try:
        return request.app.template_engine.get_template(template).render(
            **context,
            request=request,
            csrf_input=f'<input type="hidden" name="_csrf_token" value="{markers["csrf"]}" />',
        )
    finally:
        state.csrf_token = real


def _skeleton(html: str, markers: dict[str, str]) -> Skeleton | None:
    name_of = {marker: name for name, marker in markers.items()}
    parts, names, start = [], [], 0
    for found in re.finditer("|".join(map(re.escape, name_of)), html):
        parts.append(html[start : found.start()])
        names.append(name_of[found.group()])
        start = found.end()
    parts.append(html[start:])
    if any(_MARK in part for part in parts):  # a marker was changed on its way: render
        return None
    plain = tuple(part.encode() for part in parts)
    crcs = tuple(map(zlib.crc32, plain))
    return Skeleton(tuple(names), plain, tuple(map(_deflated, plain)), crcs)


def _deflated(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)


def _stored_block(data: bytes) -> bytes:
    # A non-final stored block (values are short: well under its 65,535-byte limit).
    return b"\x00" + struct.pack("<HH", len(data), len(data) ^ 0xFFFF) + data


def _join(parts: tuple[bytes, ...], names: tuple[str, ...], values: dict[str, bytes]) -> bytes:
    pieces = [parts[0]]
    for name, part in zip(names, parts[1:], strict=True):
        pieces += (values[name], part)
    return b"".join(pieces)


def _crc(skeleton: Skeleton, values: dict[str, bytes]) -> int:
    """zlib.crc32 of the filled page, reading only the values."""
    crc = skeleton.crcs[0]
    for name, part, part_crc in zip(
        skeleton.names, skeleton.plain[1:], skeleton.crcs[1:], strict=True
    ):
        crc = _across(zlib.crc32(values[name], crc), len(part), part_crc)
    return crc


# zlib.crc32(part, c) == M(c) ^ zlib.crc32(part, 0), with M linear and depending only on
# len(part): M is kept as four 256-entry tables, one per byte of c.
_shifts: dict[int, array] = {}
_shifts_lock = threading.Lock()


def _across(crc: int, length: int, part_crc: int) -> int:
    """zlib.crc32(part, crc) from the part's length and zlib.crc32(part)."""
    table = _shifts.get(length)
    if table is None:
        table = _shift_table(length)
    return (
        part_crc
        ^ table[crc & 0xFF]
        ^ table[256 | (crc >> 8) & 0xFF]
        ^ table[512 | (crc >> 16) & 0xFF]
        ^ table[768 | crc >> 24]
    )


def _shift_table(length: int) -> array:
    zeros = bytes(length)
    base = zlib.crc32(zeros)
    images = [zlib.crc32(zeros, 1 << bit) ^ base for bit in range(32)]
    table = array("I", bytes(4 * 1024))
    for byte in range(4):
        for k in range(1, 256):
            low = k & -k
            table[byte * 256 + k] = (
                table[byte * 256 + (k ^ low)] ^ images[8 * byte + low.bit_length() - 1]
            )
    with _shifts_lock:
        if len(_shifts) >= _LIMIT:
            _shifts.clear()
        _shifts[length] = table
    return table
