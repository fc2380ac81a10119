"""Uploads cannot hold the server: files are parsed in a child process with a deadline and a
memory ceiling (consult.web.plumbing.offload), and a body past the size limit is refused as it
arrives, chunked or not, before any middleware has read it."""

import os
import time

import pytest

from consult.app import MAX_BODY_BYTES
from consult.web.plumbing import offload
from tests.loops import run_alone
from tests.web import offload_helpers
from tests.web.conftest import csrf_token, html, login
from tests.web.test_limits import upload


def _gone(pid: int, within: float = 5.0) -> bool:
    end = time.monotonic() + within
    while time.monotonic() < end:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_a_parse_past_its_deadline_is_killed(tmp_path):
    started = time.monotonic()
    with pytest.raises(offload.TooLong):
        run_alone(offload.run_limited(offload_helpers.sleep_then_answer, 60, seconds=1))
    assert time.monotonic() - started < 5


def test_a_parse_past_its_memory_ceiling_is_stopped():
    with pytest.raises(offload.TooBig):
        run_alone(
            offload.run_limited(
                offload_helpers.allocate, 400, seconds=20, memory_bytes=256 * 1024 * 1024
            )
        )


def test_a_parse_answers_its_result_or_its_exception():
    assert run_alone(offload.run_limited(offload_helpers.sleep_then_answer, 0)) == "done"
    with pytest.raises(LookupError):
        run_alone(offload.run_limited(offload_helpers.fail))


def test_the_killed_child_is_gone(tmp_path):
    pidfile = tmp_path / "pid"
    with pytest.raises(offload.TooLong):
        run_alone(
            offload.run_limited(offload_helpers.record_pid_and_sleep, str(pidfile), seconds=1)
        )
    assert _gone(int(pidfile.read_text()))


def test_an_xlsx_declaring_the_whole_grid_is_set_aside_within_the_deadline(client, monkeypatch):
    monkeypatch.setattr(offload, "SECONDS", 2.0)
    login(client, "member")
    started = time.monotonic()
    response = upload(client, "grid.xlsx", offload_helpers.declared_dimension_xlsx())
    elapsed = time.monotonic() - started
    assert elapsed < 6, f"the upload held the request for {elapsed:.1f} s"
    assert response.status_code in (303, 400)
    if response.status_code == 400:  # stopped at the deadline, or refused by the reader's caps
        messages = [li.get_text() for li in html(response).select("#import-problems li")]
        assert messages, "a refusal says why"


def _chunked_post(client, path: str, chunk: bytes, chunks: int, headers: dict) -> tuple:
    """POST a chunked body (no Content-Length) straight to the ASGI app: (status, bytes the
    app took from the client before it answered)."""
    taken = 0
    sent = 0
    status: dict = {}

    async def run() -> None:
        nonlocal taken, sent

        async def receive():
            nonlocal taken, sent
            if sent >= chunks:
                return {"type": "http.disconnect"}
            sent += 1
            taken += len(chunk)
            return {"type": "http.request", "body": chunk, "more_body": sent < chunks}

        async def send(message):
            if message["type"] == "http.response.start":
                status.setdefault("code", message["status"])
                status.setdefault("taken", taken)

        scope = {
            "type": "http",
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": b"",
            "headers": [(b"host", b"testserver.local"), (b"transfer-encoding", b"chunked")]
            + [(k.lower().encode(), v.encode()) for k, v in headers.items()],
            "client": ("127.0.0.1", 50000),
            "server": ("testserver.local", 80),
            "extensions": {},
        }
        await client.app(scope, receive, send)

    with client.portal() as portal:
        portal.call(run)
    return status["code"], status["taken"]


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]
)
def test_a_chunked_body_past_the_limit_is_refused_as_it_arrives(client, content_type):
    cookie = f"consult_csrf={csrf_token(client)}"
    megabyte = b"a" * (1024 * 1024)
    chunks = 4 * MAX_BODY_BYTES // len(megabyte)
    headers = {"content-type": content_type, "cookie": cookie, "x-csrftoken": csrf_token(client)}
    status, taken = _chunked_post(client, "/login", megabyte, chunks, headers)
    assert status == 413
    assert taken <= MAX_BODY_BYTES + len(megabyte), f"{taken} bytes read before the 413"


def test_a_declared_length_past_the_limit_is_refused_before_the_body_is_read(client):
    response = client.post(
        "/login",
        content=b"x" * (MAX_BODY_BYTES + 1),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
