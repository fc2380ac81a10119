"""What a respondent's page costs the server beyond its one query (issue 19: the page at
≥ 40 % of a bare hello-world). Each test pins one piece of waste found by profiling the page
(bench/run.py http_section measures it), so that it does not come back."""

import copy
import gzip
import zlib

import litestar.handlers.base
import litestar.middleware.compression.middleware as compression_middleware
import pytest

import surveys.capture
from consult.web.plumbing import page_cache
from consult.web.plumbing.security import SECURITY_HEADERS, add_security_headers
from tests.loops import run_alone
from tests.web.respond_helpers import BASE, start


@pytest.fixture
def handler_copies(monkeypatch) -> list[object]:
    """Litestar copies the route handler for each guard it runs, on every request."""
    copies: list[object] = []

    def counted(value):
        copies.append(value)
        return copy.copy(value)

    monkeypatch.setattr(litestar.handlers.base, "copy", counted)
    return copies


def test_the_guards_copy_the_route_handler_once_per_request(client, handler_copies):
    start(client)
    client.get(f"{BASE}/s/profil")
    handler_copies.clear()
    assert client.get(f"{BASE}/s/profil").status_code == 200
    assert len(handler_copies) == 1


def test_the_security_headers_keep_what_a_response_set_itself():
    start_message = {
        "type": "http.response.start",
        "status": 200,
        "headers": [(b"content-type", b"text/html"), (b"referrer-policy", b"no-referrer")],
    }
    run_alone(add_security_headers(start_message, {}))
    headers = start_message["headers"]
    assert [value for name, value in headers if name == b"referrer-policy"] == [b"no-referrer"]
    named = {name: value for name, value in headers}
    assert named[b"x-frame-options"] == b"DENY"
    assert b"frame-ancestors 'none'" in named[b"content-security-policy"]
    assert len(headers) == 2 + len(SECURITY_HEADERS) - 1


def test_a_visitor_without_the_kiosk_cookie_costs_no_kiosk_signature(client, monkeypatch):
    start(client)
    signed: list[str] = []
    real = surveys.capture.kiosk_key
    monkeypatch.setattr(surveys.capture, "kiosk_key", lambda *a: signed.append(a) or real(*a))
    assert client.get(f"{BASE}/s/profil").status_code == 200
    assert signed == []


@pytest.fixture
def compressors_made(monkeypatch) -> list[object]:
    made: list[object] = []
    real = compression_middleware.GzipCompression

    def counted(*args, **kwargs):
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(compression_middleware, "GzipCompression", counted)
    return made


def test_a_page_already_compressed_makes_no_compressor_and_others_are_compressed(
    client, compressors_made
):
    start(client)
    client.get(f"{BASE}/s/profil")
    compressors_made.clear()
    blank = client.get(f"{BASE}/s/profil", headers={"Accept-Encoding": "gzip"})
    assert blank.headers["content-encoding"] == "gzip" and "q-age" in blank.text
    assert compressors_made == []  # filled into the shared compressed copy (page_cache)
    review = client.get(f"{BASE}/review", headers={"Accept-Encoding": "gzip"})
    assert review.headers["content-encoding"] == "gzip" and "<html" in review.text
    assert "accept-encoding" in review.headers["vary"].lower()
    assert compressors_made == [1]
    small = client.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert small.status_code == 200 and "content-encoding" not in small.headers


def test_a_blank_page_is_checksummed_without_reading_the_page_again(client, monkeypatch):
    start(client)
    client.get(f"{BASE}/s/profil", headers={"Accept-Encoding": "gzip"})  # the shared copy
    read: list[int] = []

    class Spied:
        def __getattr__(self, name):
            return getattr(zlib, name)

        @staticmethod
        def crc32(data, value=0):
            read.append(len(data))
            return zlib.crc32(data, value)

    monkeypatch.setattr(page_cache, "zlib", Spied())
    with client.stream("GET", f"{BASE}/s/profil", headers={"Accept-Encoding": "gzip"}) as page:
        raw = b"".join(page.iter_raw())
    assert page.headers["content-encoding"] == "gzip"
    assert b'name="token"' in gzip.decompress(raw)  # checks the CRC-32 and the length
    assert read and max(read) < 200  # the values only, not the 20 KB around them
