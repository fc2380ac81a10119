"""Start and stop real servers (uvicorn in its own process) for the benchmarks."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

BIN = Path(sys.executable).parent
_started: list[int] = []


def last_pid() -> int:
    """The process id of the server started last (to read its CPU time)."""
    return _started[-1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


@contextmanager
def serve(command: list[str], env: dict, health_path: str, log: Path, timeout: float = 60):
    port = free_port()
    full_env = {**os.environ, **env}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--port", str(port)], env=full_env, stdout=out, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}"
        _started.append(process.pid)
        try:
            wait_until_up(base + health_path, process, timeout)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def consult_server(env: dict, workers: int, log: Path, timeout: float = 60):
    """`timeout`: how long the workers may take to start (more on a loaded machine)."""
    command = [str(BIN / "consult"), "serve", "--workers", str(workers)]
    return serve(command, env, "/healthz", log, timeout)


def baseline_server(env: dict, workers: int, log: Path):
    command = [
        str(BIN / "uvicorn"),
        "bench.baseline:app_factory",
        "--factory",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--host",
        "127.0.0.1",
    ]
    return serve(command, env, "/hello", log)
